"""HSE goals: set with an indicator and target, linked to the unit's measures, edited with a
version, assessed at year end, and a new year started from last year's goals."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from hms.core.errors import ServiceError, StaleEdit
from hms.core.models import AuditEvent
from hms.governance import services
from hms.governance.models import Goal, GoalStatus
from hms.governance.tests.factories import goal
from hms.measures.models import Measure, Origin

pytestmark = pytest.mark.django_db


def test_it_sets_a_goal_with_the_units_measures_and_audits_it(cast, measure_factory):
    measure = measure_factory()
    made = goal(cast, measures=(measure,))
    assert list(made.measures.all()) == [measure] and made.status == GoalStatus.NOT_ASSESSED
    event = AuditEvent.objects.for_object(made).get()
    assert event.action == "create" and event.after["measures"] == [str(measure)]
    assert made.get_absolute_url().endswith(f"?year={made.year}#goal-{made.pk}")
    assert str(made) == f"Fewer injuries in the lab ({made.year})"


@pytest.mark.parametrize("who", ["employee", "safety_rep", "handler", "outsider", "student"])
def test_only_the_leader_and_coordinator_set_goals(cast, who):
    with pytest.raises(PermissionDenied):
        services.create_goal(actor=cast.users[who], org_unit=cast.unit_a,
                             data={"year": 2026, "title": "X"})
    assert services.create_goal(actor=cast.coordinator, org_unit=cast.unit_a,
                                data={"year": 2026, "title": "X"}).created_by == cast.coordinator


@pytest.mark.parametrize(("data", "message"), [
    ({"year": 26, "title": "A goal"}, "four digits"),
    ({"year": None, "title": "A goal"}, "four digits"),
    ({"year": 2026, "title": "  "}, "what the goal is"),
])
def test_it_refuses_a_goal_without_a_year_or_title(cast, english, data, message):
    with pytest.raises(ServiceError, match=message):
        services.create_goal(actor=cast.leader, org_unit=cast.unit_a, data=data)
    assert not Goal.objects.exists()


def test_it_refuses_a_measure_of_another_units_plan(cast, english):
    foreign = Measure.objects.create(org_unit=cast.unit_b, title="Elsewhere")
    with pytest.raises(ServiceError, match="Elsewhere"):
        goal(cast, measures=(foreign,))
    assert not Goal.objects.exists()


def test_an_edit_saves_and_a_stale_edit_is_refused_with_the_other_change(cast, measure_factory):
    made = goal(cast)
    measure = measure_factory()
    first = services.update_goal(actor=cast.leader, goal=made, measures=[measure],
                                 data={"title": "Zero injuries", "target": "0 a year"},
                                 version=made.version)
    assert first.title == "Zero injuries" and first.version == 2
    assert list(first.measures.all()) == [measure]
    with pytest.raises(StaleEdit) as stale:
        services.update_goal(actor=cast.coordinator, goal=made, measures=[], data={"title": "Old"},
                             version=made.version)
    assert stale.value.current.title == "Zero injuries"
    made.refresh_from_db()
    assert made.title == "Zero injuries" and made.measures.count() == 1
    event = AuditEvent.objects.for_object(made).filter(action="update").get()
    assert event.before["title"] == "Fewer injuries in the lab" and event.after["measures"] == [str(measure)]


def test_the_year_end_assessment_needs_a_reason_when_not_achieved(cast, english):
    made = goal(cast)
    with pytest.raises(ServiceError, match="not fully achieved"):
        services.assess_goal(actor=cast.leader, goal=made, status=GoalStatus.PARTLY, comment=" ",
                             version=made.version)
    with pytest.raises(ServiceError, match="achieved"):
        services.assess_goal(actor=cast.leader, goal=made, status="maybe", comment="",
                             version=made.version)
    made.refresh_from_db()
    assert made.status == GoalStatus.NOT_ASSESSED and made.version == 1
    assessed = services.assess_goal(actor=cast.leader, goal=made, status=GoalStatus.NOT_ACHIEVED,
                                    comment=" Two injuries. ", version=made.version)
    assert assessed.status == GoalStatus.NOT_ACHIEVED and assessed.status_comment == "Two injuries."
    assert AuditEvent.objects.for_object(made).filter(action="assess").exists()


def test_a_new_measure_for_the_goal_lands_in_the_plan_and_serves_the_goal(cast):
    made = goal(cast)
    measure = services.add_goal_measure(actor=cast.leader, goal=made, data={"title": "Train all"})
    assert measure.origin == Origin.GOAL and measure.origin_record == made
    assert list(made.measures.all()) == [measure] and measure.org_unit == cast.unit_a
    made.refresh_from_db()
    assert made.version == 2
    with pytest.raises(PermissionDenied):
        services.add_goal_measure(actor=cast.employee, goal=made, data={"title": "No"})


def test_starting_a_year_copies_last_years_goals_once(cast, measure_factory):
    year = timezone.localdate().year
    old = goal(cast, year=year - 1, title="Old goal", measures=(measure_factory(),))
    services.assess_goal(actor=cast.leader, goal=old, status=GoalStatus.ACHIEVED, comment="Yes",
                         version=old.version)
    goal(cast, year=year - 2, title="Older goal")
    copies = services.start_year_from_previous(actor=cast.leader, org_unit=cast.unit_a, year=year)
    assert [(c.title, c.indicator, c.target, c.status, c.copied_from) for c in copies] == [
        ("Old goal", "Injuries reported", "0", GoalStatus.NOT_ASSESSED, old)]
    assert copies[0].measures.count() == 0 and copies[0].status_comment == ""
    assert services.start_year_from_previous(actor=cast.leader, org_unit=cast.unit_a, year=year) == []
    later = goal(cast, year=year - 1, title="Added later")
    again = services.start_year_from_previous(actor=cast.leader, org_unit=cast.unit_a, year=year)
    assert [c.copied_from for c in again] == [later]
    assert Goal.objects.filter(year=year).count() == 2
    with pytest.raises(PermissionDenied):
        services.start_year_from_previous(actor=cast.employee, org_unit=cast.unit_a, year=year + 1)


def test_goals_are_visible_to_the_units_view_scope_only(cast):
    made = goal(cast)
    for who in ("employee", "safety_rep", "handler", "coordinator", "leader", "admin"):
        assert list(Goal.objects.visible_to(cast.users[who])) == [made], who
    for who in ("student", "outsider"):
        assert not Goal.objects.visible_to(cast.users[who]).exists(), who
