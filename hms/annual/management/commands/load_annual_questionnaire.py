from __future__ import annotations

from pathlib import Path

from hms.annual import services
from hms.core.versions import LoadVersionCommand

DEFAULT = Path(__file__).resolve().parents[2] / "data" / "questionnaire_default.json"


class Command(LoadVersionCommand):
    help = ("Load a questionnaire of the annual HSE report (JSON) as a new version, in force from "
            "--first-year (default: this year); the shipped questionnaire if no file is given.")
    shipped = DEFAULT
    what = "Questionnaire of the annual HSE report"
    load = staticmethod(services.load_questionnaire)
