"""Every read of appraisals and participants. Deleted participants (status 5) are never listed or found."""

from django.db.models import QuerySet

from appraisals.errors import AppraisalNotFoundError, ParticipantNotFoundError
from appraisals.models import Appraisal, AppraisalParticipant, ParticipantStatus


def appraisal_list() -> QuerySet[Appraisal]:
    return Appraisal.objects.order_by("-id")


def appraisal_get(*, appraisal_id: int) -> Appraisal:
    try:
        return Appraisal.objects.get(pk=appraisal_id)
    except Appraisal.DoesNotExist as exc:
        raise AppraisalNotFoundError() from exc


def appraisal_ensure_exists(*, appraisal_id: int) -> None:
    if not Appraisal.objects.filter(pk=appraisal_id).exists():
        raise AppraisalNotFoundError()


def participant_list(*, appraisal_id: int) -> QuerySet[AppraisalParticipant]:
    """The visible participants of one appraisal, oldest first; 404 for an unknown appraisal. Output needs no joins."""
    appraisal_ensure_exists(appraisal_id=appraisal_id)
    return AppraisalParticipant.objects.filter(appraisal_id=appraisal_id).exclude(status=ParticipantStatus.DELETED)


def participant_get(*, appraisal_id: int, participant_id: int) -> AppraisalParticipant:
    """One visible participant of this appraisal; 404 for an unknown appraisal, another's or a deleted participant."""
    try:
        return participant_list(appraisal_id=appraisal_id).get(pk=participant_id)
    except AppraisalParticipant.DoesNotExist as exc:
        raise ParticipantNotFoundError() from exc
