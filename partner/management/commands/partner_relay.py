from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from partner.conf import partner_settings
from partner.metrics import serve_metrics
from partner.outbox import RelayPublishError, relay_run


class Command(BaseCommand):
    help = (
        "Publish the partner integration's outbox events to RabbitMQ (publisher confirms, persistent messages). "
        "Several relays may run at once. Exits with an error when the broker stays down past the retries."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Drain the outbox and exit.")
        parser.add_argument("--metrics-port", type=int, default=None, help="Default: PARTNERAPI_METRICS_PORT.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["once"]:
            serve_metrics(options["metrics_port"] or partner_settings().metrics_port)
        try:
            sent = relay_run(once=options["once"])
        except RelayPublishError as exc:
            raise CommandError(f"RabbitMQ unavailable, events stay in the outbox: {exc}") from exc
        except KeyboardInterrupt:
            return
        self.stdout.write(f"Published {sent} event(s).")
