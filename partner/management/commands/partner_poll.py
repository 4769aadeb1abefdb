import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from partner.conf import partner_settings
from partner.metrics import serve_metrics
from partner.services import partner_orders_poll


class Command(BaseCommand):
    help = "Refresh the partner status of open orders every PARTNERAPI_POLL_INTERVAL seconds."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="One pass, then exit.")
        parser.add_argument("--interval", type=float, default=None, help="Default: PARTNERAPI_POLL_INTERVAL.")
        parser.add_argument("--metrics-port", type=int, default=None, help="Default: PARTNERAPI_METRICS_PORT.")

    def handle(self, *args: Any, **options: Any) -> None:
        conf = partner_settings()
        interval = conf.poll_interval if options["interval"] is None else options["interval"]
        if not options["once"]:
            serve_metrics(options["metrics_port"] or conf.metrics_port)
        stop = threading.Event()
        try:
            while True:
                summary = partner_orders_poll()
                self.stdout.write(f"Checked {summary.checked}, changed {summary.changed}, failed {summary.failed}.")
                if options["once"]:
                    return
                stop.wait(interval)
        except KeyboardInterrupt:
            return
