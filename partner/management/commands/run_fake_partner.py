from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from partner.fake_partner import FakePartner


class Command(BaseCommand):
    help = "Serve a fake of the partner's HTTP API (document 004's protocol) for development."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8100)

    def handle(self, *args: Any, **options: Any) -> None:
        partner = FakePartner(log=self._print)
        self.stdout.write(f"Fake partner on http://{options['host']}:{options['port']} (PARTNERAPI_URL); its stock:")
        for their_id, item in partner.stock.items():
            self.stdout.write(
                f"  item {their_id:>6}: reservation {_price(item.price)}, pre-order {_price(item.preorder_price)}, "
                f"{item.quantity} in stock"
            )
        try:
            partner.serve_forever(options["host"], options["port"])
        except KeyboardInterrupt:
            partner.stop()

    def _print(self, line: str) -> None:
        self.stdout.write(f"[fake partner] {line}")
        self.stdout.flush()


def _price(price: Decimal | None) -> str:
    return "not sold" if price is None else f"{price:.2f}"
