from __future__ import annotations

from pathlib import Path
from typing import Any

from hms.annual import services
from hms.annual.models import Questionnaire
from hms.core.versions import LoadVersionCommand

DEFAULT = Path(__file__).resolve().parents[2] / "data" / "questionnaire_default.json"


class Command(LoadVersionCommand):
    help = ("Load a questionnaire of the annual HSE report (JSON) as a new version, in force from "
            "--first-year (default: this year); the shipped questionnaire if no file is given.")
    shipped = DEFAULT
    what = "Questionnaire of the annual HSE report"

    def load(self, definition: dict[str, Any], first_year: int | None) -> Questionnaire:
        return services.load_questionnaire(actor=None, definition=definition, first_year=first_year)
