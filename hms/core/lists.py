"""What every filtered list page shares: the page number in links, and the htmx fragment."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def page_query(request: Any) -> str:
    """The current query without its page number, ready for `?{page_query}page=N`."""
    query = request.GET.copy()
    query.pop("page", None)
    return f"{query.urlencode()}&" if query else ""


def render_list(request: Any, template: str, partial: str, context: dict[str, Any]) -> HttpResponse:
    """The whole page, or only its list (`template#partial`) for an htmx request. A history
    restore (Back after filtering) must get the whole page."""
    fragment = request.htmx and not request.htmx.history_restore_request
    response = render(request, f"{template}#{partial}" if fragment else template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
