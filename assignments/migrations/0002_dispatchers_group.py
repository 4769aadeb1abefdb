"""The Dispatchers group, holding every assignments permission (editable in the admin afterwards)."""

from django.db import migrations

from common.groups import group_migration


class Migration(migrations.Migration):
    dependencies = [
        ("assignments", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [group_migration("assignments", "Dispatchers")]
