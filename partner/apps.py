import logging
from typing import Any

from django.apps import AppConfig


def _serve_worker_metrics(**kwargs: Any) -> None:
    """A Celery worker serves the partner metrics on PARTNERAPI_METRICS_PORT (document 004), when it is set."""
    from partner.conf import partner_settings
    from partner.metrics import serve_metrics

    serve_metrics(partner_settings().metrics_port)


class PartnerConfig(AppConfig):
    name = "partner"

    def ready(self) -> None:
        # pika logs every connection step and httpx every request at INFO; our own logs and metrics say what matters.
        # An explicit level in settings.LOGGING wins.
        for name in ("pika", "httpx"):
            logger = logging.getLogger(name)
            if logger.level == logging.NOTSET:
                logger.setLevel(logging.WARNING)
        from celery.signals import worker_ready
        from django.db.models.signals import post_migrate

        from partner.permissions import keep_partner_group

        post_migrate.connect(keep_partner_group, sender=self, dispatch_uid="partner.keep_partner_group")

        worker_ready.connect(_serve_worker_metrics, weak=False, dispatch_uid="partner-worker-metrics")
