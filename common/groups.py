"""Integration groups (Dispatchers, hr-integration, partner-integration): one way to create and keep them.

Each app's data migration creates its group with `group_migration(app_label, group, codenames)`; the same
app's `ready()` connects `keep_group(...)` to post_migrate so a flushed test database (thread tests flush
tables) gets the group back. Rights are Django model permissions, checked by `common.permissions`.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.auth.management import create_permissions
from django.db import migrations


def _ensure(apps: Any, using: str, app_label: str, group_name: str, codenames: Iterable[str] | None) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.using(using).get_or_create(name=group_name)
    permissions = Permission.objects.using(using).filter(content_type__app_label=app_label)
    if codenames is not None:
        permissions = permissions.filter(codename__in=list(codenames))
    group.permissions.add(*permissions)


def group_migration(app_label: str, group_name: str, codenames: Iterable[str] | None = None) -> migrations.RunPython:
    """A RunPython operation creating `group_name` with the app's permissions (all, or the given codenames)."""
    codenames = list(codenames) if codenames is not None else None

    def forwards(apps: Any, schema_editor: Any) -> None:
        # Permissions are normally created after all migrations; create this app's now so the group can hold them.
        app_config = apps.get_app_config(app_label)
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True  # historical app configs have none
        try:
            create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
        finally:
            app_config.models_module = models_module
        _ensure(apps, schema_editor.connection.alias, app_label, group_name, codenames)

    def backwards(apps: Any, schema_editor: Any) -> None:
        apps.get_model("auth", "Group").objects.using(schema_editor.connection.alias).filter(name=group_name).delete()

    return migrations.RunPython(forwards, backwards)


def keep_group(app_label: str, group_name: str, codenames: Iterable[str] | None = None) -> Callable[..., None]:
    """A post_migrate receiver that recreates the group and its permissions when they are missing."""
    codenames = list(codenames) if codenames is not None else None

    def receiver(sender: Any, using: str = "default", apps: Any = None, **kwargs: Any) -> None:
        from django.apps import apps as global_apps

        _ensure(apps or global_apps, using, app_label, group_name, codenames)

    return receiver
