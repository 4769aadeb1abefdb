"""Demo appraisals with a participant in every status, and the HR system's user `hr` (idempotent)."""

import base64
from datetime import UTC, datetime

from accounts.demo import ensure_user
from appraisals.models import Appraisal, AppraisalParticipant, ParticipantStatus
from appraisals.permissions import hr_group_ensure


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


APPRAISALS = [
    ("demo-appraisal-2024-q2", "Q2 2024 review", "Quarterly review of the support team."),
    ("demo-appraisal-2024-q3", "Q3 2024 review", "Quarterly review of the sales team."),
]
#: an appraisal without participants, the one the docs' DELETE example removes
EMPTY_APPRAISAL = ("demo-appraisal-2024-q4", "Q4 2024 review", "Planned; nobody invited yet.")


def seed_demo(*, password: str) -> list[tuple[str, str]]:
    hr = ensure_user(username="hr", password=password, first_name="HR", last_name="Integration")
    hr.groups.add(hr_group_ensure())
    for number, (external_id, title, description) in enumerate(APPRAISALS, start=1):
        appraisal, _ = Appraisal.objects.get_or_create(
            external_id=external_id, defaults={"title": title, "description": description}
        )
        for status in ParticipantStatus:
            AppraisalParticipant.objects.get_or_create(
                external_id=f"{external_id}-participant-{status.value}",
                defaults={
                    "appraisal": appraisal,
                    "participant_user_external_id": f"SU{number}{status.value:03d}",
                    "date_completed": datetime(2024, 3 * number + 3, 30, 12, tzinfo=UTC),
                    "is_main": status == ParticipantStatus.PROVIDED,
                    "status": status,
                    "text_feedback": _b64(f"Feedback of a participant who is {status.label}."),
                    "text_hint": _b64("Focus on teamwork.") if status == ParticipantStatus.PROVIDED else None,
                    "participation_reason": _b64("Works with the employee every day."),
                    "request_date": datetime(2024, 3 * number + 3, 1, 9, tzinfo=UTC),
                    "request_last_date": (
                        datetime(2024, 3 * number + 3, 20, 9, tzinfo=UTC)
                        if status == ParticipantStatus.PROVIDED
                        else None
                    ),
                },
            )
    external_id, title, description = EMPTY_APPRAISAL
    Appraisal.objects.get_or_create(external_id=external_id, defaults={"title": title, "description": description})
    return [("hr", "hr-integration group: appraisal participants API (/api/appraisals/)")]
