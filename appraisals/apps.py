from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AppraisalsConfig(AppConfig):
    name = "appraisals"

    def ready(self) -> None:
        from appraisals.permissions import sync_hr_group

        post_migrate.connect(sync_hr_group, sender=self, dispatch_uid="appraisals_sync_hr_group")
