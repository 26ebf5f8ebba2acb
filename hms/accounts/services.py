from __future__ import annotations

from django.conf import settings
from django.db import transaction

from hms.accounts.models import User
from hms.core import audit


def set_language(*, actor: User, language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise ValueError(language)
    with transaction.atomic():
        before = audit.snapshot(actor, ["language"])
        actor.language = language
        actor.save(update_fields=["language"])
        audit.record(actor=actor, action="set_language", obj=actor, before=before,
                     after=audit.snapshot(actor, ["language"]))
