from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AppraisalsConfig(AppConfig):
    name = "appraisals"

    def ready(self) -> None:
        from appraisals.permissions import keep_hr_integration_group

        post_migrate.connect(
            keep_hr_integration_group, sender=self, dispatch_uid="appraisals.keep_hr_integration_group"
        )
