"""Types the HTTP layer shares."""

from typing import TYPE_CHECKING

from rest_framework.request import Request

if TYPE_CHECKING:
    from accounts.models import User


class AuthenticatedRequest(Request):
    """A request that passed authentication: `user` is a real account (annotate views' `request` with it)."""

    user: "User"
