"""The history of appraisal participants and their entries in the event log, written by the services in the
transaction of the change. Readers through the API hold the hr-integration group's permissions, so webhooks go to
endpoints of scope `appraisals`."""

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from appraisals.models import AppraisalParticipant, ParticipantHistory, ParticipantHistoryAction
from events.services import event_record
from events.types import EventType

_TYPES = {
    ParticipantHistoryAction.CREATED: EventType.PARTICIPANT_CREATED,
    ParticipantHistoryAction.UPDATED: EventType.PARTICIPANT_UPDATED,
    ParticipantHistoryAction.DELETED: EventType.PARTICIPANT_DELETED,
}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return value


def participant_snapshot(participant: AppraisalParticipant, fields: Iterable[str]) -> dict[str, Any]:
    return {field: _plain(getattr(participant, field)) for field in fields}


def participant_history_record(
    participant: AppraisalParticipant,
    *,
    action: ParticipantHistoryAction,
    actor: Any = None,
    before: Mapping[str, Any] | None = None,
) -> ParticipantHistory | None:
    """A history row and an event; for an update, only when a field changed (`before` is the snapshot)."""
    changes: dict[str, list[Any]] = {}
    if before is not None:
        after = participant_snapshot(participant, before.keys())
        changes = {field: [before[field], after[field]] for field in before if before[field] != after[field]}
        if action == ParticipantHistoryAction.UPDATED and not changes:
            return None
    entry = ParticipantHistory.objects.create(
        participant=participant,
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        changes=changes,
    )
    data: dict[str, Any] = {
        "appraisal_id": participant.appraisal_id,
        "external_id": participant.external_id,
        "participant_user_external_id": participant.participant_user_external_id,
        "status": participant.status,
    }
    if changes:
        data["changes"] = changes
    event_record(
        type=_TYPES[action],
        object_type="participant",
        object_id=participant.pk,
        actor=actor if getattr(actor, "pk", None) else None,
        data=data,
    )
    return entry
