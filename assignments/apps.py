from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AssignmentsConfig(AppConfig):
    name = "assignments"

    def ready(self) -> None:
        from assignments.permissions import keep_dispatchers_group

        post_migrate.connect(keep_dispatchers_group, sender=self, dispatch_uid="assignments.keep_dispatchers_group")
