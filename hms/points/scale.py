"""The university-scale dataset's closed years, frozen as the daily job would have frozen them:
bench/ then reads last year from its snapshot, as a university does after 1 March."""

from __future__ import annotations

from hms.core.seeding import ScaleRun
from hms.points.freeze import freeze_closed_years


def seed_scale(run: ScaleRun) -> None:
    run.timed("points: closed years frozen", freeze_closed_years)
