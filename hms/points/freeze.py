"""Closing a year: once its closing day has come (HMS_POINTS_YEAR_CLOSES of the next year), every
unit's states and evidence of that year are written to PointSnapshot, and the overview and the
matrix read them from there: later edits to the records do not rewrite a closed year. A daily job
freezes what has closed and is not yet frozen; a unit added later is frozen at the next run."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from hms.org.models import OrgUnit
from hms.points.evidence import Units, Year, evidence_for
from hms.points.models import PointCatalogue, PointSnapshot
from hms.points.overview import is_closed

BATCH = 2000  # snapshots a statement


def freeze_year(year: int, *, today: dt.date | None = None) -> int:
    """Snapshot the closed `year` for every unit not yet frozen for it; returns how many
    snapshots were written (0 for an open year or one frozen already)."""
    today = today or timezone.localdate()
    catalogue = PointCatalogue.objects.for_year(year)
    if not is_closed(year, today) or catalogue is None:
        return 0
    frozen = set(PointSnapshot.objects.filter(year=year).values_list("org_unit_id", flat=True))
    return sum(_freeze_tree(Units.subtree(root), Year(year, today), catalogue, frozen)
               for root in OrgUnit.objects.get_root_nodes())


def _freeze_tree(units: Units, year: Year, catalogue: PointCatalogue, frozen: set[int]) -> int:
    if not set(units.ids) - frozen:
        return 0
    now = timezone.now()
    snapshots = [PointSnapshot(org_unit_id=pk, year=year.number, catalogue=catalogue, number=number,
                               state=str(evidence.state), evidence=evidence.as_json(), frozen_at=now)
                 for number, per_unit in evidence_for(units, year, catalogue.points()).items()
                 for pk, evidence in per_unit.items() if pk not in frozen]
    with transaction.atomic():
        PointSnapshot.objects.bulk_create(snapshots, batch_size=BATCH, ignore_conflicts=True)
    return len(snapshots)


def freeze_closed_years(today: dt.date | None = None) -> int:
    """Freeze last year once it has closed (and the year before, should a run have been missed)."""
    today = today or timezone.localdate()
    return sum(freeze_year(year, today=today) for year in (today.year - 2, today.year - 1))


@task()
def freeze_points() -> int:
    return freeze_closed_years()


def enqueue_freeze(day: dt.date) -> object:
    return freeze_points.enqueue()
