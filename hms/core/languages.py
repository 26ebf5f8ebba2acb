"""Text in the active language: data kept in both languages (type lists, checklists) and lists of names."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _


def in_language(nb: str, en: str) -> str:
    """The bokmål text while bokmål is active (the default), the English one otherwise."""
    return nb if (get_language() or settings.LANGUAGE_CODE).startswith("nb") else en


def either(people: list[Any]) -> str:
    """"A", "A or B", "A, B or C", in the active language."""
    names = [str(person) for person in people]
    if len(names) < 2:
        return "".join(names)
    return _("%(list)s or %(last)s") % {"list": ", ".join(names[:-1]), "last": names[-1]}


class BilingualNamed:
    """A catalogue entry kept in both languages (`name_nb`/`name_en`, `description_nb`/
    `description_en`: deviation types, checklists, courses, delegable tasks), shown in the active
    one. Mix it in before `models.Model`."""

    name_nb: str
    name_en: str
    description_nb: str
    description_en: str

    @property
    def name(self) -> str:
        return in_language(self.name_nb, self.name_en)

    @property
    def description(self) -> str:
        return in_language(self.description_nb, self.description_en)
