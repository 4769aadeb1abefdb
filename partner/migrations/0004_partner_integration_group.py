"""The partner-integration group, holding the permission to call the partner API (editable in the admin)."""

from django.db import migrations

from common.groups import group_migration


class Migration(migrations.Migration):
    dependencies = [
        ("partner", "0003_placement_and_leases"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [group_migration("partner", "partner-integration", ["use_partner_api"])]
