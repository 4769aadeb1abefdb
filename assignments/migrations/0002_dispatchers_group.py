"""The Dispatchers group, holding every assignments permission (editable in the admin afterwards)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

DISPATCHERS_GROUP = "Dispatchers"


def create_dispatchers_group(apps, schema_editor):
    # Permissions are normally created after all migrations; create this app's now so the group can hold them.
    app_config = apps.get_app_config("assignments")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, created = Group.objects.using(schema_editor.connection.alias).get_or_create(name=DISPATCHERS_GROUP)
    if created:
        group.permissions.set(Permission.objects.filter(content_type__app_label="assignments"))


class Migration(migrations.Migration):
    dependencies = [
        ("assignments", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_dispatchers_group, migrations.RunPython.noop)]
