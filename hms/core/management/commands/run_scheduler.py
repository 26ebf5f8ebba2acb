from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from hms.core import scheduler


class Command(BaseCommand):
    help = "Run the reminder scheduler: every minute, enqueue the daily jobs that are due."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="Tick once and exit.")
        parser.add_argument("--interval", type=int, default=60, help="Seconds between ticks.")

    def handle(self, *args: Any, once: bool, interval: int, **options: Any) -> None:
        while True:
            for key in scheduler.tick():
                self.stdout.write(f"enqueued {key}")
            if once:
                return
            close_old_connections()
            time.sleep(interval)
