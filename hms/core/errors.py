"""Errors a service raises for a user to read: each carries a translated message."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


class ServiceError(Exception):
    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


class StaleEdit(ServiceError):
    """Somebody else saved the record after this form was loaded; `current` is what they saved."""

    def __init__(self, message: Any, current: Any) -> None:
        super().__init__(message)
        self.current = current


class RecordGone(ServiceError):
    """Somebody else deleted the record after this form was loaded: nothing was saved, and the
    form is shown again with what was typed."""

    def __init__(self) -> None:
        super().__init__(_("Someone else deleted this record while you were working on it, so "
                           "nothing was saved. What you typed is still shown: copy it if you "
                           "need it."))
