"""Every state change of appraisals and participants: one transaction each, rows locked before they change."""

from collections.abc import Callable, Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Model
from rest_framework.exceptions import NotFound, ValidationError

from appraisals import selectors
from appraisals.models import Appraisal, AppraisalParticipant, ParticipantStatus
from common.errors import ConflictError

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

DUPLICATE_APPRAISAL_EXTERNAL_ID = "An appraisal with this externalId already exists."
DUPLICATE_PARTICIPANT_EXTERNAL_ID = "An appraisal participant with this externalId already exists."
APPRAISAL_HAS_PARTICIPANTS = "The appraisal has participants (deleted ones included) and cannot be deleted."

# Builds the validated field values from the current (locked) row: how PATCH applies its operations.
Builder = Callable[[Any], Mapping[str, Any]]


class AppraisalInUseError(ConflictError):
    def __init__(self) -> None:
        super().__init__("appraisal_has_participants", APPRAISAL_HAS_PARTICIPANTS)


def _duplicate_external_id(instance: Model) -> bool:
    external_id = getattr(instance, "external_id", None)
    if not external_id:
        return False
    others = type(instance)._default_manager.filter(external_id=external_id).exclude(pk=instance.pk)
    if isinstance(instance, AppraisalParticipant):
        others = others.exclude(status=ParticipantStatus.DELETED)
    return others.exists()


def _save_unique(instance: Model, *, message: str, update_fields: list[str] | None = None) -> None:
    """Save, answering 400 for a taken externalId, also when a concurrent request took it first."""
    if _duplicate_external_id(instance):
        raise ValidationError({"externalId": [message]})
    try:
        with transaction.atomic():
            instance.save(update_fields=update_fields)
    except IntegrityError:
        if _duplicate_external_id(instance):
            raise ValidationError({"externalId": [message]}) from None
        raise


def _assign(instance: Model, fields: tuple[str, ...], data: Mapping[str, Any], empty: Mapping[str, Any]) -> None:
    """Full replacement: every field takes its new value; a field left out becomes empty."""
    for field in fields:
        setattr(instance, field, data.get(field, empty.get(field)))
    if not getattr(instance, "external_id", None):
        instance.external_id = None  # "" is no identifier: it must not collide with other empty ones


# --- appraisals -------------------------------------------------------------------------------


@transaction.atomic
def appraisal_create(*, data: Mapping[str, Any]) -> Appraisal:
    appraisal = Appraisal()
    _assign(appraisal, APPRAISAL_FIELDS, data, APPRAISAL_EMPTY)
    _save_unique(appraisal, message=DUPLICATE_APPRAISAL_EXTERNAL_ID)
    return appraisal


def _appraisal_lock(appraisal_id: int) -> Appraisal:
    try:
        return Appraisal.objects.select_for_update().get(pk=appraisal_id)
    except Appraisal.DoesNotExist as exc:
        raise NotFound("Appraisal not found.") from exc


@transaction.atomic
def appraisal_replace(*, appraisal_id: int, data: Mapping[str, Any]) -> Appraisal:
    appraisal = _appraisal_lock(appraisal_id)
    _assign(appraisal, APPRAISAL_FIELDS, data, APPRAISAL_EMPTY)
    _save_unique(appraisal, message=DUPLICATE_APPRAISAL_EXTERNAL_ID, update_fields=[*APPRAISAL_FIELDS, "updated_at"])
    return appraisal


@transaction.atomic
def appraisal_patch(*, appraisal_id: int, build: Builder) -> Appraisal:
    """Lock the row, build the new values from it (JSON Patch + validation), then replace it whole."""
    appraisal = _appraisal_lock(appraisal_id)
    _assign(appraisal, APPRAISAL_FIELDS, build(appraisal), APPRAISAL_EMPTY)
    _save_unique(appraisal, message=DUPLICATE_APPRAISAL_EXTERNAL_ID, update_fields=[*APPRAISAL_FIELDS, "updated_at"])
    return appraisal


@transaction.atomic
def appraisal_delete(*, appraisal_id: int) -> None:
    """Delete an appraisal that never had participants; participants are never lost, so otherwise 409."""
    appraisal = _appraisal_lock(appraisal_id)
    if appraisal.participants.exists():
        raise AppraisalInUseError()
    appraisal.delete()


# --- participants -----------------------------------------------------------------------------


def _participant_lock(*, appraisal_id: int, participant_id: int) -> AppraisalParticipant:
    selectors.appraisal_ensure_exists(appraisal_id=appraisal_id)
    try:
        return selectors.participant_list(appraisal_id=appraisal_id).select_for_update().get(pk=participant_id)
    except AppraisalParticipant.DoesNotExist as exc:
        raise NotFound("Participant not found.") from exc


@transaction.atomic
def participant_create(*, appraisal_id: int, data: Mapping[str, Any]) -> AppraisalParticipant:
    selectors.appraisal_ensure_exists(appraisal_id=appraisal_id)
    participant = AppraisalParticipant(appraisal_id=appraisal_id)
    _assign(participant, PARTICIPANT_FIELDS, data, {})
    _save_unique(participant, message=DUPLICATE_PARTICIPANT_EXTERNAL_ID)
    return participant


@transaction.atomic
def participant_replace(*, appraisal_id: int, participant_id: int, data: Mapping[str, Any]) -> AppraisalParticipant:
    """PUT: the whole resource is replaced; optional fields left out become empty (null)."""
    participant = _participant_lock(appraisal_id=appraisal_id, participant_id=participant_id)
    _assign(participant, PARTICIPANT_FIELDS, data, {})
    _save_unique(
        participant, message=DUPLICATE_PARTICIPANT_EXTERNAL_ID, update_fields=[*PARTICIPANT_FIELDS, "updated_at"]
    )
    return participant


@transaction.atomic
def participant_patch(*, appraisal_id: int, participant_id: int, build: Builder) -> AppraisalParticipant:
    """PATCH: lock the row so concurrent patches apply one after another, build the new values from it, replace."""
    participant = _participant_lock(appraisal_id=appraisal_id, participant_id=participant_id)
    _assign(participant, PARTICIPANT_FIELDS, build(participant), {})
    _save_unique(
        participant, message=DUPLICATE_PARTICIPANT_EXTERNAL_ID, update_fields=[*PARTICIPANT_FIELDS, "updated_at"]
    )
    return participant


@transaction.atomic
def participant_delete(*, appraisal_id: int, participant_id: int) -> AppraisalParticipant:
    """Soft delete: the row stays with status 5, hidden from the API, visible to staff in the admin."""
    participant = _participant_lock(appraisal_id=appraisal_id, participant_id=participant_id)
    participant.status = ParticipantStatus.DELETED
    participant.save(update_fields=["status", "updated_at"])
    return participant
