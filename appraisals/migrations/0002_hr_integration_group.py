"""The hr-integration group: the HR system's user holds every model permission of the appraisals app."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "hr-integration"


def create_group(apps, schema_editor):  # type: ignore[no-untyped-def]
    # Permissions are normally created after all migrations; create this app's now so the group can hold them.
    app_config = apps.get_app_config("appraisals")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True  # historical app configs have none; create_permissions needs one
    try:
        create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
    finally:
        app_config.models_module = models_module

    db = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.using(db).get_or_create(name=GROUP)
    group.permissions.add(*Permission.objects.using(db).filter(content_type__app_label="appraisals"))


def delete_group(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("auth", "Group").objects.using(schema_editor.connection.alias).filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("appraisals", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
