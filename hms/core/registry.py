"""The registries the apps fill at start-up (their AppConfig.ready), so that hms/core names no app:
each entry at an order number of its own, read in that order (the cards on a page, the sections of
a mail, the providers of a calendar feed)."""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")


def register(registry: dict[int, T], order: int, entry: T) -> None:
    """Put `entry` at `order`; registering it again is harmless, another one there is a mistake."""
    if registry.setdefault(order, entry) != entry:
        raise ImproperlyConfigured(f"Two entries registered at order {order}.")


def in_order(registry: dict[int, T]) -> list[T]:
    return [registry[order] for order in sorted(registry)]
