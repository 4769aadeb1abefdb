from typing import Any

from common.groups import keep_group
from common.permissions import IsConfirmedUser

PARTNER_API_PERMISSION = "partner.use_partner_api"
PARTNER_API_GROUP = "partner-integration"


class CanUsePartnerApi(IsConfirmedUser):
    """The platform's own services call the partner API: a confirmed account holding `partner.use_partner_api`
    (given by the `partner-integration` group; superusers have it)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return super().has_permission(request, view) and request.user.has_perm(PARTNER_API_PERMISSION)


#: post_migrate keeps the group after a flush, as migration 0004 made it
keep_partner_group = keep_group("partner", PARTNER_API_GROUP, ["use_partner_api"])
