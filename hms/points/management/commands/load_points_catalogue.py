from __future__ import annotations

from pathlib import Path

from hms.core.versions import LoadVersionCommand
from hms.points import services

DEFAULT = Path(__file__).resolve().parents[2] / "data" / "catalogue_default.json"


class Command(LoadVersionCommand):
    help = ("Load a catalogue of the points (JSON) as a new version, in force from --first-year "
            "(default: this year); the shipped catalogue if no file is given.")
    shipped = DEFAULT
    what = "Catalogue of the points"
    load = staticmethod(services.load_catalogue)
