"""What the apps' tests of their point rules share: a point of the shipped catalogue with the
thresholds a test sets, and the English of figures and links."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from typing import Any

from django.utils import translation

from hms.points.catalogue import Point
from hms.points.evidence import Evidence, Link
from hms.points.management.commands.load_points_catalogue import DEFAULT


def point(number: int, **thresholds: Any) -> Point:
    """Point `number` of the shipped catalogue, its thresholds changed by `thresholds`."""
    found = Point.of(json.loads(DEFAULT.read_text(encoding="utf-8"))["points"][number - 1])
    return dataclasses.replace(found, thresholds={**found.thresholds, **thresholds})


def english(found: Evidence) -> list[str]:
    """The figures of `found` in English."""
    with translation.override("en"):
        return [str(text) for text in found.figures]


def texts(links: Iterable[Link]) -> list[str]:
    """The texts of `links` in English."""
    with translation.override("en"):
        return [str(link.text) for link in links]
