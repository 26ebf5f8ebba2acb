"""What the unit page's risk card counts of a unit's own assessments (one query): reviews overdue
(the day after the review date) and falling due (from today to the days ahead), work under way,
all but the archived, and the newest approved overall mapping."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hms.risk.models import AssessmentKind, AssessmentStatus, RiskAssessment
from hms.risk.tests.test_points import assessment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("matrix")]
TODAY = dt.date(2026, 6, 15)
OVERALL, DETAILED = AssessmentKind.OVERALL, AssessmentKind.DETAILED
S = AssessmentStatus


def test_the_card_counts_reviews_work_under_way_and_names_the_newest_mapping(cast):
    assessment(cast.unit_a, OVERALL, approved_on=dt.date(2023, 1, 1), review_due=dt.date(2025, 1, 1),
               title="Old mapping")
    newest = assessment(cast.unit_a, OVERALL, approved_on=dt.date(2025, 1, 1),
                        review_due=TODAY - dt.timedelta(days=1), title="New mapping")
    assessment(cast.unit_a, DETAILED, review_due=TODAY, title="Due today")
    assessment(cast.unit_a, DETAILED, review_due=TODAY + dt.timedelta(days=30), title="Due at the edge")
    assessment(cast.unit_a, DETAILED, review_due=TODAY + dt.timedelta(days=31), title="Later")
    assessment(cast.unit_a, DETAILED, S.DRAFT, title="Draft")
    assessment(cast.unit_a, DETAILED, S.IN_REVIEW, title="In review")
    assessment(cast.unit_a, DETAILED, S.ARCHIVED, review_due=dt.date(2020, 1, 1), title="Archived")
    assessment(cast.unit_b, OVERALL, approved_on=dt.date(2026, 1, 1), title="Another unit's")
    with CaptureQueriesContext(connection) as queries:
        summary = RiskAssessment.objects.summary(cast.unit_a, TODAY, 30)
    assert len(queries) == 1
    assert summary["mapping"].pk == newest.pk and summary["mapping_overdue"] is True
    assert (summary["overdue"], summary["due_soon"], summary["under_way"], summary["total"]) == (2, 2, 2, 7)


def test_a_unit_without_assessments_has_no_mapping(cast):
    summary = RiskAssessment.objects.summary(cast.unit_a, TODAY, 30)
    assert summary["mapping"] is None and summary["mapping_overdue"] is False
    assert (summary["overdue"], summary["due_soon"], summary["under_way"], summary["total"]) == (0, 0, 0, 0)
