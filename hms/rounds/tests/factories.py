from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from hms.rounds import services
from hms.rounds.models import ChecklistTemplate, Result, Round


def lab_round(cast: Any, *, planned_on: dt.date | None = None, codes: tuple[str, ...] = ("laboratory",),
              by: Any = None) -> Round:
    templates = list(ChecklistTemplate.objects.current().filter(code__in=codes))
    return services.plan_round(actor=by or cast.leader, org_unit=cast.unit_a,
                               data={"safety_area": cast.area,
                                     "planned_on": planned_on or timezone.localdate()},
                               participants=[cast.safety_rep], templates=templates)


def walked(cast: Any, not_ok: int = 3) -> Round:
    """A lab round with every item answered (the first `not_ok` of them not OK), walked."""
    round_ = lab_round(cast)
    items = [item for template in round_.templates.all() for item in template.items.all()]
    for index, item in enumerate(items):
        services.save_answer(actor=cast.safety_rep, round_=round_, item=item,
                             result=Result.NOT_OK if index < not_ok else Result.OK,
                             comment=f"Note {index}" if index < not_ok else "", version=None)
    round_.refresh_from_db()
    round_ = services.move(actor=cast.safety_rep, round_=round_, to="prepared", version=round_.version)
    return services.move(actor=cast.safety_rep, round_=round_, to="conducted", version=round_.version)
