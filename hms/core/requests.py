"""Small readings of a request that every app's views share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hms.core.errors import ServiceError, StaleEdit


def posted(request: Any) -> Any:
    """The form data of a POST, even an empty one (unticking every box is an answer too), or None
    for a GET (an unbound form)."""
    return request.POST if request.method == "POST" else None


def posted_version(request: Any) -> int:
    """The version a POST carries (0 when it carries none, which no record has)."""
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else 0


def save_through(form: Any, save: Callable[[], Any]) -> tuple[bool, Any]:
    """Call the service behind a valid form; a refusal puts its message on the form. Returns
    whether it saved, and what the other person saved when the edit was stale (shown beside the
    form, whose next save then carries that version)."""
    try:
        save()
    except StaleEdit as stale:
        form.add_error(None, stale.message)
        return False, stale.current
    except ServiceError as error:
        form.add_error(None, error.message)
        return False, None
    return True, None
