from django.contrib import admin
from django.utils.html import format_html_join

from appraisals.models import Appraisal, AppraisalParticipant, decode_base64_text

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


class AppraisalParticipantInline(DecodedTextsMixin, admin.TabularInline):
    model = AppraisalParticipant
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


@admin.register(AppraisalParticipant)
class AppraisalParticipantAdmin(DecodedTextsMixin, admin.ModelAdmin):
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
