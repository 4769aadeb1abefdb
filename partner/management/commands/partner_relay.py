from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from partner.outbox import RelayPublishError, relay_drain


class Command(BaseCommand):
    help = (
        "Publish the partner integration's pending outbox events to RabbitMQ now, once (publisher confirms, "
        "persistent messages). The Celery worker publishes them continuously; this is for operators and tests."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Kept for compatibility: the command always runs once.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            sent = relay_drain()
        except RelayPublishError as exc:
            raise CommandError(f"RabbitMQ unavailable, events stay in the outbox: {exc}") from exc
        self.stdout.write(f"Published {sent} event(s).")
