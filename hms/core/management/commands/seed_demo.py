from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from hms.accounts.models import User
from hms.core.demo import build_demo


class Command(BaseCommand):
    help = "Fill an empty database with the demo university (does nothing if there are users)."

    def handle(self, *args: Any, **options: Any) -> None:
        if User.objects.exists():
            self.stdout.write("The database has users already: no demo data added.")
            return
        build_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo university created ({User.objects.count()} people)."))
