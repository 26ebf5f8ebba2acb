from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from hms.core.seeding import build_demo


class Command(BaseCommand):
    help = "Fill an empty database with the demo university (does nothing if there are users)."

    def handle(self, *args: Any, **options: Any) -> None:
        people = get_user_model().objects
        if people.exists():
            self.stdout.write("The database has users already: no demo data added.")
            return
        build_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo university created ({people.count()} people)."))
