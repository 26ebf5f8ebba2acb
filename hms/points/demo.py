"""The demo university's points: the closed years frozen as the daily job would have frozen them,
so that last year's snapshot stands beside this year's live figures from the first start, and
today's daily run, so that each unit's page shows its points."""

from __future__ import annotations

from django.utils import timezone

from hms.core.seeding import DemoUniversity
from hms.points.digest import daily_run
from hms.points.freeze import freeze_closed_years


def seed_demo(university: DemoUniversity) -> None:
    freeze_closed_years()
    daily_run(timezone.localdate())
