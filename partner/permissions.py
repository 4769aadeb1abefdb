from typing import Any

from common.permissions import IsConfirmedUser

PARTNER_API_PERMISSION = "partner.use_partner_api"
PARTNER_API_GROUP = "partner-integration"


class CanUsePartnerApi(IsConfirmedUser):
    """The platform's own services call the partner API: a confirmed account holding `partner.use_partner_api`
    (given by the `partner-integration` group; superusers have it)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return super().has_permission(request, view) and request.user.has_perm(PARTNER_API_PERMISSION)
