"""The hr-integration group: the HR system's user holds every model permission of the appraisals app."""

from django.db import migrations

from common.groups import group_migration


class Migration(migrations.Migration):
    dependencies = [
        ("appraisals", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [group_migration("appraisals", "hr-integration")]
