import base64
from datetime import UTC, datetime

import factory
from factory.django import DjangoModelFactory

from appraisals.models import Appraisal, AppraisalParticipant, ParticipantStatus


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


class AppraisalFactory(DjangoModelFactory[Appraisal]):
    class Meta:
        model = Appraisal

    external_id = factory.Sequence(lambda n: f"APR-{n}")
    title = factory.Sequence(lambda n: f"Appraisal {n}")
    description = "Quarterly review."


class AppraisalParticipantFactory(DjangoModelFactory[AppraisalParticipant]):
    class Meta:
        model = AppraisalParticipant

    appraisal = factory.SubFactory(AppraisalFactory)
    external_id = factory.Sequence(lambda n: f"externalID{n}")
    participant_user_external_id = factory.Sequence(lambda n: f"SU{n}")
    date_completed = datetime(2018, 6, 30, 21, tzinfo=UTC)
    is_main = False
    text_feedback = b64("Тут разные полезные рекомендации")
    text_hint = b64("Подсказка")
    participation_reason = b64("Основание")
    status = ParticipantStatus.REQUESTED
    request_date = datetime(2019, 1, 14, 21, tzinfo=UTC)
    request_last_date = datetime(2018, 12, 24, 21, tzinfo=UTC)
