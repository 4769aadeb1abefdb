from django.db import migrations

DEFAULT_ROLES = {
    "owner": {"can_view": True, "can_create": True, "can_change": True, "can_delete": True},
    "manager": {"can_view": True, "can_create": True, "can_change": True, "can_delete": False},
    "employee": {"can_view": True, "can_create": False, "can_change": False, "can_delete": False},
}


def create_default_roles(apps, schema_editor):
    Role = apps.get_model("organizations", "Role")
    for name, rights in DEFAULT_ROLES.items():
        Role.objects.get_or_create(name=name, defaults=rights)


def remove_default_roles(apps, schema_editor):
    Role = apps.get_model("organizations", "Role")
    Role.objects.filter(name__in=DEFAULT_ROLES, memberships__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]

    operations = [migrations.RunPython(create_default_roles, remove_default_roles)]
