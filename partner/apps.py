import logging

from django.apps import AppConfig


class PartnerConfig(AppConfig):
    name = "partner"

    def ready(self) -> None:
        # pika logs every connection step and httpx every request at INFO; our own logs and metrics say what matters.
        # An explicit level in settings.LOGGING wins.
        for name in ("pika", "httpx"):
            logger = logging.getLogger(name)
            if logger.level == logging.NOTSET:
                logger.setLevel(logging.WARNING)
