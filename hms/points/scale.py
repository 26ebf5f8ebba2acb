"""The university-scale dataset as the daily jobs leave it: its closed years frozen (bench/ reads
last year from its snapshot, as a university does after 1 March), and the open year's states
noted by the digest's run (the matrices of the faculties and the university read them)."""

from __future__ import annotations

from django.utils import timezone

from hms.core.seeding import ScaleRun
from hms.points.digest import daily_run
from hms.points.freeze import freeze_closed_years


def seed_scale(run: ScaleRun) -> None:
    run.timed("points: closed years frozen", freeze_closed_years)
    run.timed("points: the day's states", lambda: len(daily_run(timezone.localdate())))
