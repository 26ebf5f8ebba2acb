"""The competence section of the access layer: who sees and who corrects whose records."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from hms.competence import access
from hms.competence.models import TrainingRecord, TrainingReminder
from hms.competence.tests.factories import record

pytestmark = pytest.mark.django_db

DAY = timezone.localdate() - dt.timedelta(days=30)


def visible(user, action="view"):
    return set(TrainingRecord.objects.visible_to(user, action).values_list("person__username",
                                                                          flat=True))


def test_records_are_seen_by_the_units_overview_roles_and_their_person(cast):
    for person in (cast.employee, cast.outsider, cast.coordinator):
        record(person, "lab-safety", DAY)
    assert visible(cast.leader) == {"employee"}
    assert visible(cast.safety_rep) == {"employee"}
    assert visible(cast.coordinator) == {"employee", "coordinator"}
    assert visible(cast.outsider) == {"outsider"}
    assert visible(cast.admin) == {"employee", "outsider", "coordinator"}
    assert visible(cast.leader, "edit") == {"employee"}
    assert visible(cast.safety_rep, "edit") == set()
    assert visible(cast.employee, "edit") == set()


def test_nobody_signed_out_or_inactive_sees_a_record(cast):
    record(cast.employee, "lab-safety", DAY)
    cast.employee.is_active = False
    assert visible(AnonymousUser()) == set() and visible(cast.employee) == set()
    assert access.training_editable_people(AnonymousUser(), [cast.employee.pk]) == set()


def test_a_reminder_names_what_it_was_about(cast):
    saved = record(cast.employee, "lab-safety", DAY)
    reminder = TrainingReminder.objects.create(record=saved, recipient=cast.employee, day=DAY)
    assert str(reminder) == f"{DAY} {saved}"
    summary = TrainingReminder.objects.create(org_unit=cast.unit_a, recipient=cast.leader, day=DAY)
    assert str(summary) == f"{DAY} Department A"
