from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_permission_codename
from django.db.models import QuerySet
from django.db.models.fields import BLANK_CHOICE_DASH
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html_join

from appraisals import services
from appraisals.errors import APPRAISAL_HAS_PARTICIPANTS, AppraisalInUseError
from appraisals.models import (
    SETTABLE_STATUSES,
    Appraisal,
    AppraisalParticipant,
    ParticipantHistory,
    decode_base64_text,
)
from common.admin import ReadOnlyAdminMixin
from common.errors import NotFoundError

BASE64_FIELDS = (("text_feedback", "Text feedback"), ("text_hint", "Text hint"), ("participation_reason", "Reason"))


def _decoded(value: str | None) -> str:
    if not value:
        return "—"
    try:
        return decode_base64_text(value)
    except ValueError:
        return "(not valid Base64)"


class DecodedTextsMixin:
    """Staff read the Base64 texts decoded; the stored Base64 stays editable as received."""

    @admin.display(description="Decoded texts")
    def decoded_texts(self, obj: AppraisalParticipant) -> str:
        return format_html_join(
            "", "<p><strong>{}:</strong> {}</p>", ((label, _decoded(getattr(obj, f))) for f, label in BASE64_FIELDS)
        )


class AppraisalParticipantForm(forms.ModelForm):
    """A participant's status moves only through the services: the change form shows it read-only (a disabled
    field ignores what is posted), and "Mark deleted", with its permission, is the one way to status 5.
    A participant added here starts in one of the statuses 1-4, as one created through the API does."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        status = self.fields.get("status")
        if status is None:
            return
        if self.instance.pk is not None:
            status.disabled = True
        elif isinstance(status, forms.TypedChoiceField):
            status.choices = [*BLANK_CHOICE_DASH, *((s.value, s.label) for s in SETTABLE_STATUSES)]


class AppraisalParticipantInline(DecodedTextsMixin, admin.TabularInline):
    model = AppraisalParticipant
    form = AppraisalParticipantForm
    extra = 0
    fields = (
        "external_id",
        "participant_user_external_id",
        "status",
        "is_main",
        "date_completed",
        "request_date",
        "request_last_date",
        "decoded_texts",
    )
    readonly_fields = ("decoded_texts",)
    show_change_link = True
    can_delete = False  # participants are deleted softly (status 5), never removed


@admin.register(Appraisal)
class AppraisalAdmin(admin.ModelAdmin):
    list_display = ("id", "title", "external_id", "created_at", "updated_at")
    search_fields = ("title", "external_id")
    list_filter = ("created_at",)
    readonly_fields = ("created_at", "updated_at")
    inlines = [AppraisalParticipantInline]

    def delete_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> HttpResponse:
        # As the API's 409: an appraisal that ever had participants (deleted ones included) stays. Staff are told
        # why on the appraisal's page instead of a bare permission error.
        appraisal = self.get_object(request, unquote(object_id))
        if appraisal is not None and appraisal.participants.exists():
            self.message_user(request, f"“{appraisal}” was not deleted: {APPRAISAL_HAS_PARTICIPANTS}", messages.ERROR)
            return redirect(reverse("admin:appraisals_appraisal_change", args=[appraisal.pk]))
        return super().delete_view(request, object_id, extra_context)

    def _delete(self, appraisal_id: int) -> bool:
        try:
            services.appraisal_delete(appraisal_id=appraisal_id)
        except AppraisalInUseError:  # a participant was added after the page was shown
            return False
        except NotFoundError:
            pass  # already deleted by someone else: the outcome the staff member asked for
        return True

    def delete_model(self, request: HttpRequest, obj: Appraisal) -> None:
        if not self._delete(obj.pk):
            self.message_user(request, f"“{obj}” was not deleted: {APPRAISAL_HAS_PARTICIPANTS}", messages.ERROR)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Appraisal]) -> None:
        kept = [pk for pk in queryset.order_by("pk").values_list("pk", flat=True) if not self._delete(pk)]
        if kept:
            self.message_user(request, f"{len(kept)} kept: {APPRAISAL_HAS_PARTICIPANTS}", messages.ERROR)


@admin.register(AppraisalParticipant)
class AppraisalParticipantAdmin(DecodedTextsMixin, admin.ModelAdmin):
    form = AppraisalParticipantForm
    list_display = (
        "id",
        "appraisal",
        "participant_user_external_id",
        "external_id",
        "status",
        "is_main",
        "date_completed",
        "updated_at",
    )
    list_filter = ("status", "is_main")
    search_fields = ("external_id", "participant_user_external_id", "appraisal__title", "appraisal__external_id")
    list_select_related = ("appraisal",)
    raw_id_fields = ("appraisal",)
    readonly_fields = ("decoded_texts", "created_at", "updated_at")
    actions = ["mark_deleted"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # never removed: "Mark deleted" sets status 5 and the row stays, as the API's DELETE does

    def has_soft_delete_permission(self, request: HttpRequest) -> bool:
        """The model's delete permission, which the API's DELETE (a soft delete) needs too."""
        return request.user.has_perm(f"{self.opts.app_label}.{get_permission_codename('delete', self.opts)}")

    @admin.action(description="Mark deleted (status 5)", permissions=["soft_delete"])
    def mark_deleted(self, request: HttpRequest, queryset: QuerySet[AppraisalParticipant]) -> None:
        """Soft-delete through the API's service: the same row lock and rules, the row stays in the admin."""
        deleted, already = 0, 0
        for appraisal_id, participant_id in queryset.order_by("pk").values_list("appraisal_id", "pk"):
            try:
                services.participant_delete(
                    appraisal_id=appraisal_id, participant_id=participant_id, actor=request.user
                )
                deleted += 1
            except NotFoundError:  # status 5 already (possibly set concurrently)
                already += 1
        self.message_user(request, f"{deleted} marked deleted (status 5).", messages.SUCCESS)
        if already:
            self.message_user(request, f"{already} were already deleted and stay as they were.", messages.WARNING)


@admin.register(ParticipantHistory)
class ParticipantHistoryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Every change of a participant, written by its services (read-only: the audit trail)."""

    list_display = ("created_at", "participant", "action", "actor")
    list_filter = ("action",)
    search_fields = ("=participant__id",)
    list_select_related = ("participant", "actor")
