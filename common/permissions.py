from typing import Any

from rest_framework.permissions import DjangoModelPermissions, IsAuthenticated


class IsConfirmedUser(IsAuthenticated):
    """Authenticated and with a confirmed email: the rule for every business endpoint."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return super().has_permission(request, view) and bool(request.user.confirmed_email)


class ModelPermissions(DjangoModelPermissions):
    """Django model permissions, reads needing the view permission too: the rule of the integration groups
    (a view sets `queryset` or `permission_model` to name the model its permissions are checked on)."""

    perms_map: dict[str, list[str]] = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }

    def _queryset(self, view: Any) -> Any:
        model = getattr(view, "permission_model", None)
        if model is not None:
            return model._default_manager.none()
        return super()._queryset(view)
