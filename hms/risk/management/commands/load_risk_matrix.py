from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hms.core.errors import ServiceError
from hms.risk import services

DEFAULT = Path(__file__).resolve().parents[2] / "data" / "risk_matrix_default.json"


class Command(BaseCommand):
    help = "Load a risk matrix definition (JSON) as the version in use; the shipped default if no file."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", nargs="?", default=str(DEFAULT))

    def handle(self, *args: Any, path: str, **options: Any) -> None:
        try:
            definition = json.loads(Path(path).read_text(encoding="utf-8"))
            matrix = services.load_matrix(actor=None, definition=definition)
        except (OSError, json.JSONDecodeError, ServiceError) as error:
            raise CommandError(f"{path}: {error}") from error
        self.stdout.write(f"Risk matrix in use: {matrix}")
