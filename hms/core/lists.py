"""What every filtered list page shares: its filter and page, the page number in links, and the
htmx fragment (the filter box itself is templates/core/_list_filter.html)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
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


def wants_subtree(query: Any) -> bool:
    """Whether a unit's list (or its export) takes in its sub-units, given the request's query:
    unless its filter says "only this unit"."""
    return bool(query.get("scope") != "unit")


def page_of(request: Any, records: Any, size: int) -> Page:
    """The page of `records` the query asks for (the last one past the end, the first for junk)."""
    return Paginator(records, size).get_page(request.GET.get("page"))


def filtered_page(request: Any, filter_class: type[Any], records: Any, size: int,
                  **options: Any) -> tuple[Any, Page]:
    """A list's filter (a FilterSet, shown by core/_list_filter.html) bound to the query, and the
    page of what it lets through."""
    found = filter_class(request.GET or None, queryset=records, **options)
    return found, page_of(request, found.qs, size)
