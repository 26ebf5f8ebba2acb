"""Writes of the annual HSE report: loading a version of the questionnaire."""

from __future__ import annotations

from typing import Any

from hms.annual.models import Questionnaire
from hms.annual.questionnaire import problems
from hms.core.versions import load_version
from hms.points.catalogue import FIRST_YEAR_EVER


def load_questionnaire(*, actor: Any, definition: dict[str, Any], first_year: int | None = None
                       ) -> Questionnaire:
    """Save a definition as a new version of the questionnaire (`load_version`): a report keeps
    the version it was answered by."""
    return load_version(Questionnaire, actor=actor, definition=definition, problems=problems,
                        first_year=first_year, first_year_ever=FIRST_YEAR_EVER)
