"""Demo data: the `partner-integration` group and a service account allowed to call /v1 and /v2."""

from django.contrib.auth.models import Group, Permission

from accounts.demo import ensure_user
from partner.permissions import PARTNER_API_GROUP


def seed_demo(*, password: str) -> list[tuple[str, str]]:
    group, _ = Group.objects.get_or_create(name=PARTNER_API_GROUP)
    group.permissions.add(Permission.objects.get(content_type__app_label="partner", codename="use_partner_api"))
    user = ensure_user(username="partner-service", password=password, first_name="Partner", last_name="Service")
    user.groups.add(group)
    return [("partner-service", f"{PARTNER_API_GROUP} group: /v1/*, /v2/orders/ (fake partner with make run)")]
