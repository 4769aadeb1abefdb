"""Who may use the appraisal API: the app's Django model permissions, granted through the hr-integration group."""

from typing import Any

from django.contrib.auth.models import Group, Permission
from rest_framework.permissions import DjangoModelPermissions

HR_INTEGRATION_GROUP = "hr-integration"
APP_LABEL = "appraisals"


class AppraisalModelPermissions(DjangoModelPermissions):
    """DRF's model permissions, with reads needing the view permission too."""

    perms_map: dict[str, list[str]] = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }


def hr_group_ensure(*, using: str = "default") -> Group:
    """The hr-integration group, holding every model permission of this app (idempotent)."""
    group, _ = Group.objects.using(using).get_or_create(name=HR_INTEGRATION_GROUP)
    permissions = Permission.objects.using(using).filter(content_type__app_label=APP_LABEL)
    group.permissions.add(*permissions)
    return group


def sync_hr_group(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """post_migrate: keep the group (created by migration 0002) complete, also after a test flush."""
    hr_group_ensure(using=using)
