from typing import Any

from rest_framework.permissions import IsAuthenticated


class IsConfirmedUser(IsAuthenticated):
    """Authenticated and with a confirmed email: the rule for every business endpoint."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return super().has_permission(request, view) and bool(request.user.confirmed_email)
