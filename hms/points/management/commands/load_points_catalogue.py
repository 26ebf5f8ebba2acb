from __future__ import annotations

from pathlib import Path
from typing import Any

from hms.core.versions import LoadVersionCommand
from hms.points import services
from hms.points.models import PointCatalogue

DEFAULT = Path(__file__).resolve().parents[2] / "data" / "catalogue_default.json"


class Command(LoadVersionCommand):
    help = ("Load a catalogue of the points (JSON) as a new version, in force from --first-year "
            "(default: this year); the shipped catalogue if no file is given.")
    shipped = DEFAULT
    what = "Catalogue of the points"

    def load(self, definition: dict[str, Any], first_year: int | None) -> PointCatalogue:
        return services.load_catalogue(actor=None, definition=definition, first_year=first_year)
