"""Small readings of a request that every app's views share."""

from __future__ import annotations

from typing import Any


def posted(request: Any) -> Any:
    """The form data of a POST, even an empty one (unticking every box is an answer too), or None
    for a GET (an unbound form)."""
    return request.POST if request.method == "POST" else None


def posted_version(request: Any) -> int:
    """The version a POST carries (0 when it carries none, which no record has)."""
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else 0
