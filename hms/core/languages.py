"""Data kept in both languages (type lists, checklists): the text for the active language."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language


def in_language(nb: str, en: str) -> str:
    """The bokmål text while bokmål is active (the default), the English one otherwise."""
    return nb if (get_language() or settings.LANGUAGE_CODE).startswith("nb") else en


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
