from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hms.core.errors import ServiceError
from hms.points import services

DEFAULT = Path(__file__).resolve().parents[2] / "data" / "catalogue_default.json"


class Command(BaseCommand):
    help = ("Load a catalogue of the points (JSON) as a new version, in force from --first-year "
            "(default: this year); the shipped catalogue if no file is given.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", nargs="?", default=str(DEFAULT))
        parser.add_argument("--first-year", type=int, default=None)

    def handle(self, *args: Any, path: str, first_year: int | None, **options: Any) -> None:
        try:
            definition = json.loads(Path(path).read_text(encoding="utf-8"))
            catalogue = services.load_catalogue(actor=None, definition=definition,
                                                first_year=first_year)
        except (OSError, json.JSONDecodeError, ServiceError) as error:
            raise CommandError(f"{path}: {error}") from error
        self.stdout.write(f"Catalogue of the points: {catalogue}")
