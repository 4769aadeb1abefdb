import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from appraisals.models import Appraisal, AppraisalParticipant
from appraisals.permissions import HR_INTEGRATION_GROUP
from tests.accounts.factories import UserFactory
from tests.appraisals.factories import AppraisalFactory, AppraisalParticipantFactory, b64
from tests.support.auth import client_for

FEEDBACK = "0KLRg9GCINGA0LDQt9C90YvQtSDQv9C+0LvQtdC30L3Ri9C1INGA0LXQutC+0LzQtdC90LTQsNGG0LjQuCA="


def participant_body(**overrides: object) -> dict[str, object]:
    """Document 003's example body."""
    body: dict[str, object] = {
        "externalId": "externalID1104",
        "participantUserExternalId": "SU44617",
        "dateCompleted": "2018-07-01T00:00:00+03:00",
        "isMain": False,
        "textFeedback": FEEDBACK,
        "textHint": FEEDBACK,
        "status": 3,
        "participationReason": FEEDBACK,
        "requestDate": "2019-01-15T00:00:00+03:00",
        "responseDate": "2018-12-25T00:00:00+03:00",
    }
    body.update(overrides)
    return body


def hr_user(**kwargs: object):  # type: ignore[no-untyped-def]
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=HR_INTEGRATION_GROUP))
    return user


@pytest.fixture
def hr(db):  # type: ignore[no-untyped-def]
    return hr_user()


@pytest.fixture
def hr_client(hr) -> APIClient:  # type: ignore[no-untyped-def]
    return client_for(hr)


@pytest.fixture
def appraisal(db) -> Appraisal:  # type: ignore[no-untyped-def]
    return AppraisalFactory()


@pytest.fixture
def participant(appraisal: Appraisal) -> AppraisalParticipant:
    return AppraisalParticipantFactory(appraisal=appraisal)


def participant_url(participant: AppraisalParticipant) -> str:
    return f"/api/appraisals/{participant.appraisal_id}/participants/{participant.pk}"


__all__ = ["b64"]
