"""Data kept in both languages (type lists, checklists): the text for the active language."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language


def in_language(nb: str, en: str) -> str:
    """The bokmål text while bokmål is active (the default), the English one otherwise."""
    return nb if (get_language() or settings.LANGUAGE_CODE).startswith("nb") else en
