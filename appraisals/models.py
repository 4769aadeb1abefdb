"""Appraisals (анкетирования) and their participants, document 003."""

import base64
import binascii

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q


class ParticipantStatus(models.IntegerChoices):
    """Document 003's participant statuses; 5 is written only by DELETE (a soft delete)."""

    REQUESTED = 1, "requested"
    PROVIDED = 2, "provided"
    NOT_REQUESTED = 3, "not requested"
    UNABLE_TO_ASSESS = 4, "unable to assess"
    DELETED = 5, "deleted"


# The statuses a client may set; DELETED is reached through DELETE only.
SETTABLE_STATUSES = [status for status in ParticipantStatus if status != ParticipantStatus.DELETED]


def decode_base64_text(value: str) -> str:
    """The text a Base64 field carries; ValueError when it is not strict Base64 of UTF-8 text."""
    try:
        raw = base64.b64decode(value, validate=True)
        # Canonical form only: the decoder forgives stray padding, which would make one text have many spellings.
        if base64.b64encode(raw).decode("ascii") != value:
            raise ValueError("not canonical Base64")
        return raw.decode("utf-8")
    except (binascii.Error, ValueError) as exc:
        raise ValueError("Enter a valid Base64-encoded UTF-8 string.") from exc


def validate_base64_text(value: str | None) -> None:
    if value is None:
        return
    try:
        decode_base64_text(value)
    except ValueError as exc:
        raise ValidationError(str(exc), code="invalid_base64") from exc


class Appraisal(models.Model):
    external_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    title = models.CharField(max_length=255)
    description = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title


class AppraisalParticipant(models.Model):
    """A participant (evaluator) of an appraisal. Text fields hold Base64 strings exactly as received."""

    appraisal = models.ForeignKey(
        Appraisal,
        on_delete=models.PROTECT,
        related_name="participants",
        db_index=False,  # covered by the (appraisal, id) index
    )
    external_id = models.CharField(max_length=255, null=True, blank=True)
    participant_user_external_id = models.CharField(max_length=255)
    date_completed = models.DateTimeField()
    is_main = models.BooleanField()
    text_feedback = models.TextField(null=True, blank=True, validators=[validate_base64_text])
    text_hint = models.TextField(null=True, blank=True, validators=[validate_base64_text])
    participation_reason = models.TextField(null=True, blank=True, validators=[validate_base64_text])
    status = models.PositiveSmallIntegerField(choices=ParticipantStatus.choices)
    request_date = models.DateTimeField(null=True, blank=True)
    request_last_date = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            # A deleted participant keeps its externalId for the record, yet frees it for a new participant.
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~Q(status=ParticipantStatus.DELETED),
                name="appraisals_participant_active_external_id_uniq",
                violation_error_message="Another participant that is not deleted already has this externalId.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ParticipantStatus.values),
                name="appraisals_participant_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["appraisal", "id"], name="appr_part_appr_id_idx"),
            models.Index(fields=["appraisal", "status"], name="appr_part_appr_status_idx"),
            models.Index(fields=["appraisal", "is_main"], name="appr_part_appr_main_idx"),
            models.Index(fields=["appraisal", "participant_user_external_id"], name="appr_part_appr_user_idx"),
            models.Index(fields=["external_id"], name="appr_part_external_id_idx"),
            # The admin's status and isMain filters, read in its id order across appraisals.
            models.Index(fields=["status", "id"], name="appr_part_status_id_idx"),
            models.Index(fields=["is_main", "id"], name="appr_part_main_id_idx"),
        ]

    def __str__(self) -> str:
        return f"participant {self.participant_user_external_id} in “{self.appraisal}”"


class ParticipantHistoryAction(models.TextChoices):
    CREATED = "created", "Created"
    UPDATED = "updated", "Updated"
    DELETED = "deleted", "Deleted (status 5)"


class ParticipantHistory(models.Model):
    """Every change of a participant (written by its services): created, updated with the fields changed
    (`{field: [old, new]}`) or deleted (status 5); who and when."""

    participant = models.ForeignKey(AppraisalParticipant, on_delete=models.PROTECT, related_name="history")
    action = models.CharField(max_length=16, choices=ParticipantHistoryAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "participant history"
        indexes = [models.Index(fields=["participant", "created_at"], name="appraisals_history_part_idx")]

    def __str__(self) -> str:
        return f"participant {self.participant_id}: {self.action}"
