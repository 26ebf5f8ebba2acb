"""The points' card on a unit's page (issue 16, item 4): the unit's 19 points as the daily run
found them, counted by state, in one query within the unit page's budget; before the year's first
run, the way to the overview only; not for those who do not see the unit's points."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hms.core.tests.test_query_budgets import budget
from hms.points.digest import daily_run
from hms.points.evidence import State
from hms.points.tests.conftest import english_client as english

pytestmark = pytest.mark.django_db


def card_of(html: str) -> str:
    start = html.index('aria-labelledby="points-card-h"')
    return html[start:html.index("</section>", start)]


def test_the_unit_page_shows_the_points_of_the_daily_run_counted_by_state(cast: Any, point_1: Any):
    point_1({"a": State.MET})
    daily_run(timezone.localdate())
    point_1({"a": State.NOT_MET})  # the records change after the run: the overview shows it
    client = english(cast.employee)
    url = reverse("org:unit", args=[cast.unit_a.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    assert len(queries) <= budget("unit")
    card = card_of(html)
    assert "Point 1: Met" in card and len(re.findall(r"Point \d+: ", card)) == 19
    assert re.search(r"Met</span> 1</li>", card)
    assert timezone.localdate().strftime("%m/%d/%Y") in card
    overview = client.get(reverse("points:unit", args=[cast.unit_a.pk])).content.decode()
    assert 'id="point-1-h"' in overview and "Not met" in overview.split('id="point-1-h"')[1][:400]


def test_before_the_years_first_run_the_card_offers_the_overview(cast: Any):
    daily_run(timezone.localdate() - dt.timedelta(days=370))  # last year's run only
    card = card_of(english(cast.leader).get(reverse("org:unit", args=[cast.unit_a.pk])).content.decode())
    assert "Point 1:" not in card and reverse("points:unit", args=[cast.unit_a.pk]) in card


def test_a_student_sees_no_points_card(cast: Any):
    daily_run(timezone.localdate())
    html = english(cast.student).get(reverse("org:unit", args=[cast.unit_a.pk])).content.decode()
    assert "points-card-h" not in html
