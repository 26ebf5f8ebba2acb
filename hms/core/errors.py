"""Errors a service raises for a user to read: each carries a translated message."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


class StaleEdit(ServiceError):
    """Somebody else saved the record after this form was loaded; `current` is what they saved."""

    def __init__(self, message: Any, current: Any) -> None:
        super().__init__(message)
        self.current = current
