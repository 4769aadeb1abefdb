from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from partner.services import partner_orders_poll


class Command(BaseCommand):
    help = (
        "Refresh the partner status of open orders now, once. The Celery beat schedule runs this every "
        "PARTNERAPI_POLL_INTERVAL seconds; this is for operators and tests."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Kept for compatibility: the command always runs once.")

    def handle(self, *args: Any, **options: Any) -> None:
        summary = partner_orders_poll()
        self.stdout.write(f"Checked {summary.checked}, changed {summary.changed}, failed {summary.failed}.")
