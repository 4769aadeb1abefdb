"""The admin site: Django's, with an index that starts with what needs attention."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib import admin
from django.db.models import Min
from django.http import HttpRequest
from django.template.response import TemplateResponse

from accounts.models import OutgoingEmail
from assignments.models import AssignedOrder
from assignments.selectors import stale_acquired
from common.admin import changelist_url
from partner.models import OutboxEvent, PartnerOrder, Placement, StatusId


@dataclass(frozen=True)
class Attention:
    """One thing support should look at: how many, since when, and the filtered list that shows them."""

    label: str
    count: int
    url: str
    oldest: datetime | None = None


def attention_items() -> list[Attention]:
    """Five cheap aggregate queries (each over a partial or filtered index)."""
    mail = OutgoingEmail.objects.filter(sent_at__isnull=True, given_up_at__isnull=True).aggregate(
        oldest=Min("created_at")
    )
    mail_count = OutgoingEmail.objects.filter(sent_at__isnull=True, given_up_at__isnull=True).count()
    events = OutboxEvent.objects.filter(sent_at__isnull=True)
    unknown = PartnerOrder.objects.filter(status_id=StatusId.UNKNOWN)
    unsettled = PartnerOrder.objects.filter(placement=Placement.UNKNOWN)
    return [
        Attention(
            "Partner events waiting for the broker",
            events.count(),
            changelist_url(OutboxEvent, sent_at__isempty="1"),
            events.aggregate(oldest=Min("created_at"))["oldest"],
        ),
        Attention(
            "Mail waiting for delivery",
            mail_count,
            changelist_url(OutgoingEmail, sent_at__isempty="1", given_up_at__isempty="1"),
            mail["oldest"],
        ),
        Attention(
            "Partner orders sent, outcome unknown (reconciliation settles them)",
            unsettled.count(),
            changelist_url(PartnerOrder, placement__exact=Placement.UNKNOWN),
        ),
        Attention(
            "Partner orders in a status the partner did not explain",
            unknown.count(),
            changelist_url(PartnerOrder, status_id__exact=StatusId.UNKNOWN),
        ),
        Attention(
            "Assignments acquired more than a day ago",
            stale_acquired().count(),
            changelist_url(AssignedOrder, stale="acquired"),
        ),
    ]


class OpsAdminSite(admin.AdminSite):
    site_header = "Orders platform administration"
    site_title = "Orders platform admin"
    index_title = "Support"

    def index(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> TemplateResponse:
        return super().index(request, {"attention": attention_items(), **(extra_context or {})})
