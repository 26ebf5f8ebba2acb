"""The demo university's closed years: frozen as the daily job would have frozen them, so that
last year's snapshot stands beside this year's live figures from the first start."""

from __future__ import annotations

from hms.core.seeding import DemoUniversity
from hms.points.freeze import freeze_closed_years


def seed_demo(university: DemoUniversity) -> None:
    freeze_closed_years()
