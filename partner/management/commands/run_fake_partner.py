from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from partner.fake_partner import FakePartner


class Command(BaseCommand):
    help = "Serve a fake of the partner's HTTP API (document 004's protocol) for development."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8100)

    def handle(self, *args: Any, **options: Any) -> None:
        partner = FakePartner()
        self.stdout.write(f"Fake partner on http://{options['host']}:{options['port']} (PARTNERAPI_URL)")
        self.stdout.write(f"Stock (their_id: reservation / pre-order price, quantity): {partner.stock}")
        try:
            partner.serve_forever(options["host"], options["port"])
        except KeyboardInterrupt:
            partner.stop()
