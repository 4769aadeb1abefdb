"""Idempotent demo data. Each domain adds its part through a `seed_demo(stdout)` function in <app>/demo.py."""

from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

DEMO_PASSWORD = "demo-pass-2024"


class Command(BaseCommand):
    help = "Create demo users and domain data (safe to run again); prints the logins."

    def handle(self, *args: Any, **options: Any) -> None:
        logins: list[tuple[str, str]] = []
        with transaction.atomic():
            for config in apps.get_app_configs():
                try:
                    module = import_module(f"{config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.demo":
                        raise
                    continue
                logins.extend(module.seed_demo(password=DEMO_PASSWORD))
        self.stdout.write(self.style.SUCCESS("Demo data ready. Logins (username / password):"))
        for username, role in logins:
            self.stdout.write(f"  {username:<16} {DEMO_PASSWORD}   {role}")
