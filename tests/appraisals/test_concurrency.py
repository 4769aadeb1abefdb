"""Concurrent requests on PostgreSQL: PATCH locks the row, externalId stays unique."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from appraisals.models import AppraisalParticipant, ParticipantStatus
from tests.appraisals.conftest import hr_user, participant_body, participant_url
from tests.appraisals.factories import AppraisalFactory, AppraisalParticipantFactory, b64
from tests.support.auth import client_for
from tests.support.threads import run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_concurrently(clients: list[APIClient], request: Callable[[APIClient, int], Any]) -> list[int]:
    """`request(client, index)` for every client at once; their statuses in the order of `clients`."""
    return run_at_once([lambda c=client, i=i: request(c, i).status_code for i, client in enumerate(clients)])


def patch(client: APIClient, url: str, operations: list[dict[str, Any]]):  # type: ignore[no-untyped-def]
    return client.patch(url, data=json.dumps(operations), content_type="application/json-patch+json")


# Ten patches, each replacing a different field: without the row lock each would write back the others' old values.
NEW_VALUES = {
    "externalId": "EXT-new",
    "participantUserExternalId": "SU-new",
    "dateCompleted": "2021-01-01T00:00:00Z",
    "isMain": True,
    "textFeedback": b64("feedback-new"),
    "textHint": b64("hint-new"),
    "participationReason": b64("reason-new"),
    "status": 2,
    "requestDate": "2021-02-01T00:00:00Z",
    "requestLastDate": "2021-03-01T00:00:00Z",
}


def test_concurrent_patches_of_distinct_fields_all_land() -> None:
    participant = AppraisalParticipantFactory()
    url = participant_url(participant)
    user = hr_user()
    clients = [client_for(user) for _ in NEW_VALUES]
    fields = list(NEW_VALUES)

    statuses = run_concurrently(
        clients,
        lambda client, i: patch(
            client, url, [{"op": "replace", "path": f"/{fields[i]}", "value": NEW_VALUES[fields[i]]}]
        ),
    )

    assert statuses == [200] * len(NEW_VALUES)
    data = clients[0].get(url).json()
    assert {field: data[field] for field in NEW_VALUES} == NEW_VALUES


def test_test_then_replace_lets_exactly_one_of_concurrent_patches_win() -> None:
    participant = AppraisalParticipantFactory(status=ParticipantStatus.REQUESTED)
    url = participant_url(participant)
    user = hr_user()
    clients = [client_for(user) for _ in range(8)]

    statuses = run_concurrently(
        clients,
        lambda client, i: patch(
            client,
            url,
            [
                {"op": "test", "path": "/status", "value": 1},
                {"op": "replace", "path": "/status", "value": 2},
                {"op": "replace", "path": "/participantUserExternalId", "value": f"winner-{i}"},
            ],
        ),
    )

    assert sorted(statuses) == [200] + [409] * 7
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.PROVIDED
    assert participant.participant_user_external_id == f"winner-{statuses.index(200)}"


def test_concurrent_creates_with_one_external_id_make_one_participant() -> None:
    appraisal = AppraisalFactory()
    user = hr_user()
    clients = [client_for(user) for _ in range(8)]

    statuses = run_concurrently(
        clients,
        lambda client, i: client.post(
            f"/api/appraisals/{appraisal.pk}/participants", participant_body(externalId="SAME"), format="json"
        ),
    )

    assert sorted(statuses) == [201] + [400] * 7
    assert AppraisalParticipant.objects.filter(external_id="SAME").count() == 1


def test_concurrent_patches_to_one_external_id_leave_it_unique() -> None:
    participants = AppraisalParticipantFactory.create_batch(6)
    user = hr_user()
    clients = [client_for(user) for _ in participants]

    statuses = run_concurrently(
        clients,
        lambda client, i: patch(
            client, participant_url(participants[i]), [{"op": "replace", "path": "/externalId", "value": "SAME"}]
        ),
    )

    assert sorted(statuses) == [200] + [400] * 5
    assert AppraisalParticipant.objects.filter(external_id="SAME").count() == 1
