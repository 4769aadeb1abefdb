"""Every state change of appraisals and participants: one transaction each, rows locked before they change."""

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet

from appraisals import selectors
from appraisals.errors import (
    DUPLICATE_APPRAISAL_EXTERNAL_ID,
    DUPLICATE_PARTICIPANT_EXTERNAL_ID,
    AppraisalInUseError,
    AppraisalNotFoundError,
    DuplicateExternalIdError,
    ParticipantNotFoundError,
)
from appraisals.history import participant_history_record, participant_snapshot
from appraisals.models import Appraisal, AppraisalParticipant, ParticipantHistoryAction, ParticipantStatus

APPRAISAL_FIELDS = ("external_id", "title", "description")
PARTICIPANT_FIELDS = (
    "external_id",
    "participant_user_external_id",
    "date_completed",
    "is_main",
    "text_feedback",
    "text_hint",
    "participation_reason",
    "status",
    "request_date",
    "request_last_date",
)
# What a field left out of a full replacement becomes.
APPRAISAL_EMPTY: dict[str, Any] = {"external_id": None, "description": ""}
# Per model: the fields a full replacement sets, what a field left out becomes, the 400 for a taken externalId.
REPLACEMENT: dict[type[Model], tuple[tuple[str, ...], Mapping[str, Any], str]] = {
    Appraisal: (APPRAISAL_FIELDS, APPRAISAL_EMPTY, DUPLICATE_APPRAISAL_EXTERNAL_ID),
    AppraisalParticipant: (PARTICIPANT_FIELDS, {}, DUPLICATE_PARTICIPANT_EXTERNAL_ID),
}

Resource = TypeVar("Resource", bound=Appraisal | AppraisalParticipant)
# Builds the validated field values from the current (locked) row: how PATCH applies its operations.
Builder = Callable[[Resource], Mapping[str, Any]]


def _external_id_taken(instance: Appraisal | AppraisalParticipant) -> bool:
    if not instance.external_id:
        return False
    others: QuerySet[Any]
    if isinstance(instance, AppraisalParticipant):  # a deleted participant frees its externalId
        others = AppraisalParticipant.objects.exclude(status=ParticipantStatus.DELETED)
    else:
        others = Appraisal.objects.all()
    return others.filter(external_id=instance.external_id).exclude(pk=instance.pk).exists()


def _save_unique(instance: Appraisal | AppraisalParticipant, *, message: str, update_fields: list[str] | None) -> None:
    """Save, answering 400 for a taken externalId, also when a concurrent request took it first."""
    if _external_id_taken(instance):
        raise DuplicateExternalIdError(message)
    try:
        with transaction.atomic():
            instance.save(update_fields=update_fields)
    except IntegrityError:
        if _external_id_taken(instance):
            raise DuplicateExternalIdError(message) from None
        raise


def _replace(instance: Resource, data: Mapping[str, Any], *, creating: bool = False) -> Resource:
    """Full replacement: every field takes its new value; a field left out becomes empty."""
    fields, empty, duplicate = REPLACEMENT[type(instance)]
    for field in fields:
        setattr(instance, field, data.get(field, empty.get(field)))
    if not instance.external_id:
        instance.external_id = None  # "" is no identifier: it must not collide with other empty ones
    _save_unique(instance, message=duplicate, update_fields=None if creating else [*fields, "updated_at"])
    return instance


# --- appraisals -------------------------------------------------------------------------------


@transaction.atomic
def appraisal_create(*, data: Mapping[str, Any]) -> Appraisal:
    return _replace(Appraisal(), data, creating=True)


def _appraisal_lock(appraisal_id: int) -> Appraisal:
    try:
        return Appraisal.objects.select_for_update().get(pk=appraisal_id)
    except Appraisal.DoesNotExist as exc:
        raise AppraisalNotFoundError() from exc


@transaction.atomic
def appraisal_replace(*, appraisal_id: int, data: Mapping[str, Any]) -> Appraisal:
    return _replace(_appraisal_lock(appraisal_id), data)


@transaction.atomic
def appraisal_patch(*, appraisal_id: int, build: Builder[Appraisal]) -> Appraisal:
    """Lock the row, build the new values from it (JSON Patch + validation), then replace it whole."""
    appraisal = _appraisal_lock(appraisal_id)
    return _replace(appraisal, build(appraisal))


@transaction.atomic
def appraisal_delete(*, appraisal_id: int) -> None:
    """Delete an appraisal that never had participants; participants are never lost, so otherwise 409."""
    appraisal = _appraisal_lock(appraisal_id)
    if appraisal.participants.exists():
        raise AppraisalInUseError()
    appraisal.delete()


# --- participants -----------------------------------------------------------------------------


def _participant_lock(*, appraisal_id: int, participant_id: int) -> AppraisalParticipant:
    try:
        return selectors.participant_list(appraisal_id=appraisal_id).select_for_update().get(pk=participant_id)
    except AppraisalParticipant.DoesNotExist as exc:
        raise ParticipantNotFoundError() from exc


@transaction.atomic
def participant_create(*, appraisal_id: int, data: Mapping[str, Any], actor: Any = None) -> AppraisalParticipant:
    selectors.appraisal_ensure_exists(appraisal_id=appraisal_id)
    participant = _replace(AppraisalParticipant(appraisal_id=appraisal_id), data, creating=True)
    participant_history_record(participant, action=ParticipantHistoryAction.CREATED, actor=actor)
    return participant


@transaction.atomic
def participant_replace(
    *, appraisal_id: int, participant_id: int, data: Mapping[str, Any], actor: Any = None
) -> AppraisalParticipant:
    """PUT: the whole resource is replaced; optional fields left out become empty (null)."""
    participant = _participant_lock(appraisal_id=appraisal_id, participant_id=participant_id)
    before = participant_snapshot(participant, PARTICIPANT_FIELDS)
    participant = _replace(participant, data)
    participant_history_record(participant, action=ParticipantHistoryAction.UPDATED, actor=actor, before=before)
    return participant


@transaction.atomic
def participant_patch(
    *, appraisal_id: int, participant_id: int, build: Builder[AppraisalParticipant], actor: Any = None
) -> AppraisalParticipant:
    """PATCH: lock the row so concurrent patches apply one after another, build the new values from it, replace."""
    participant = _participant_lock(appraisal_id=appraisal_id, participant_id=participant_id)
    before = participant_snapshot(participant, PARTICIPANT_FIELDS)
    participant = _replace(participant, build(participant))
    participant_history_record(participant, action=ParticipantHistoryAction.UPDATED, actor=actor, before=before)
    return participant


@transaction.atomic
def participant_delete(*, appraisal_id: int, participant_id: int, actor: Any = None) -> AppraisalParticipant:
    """Soft delete: the row stays with status 5, hidden from the API, visible to staff in the admin."""
    participant = _participant_lock(appraisal_id=appraisal_id, participant_id=participant_id)
    before = participant_snapshot(participant, ["status"])
    participant.status = ParticipantStatus.DELETED
    participant.save(update_fields=["status", "updated_at"])
    participant_history_record(participant, action=ParticipantHistoryAction.DELETED, actor=actor, before=before)
    return participant
