"""Reviews falling due: flagged on the unit page, and in the daily digest once a week."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test import Client

from hms.core import digest
from hms.risk import services
from hms.risk.models import AssessmentKind, RiskAssessment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("round_planned")]
DAY = dt.date(2026, 11, 25)


def approved(cast, title="Department mapping", kind=AssessmentKind.OVERALL, review_due=DAY,
             leader=None):
    assessment = services.create_assessment(actor=cast.leader, org_unit=cast.unit_a, kind=kind,
                                            data={"title": title, "responsible_leader": leader})
    services.add_row(actor=cast.leader, assessment=assessment,
                     data={"probability": 1, "consequences": {"people": 1}})
    services.submit_for_review(actor=cast.leader, assessment=assessment)
    assessment.refresh_from_db()
    services.approve_assessment(actor=cast.leader, assessment=assessment)
    RiskAssessment.objects.filter(pk=assessment.pk).update(review_due=review_due)
    assessment.refresh_from_db()
    return assessment


def test_a_review_falling_due_comes_in_the_leaders_digest_once_a_week(cast, matrix):
    approved(cast, "Overdue mapping", review_due=DAY - dt.timedelta(days=1))
    approved(cast, "Due in a month", kind=AssessmentKind.DETAILED,
             review_due=DAY + dt.timedelta(days=30))
    approved(cast, "Due next year", review_due=DAY + dt.timedelta(days=365))
    assert digest.send_digests(day=DAY) == 1
    body = mail.outbox[0].body
    assert mail.outbox[0].to == ["leader@example.org"]
    assert "Overdue mapping" in body and "Due in a month" in body and "Due next year" not in body
    assert "FORFALT" in body.upper()
    # Not again the next day; again a week later.
    assert digest.send_digests(day=DAY + dt.timedelta(days=1)) == 0
    assert digest.send_digests(day=DAY + dt.timedelta(days=7)) == 1


def test_the_named_responsible_leader_gets_it_and_a_revision_under_way_stops_it(cast, matrix):
    mapping = approved(cast, leader=cast.coordinator, review_due=DAY)
    assert digest.send_digests(day=DAY) == 1
    assert mail.outbox[0].to == ["coordinator@example.org"]
    services.start_revision(actor=cast.leader, assessment=mapping)
    assert digest.send_digests(day=DAY + dt.timedelta(days=7)) == 0


def test_measures_and_reviews_share_one_mail(cast, matrix, measure_factory):
    approved(cast, "Mapping", review_due=DAY)
    measure_factory(title="Fix the door", responsible=cast.leader, deadline=DAY)
    assert digest.send_digests(day=DAY) == 1
    body = mail.outbox[0].body
    assert "Fix the door" in body and "Mapping" in body
    assert "2" in mail.outbox[0].subject


def test_the_unit_page_flags_a_missing_or_overdue_mapping(cast, matrix):
    client = Client()
    client.force_login(cast.employee)
    page = client.get(f"/org/units/{cast.unit_a.pk}/").content.decode()
    assert "ingen godkjent overordnet risikokartlegging" in page.lower()
    approved(cast, "Department mapping", review_due=dt.date(2020, 1, 1))
    page = client.get(f"/org/units/{cast.unit_a.pk}/").content.decode()
    assert "Department mapping" in page and "review=overdue" in page
    # Someone outside the unit sees the directory page, not the unit's risk work.
    client.force_login(cast.outsider)
    assert "Department mapping" not in client.get(f"/org/units/{cast.unit_a.pk}/").content.decode()
