from __future__ import annotations

from typing import Any

from django.utils import translation


def use_the_users_language(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Switch to the person's remembered language the moment they sign in, so the rest of the
    sign-in request (its "signed in" message too) speaks it."""
    language = getattr(user, "language", None)
    if request is not None and language:
        translation.activate(language)
        request.LANGUAGE_CODE = language
