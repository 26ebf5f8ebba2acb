"""Points 1 and 2 from the governance records: the unit's HSE goals for the year, each with an
indicator, and the register of delegated HSE tasks, each accepted by the delegate; each judged
on its edges, its figures read in English, its queries the same for one unit as for a tree."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from hms.governance import services
from hms.governance.models import Delegation, Goal
from hms.governance.points import delegations_evidence, goals_evidence
from hms.governance.tests.factories import accepted, delegation, goal
from hms.points import evidence
from hms.points.evidence import Evidence, State, Units, Year
from hms.points.tests.rules import english, point, texts

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
THIS_YEAR = Year(TODAY.year, TODAY)

def test_both_rules_are_registered():
    assert evidence.COMPUTATIONS["goals"] is goals_evidence
    assert evidence.COMPUTATIONS["delegations"] is delegations_evidence


# --- Point 1 ---------------------------------------------------------------------------------------


def goals(cast: Any, year: Year = THIS_YEAR, **thresholds: Any) -> Evidence:
    return goals_evidence(Units.one(cast.unit_a), year, point(1, **thresholds))[cast.unit_a.pk]


def test_no_goal_is_not_met_and_says_where_they_are_set(cast):
    found = goals(cast)
    assert found.state == State.NOT_MET
    assert english(found) == ["The unit has no HSE goals for this year."]
    assert texts(found.missing) == ["Set the unit's HSE goals for this year"]
    assert found.missing[0].url == (reverse("governance:goals", args=[cast.unit_a.pk])
                                    + f"?year={TODAY.year}")


def test_one_goal_with_an_indicator_is_met(cast):
    made = goal(cast)
    found = goals(cast)
    assert found.state == State.MET and found.missing == ()
    assert english(found) == ["HSE goals for this year: 1, 1 of them with an indicator."]
    assert texts(found.records) == ["HSE goal: Fewer injuries in the lab (indicator: Injuries "
                                    "reported)"]
    assert found.records[0].url.endswith(f"?year={TODAY.year}#goal-{made.pk}")


def test_a_goal_without_an_indicator_makes_it_partly_met_and_is_listed_first(cast):
    goal(cast)
    goal(cast, title="Tidy labs", indicator="")
    goal(cast, title="Fewer trips", indicator="Trips reported")
    found = goals(cast)
    assert found.state == State.PARTLY
    assert english(found) == ["HSE goals for this year: 3, 2 of them with an indicator."]
    assert texts(found.records)[0] == "HSE goal without an indicator: Tidy labs"
    assert texts(found.missing) == ["Give every HSE goal an indicator"]


def test_fewer_goals_than_the_catalogue_asks_are_partly_met(cast):
    goal(cast)
    found = goals(cast, min_goals=2)
    assert found.state == State.PARTLY
    assert english(found)[1] == "At least 2 HSE goals are asked for."
    assert texts(found.missing) == ["Set more HSE goals for this year"]
    goal(cast, title="Fewer trips")
    assert goals(cast, min_goals=2).state == State.MET


def test_goals_of_another_year_or_a_sub_unit_do_not_count(cast):
    goal(cast, year=TODAY.year - 1)
    Goal.objects.create(org_unit=cast.section_a1, year=TODAY.year, title="Sub", indicator="x")
    assert goals(cast).state == State.NOT_MET
    assert goals(cast, Year(TODAY.year - 1, TODAY)).state == State.MET


def test_goals_answer_for_every_unit_of_a_tree_in_one_query(cast, django_assert_num_queries):
    goal(cast)
    Goal.objects.create(org_unit=cast.section_a1, year=TODAY.year, title="Sub", indicator="")
    with django_assert_num_queries(1):
        one = goals_evidence(Units.one(cast.unit_a), THIS_YEAR, point(1))
    tree = Units.subtree(cast.root)
    with django_assert_num_queries(1):
        found = goals_evidence(tree, THIS_YEAR, point(1))
    assert set(found) == set(tree.ids) and found[cast.unit_a.pk] == one[cast.unit_a.pk]
    assert found[cast.section_a1.pk].state == State.PARTLY
    assert found[cast.unit_b.pk].state == State.NOT_MET


# --- Point 2 ---------------------------------------------------------------------------------------


def register(cast: Any, year: Year = THIS_YEAR) -> Evidence:
    return delegations_evidence(Units.one(cast.unit_a), year, point(2))[cast.unit_a.pk]


def decline(found: Delegation) -> Delegation:
    return services.answer_delegation(actor=found.delegate, delegation=found, accept=False,
                                      reason="No time", version=found.version)


def test_no_delegation_is_not_met(cast):
    found = register(cast)
    assert found.state == State.NOT_MET
    assert english(found) == ["The unit has no delegated HSE tasks in force."]
    assert texts(found.missing) == ["Delegate the unit's HSE tasks in writing"]
    assert found.missing[0].url == reverse("governance:delegation_create", args=[cast.unit_a.pk])


def test_accepted_delegations_are_met(cast):
    made = accepted(cast)
    accepted(cast, code="fire_warden", to=cast.lab_leader, days=None)
    found = register(cast)
    assert found.state == State.MET and found.missing == ()
    assert english(found) == ["Delegated HSE tasks in force: 2, 2 of them accepted by the delegate."]
    assert "Accepted by Employee Tester: First aider" in texts(found.records)
    assert reverse("governance:delegation", args=[made.pk]) in [r.url for r in found.records]


def test_one_awaiting_the_answer_is_partly_met(cast):
    accepted(cast)
    delegation(cast, code="fire_warden", to=cast.lab_leader)
    found = register(cast)
    assert found.state == State.PARTLY
    assert english(found) == ["Delegated HSE tasks in force: 2, 1 of them accepted by the delegate."]
    assert texts(found.records)[0] == (
        "Awaiting the answer of Lab_Leader Tester: Fire warden (branninstruktør)")
    assert texts(found.missing) == ["Follow up the delegations awaiting the delegate's answer"]
    assert found.missing[0].url == reverse("governance:register", args=[cast.unit_a.pk])


def test_only_awaiting_is_partly_met(cast):
    delegation(cast)
    assert register(cast).state == State.PARTLY


def test_a_declined_task_is_partly_met_until_it_is_delegated_again(cast):
    accepted(cast, code="fire_warden", to=cast.lab_leader)
    decline(delegation(cast))
    found = register(cast)
    assert found.state == State.PARTLY
    assert english(found) == [
        "Delegated HSE tasks in force: 1, 1 of them accepted by the delegate.",
        "HSE tasks declined this year and not delegated again: 1."]
    assert texts(found.records)[0] == "Declined by Employee Tester: First aider"
    assert texts(found.missing) == ["Delegate the declined HSE tasks to someone else"]
    accepted(cast, to=cast.handler)
    assert register(cast).state == State.MET


def test_only_declined_is_partly_met_and_a_decline_of_last_year_is_old_news(cast):
    declined = decline(delegation(cast, days=None))
    assert register(cast).state == State.PARTLY
    Delegation.objects.filter(pk=declined.pk).update(
        answered_at=timezone.make_aware(dt.datetime(TODAY.year - 1, 12, 31, 12)))  # local noon
    assert register(cast).state == State.NOT_MET


def test_a_delegation_counts_to_its_last_day_and_not_after(cast):
    made = accepted(cast, days=0)
    assert made.valid_to == TODAY and register(cast).state == State.MET
    Delegation.objects.filter(pk=made.pk).update(valid_from=TODAY - dt.timedelta(days=10),
                                                 valid_to=TODAY - dt.timedelta(days=1))
    assert register(cast).state == State.NOT_MET


def test_a_revoked_delegation_is_gone(cast):
    made = accepted(cast)
    services.revoke_delegation(actor=cast.leader, delegation=made, version=made.version)
    assert register(cast).state == State.NOT_MET


def test_a_past_year_is_judged_as_the_register_stood_at_its_end(cast):
    """Made last year, accepted only this year: it awaited an answer on 31 December; revoked
    this year: it was still in force then."""
    last_year = Year(TODAY.year - 1, TODAY)
    made = accepted(cast, days=None)
    start = timezone.make_aware(dt.datetime(TODAY.year - 1, 3, 1, 12))
    Delegation.objects.filter(pk=made.pk).update(valid_from=start.date(), created_at=start)
    assert register(cast, last_year).state == State.PARTLY
    Delegation.objects.filter(pk=made.pk).update(accepted_at=start)
    assert register(cast, last_year).state == State.MET
    made.refresh_from_db()
    services.revoke_delegation(actor=cast.leader, delegation=made, version=made.version)
    assert register(cast, last_year).state == State.MET
    assert register(cast).state == State.NOT_MET


def test_delegations_answer_for_every_unit_of_a_tree_in_one_query(cast, django_assert_num_queries):
    accepted(cast)
    with django_assert_num_queries(1):
        one = delegations_evidence(Units.one(cast.unit_a), THIS_YEAR, point(2))
    tree = Units.subtree(cast.root)
    with django_assert_num_queries(1):
        found = delegations_evidence(tree, THIS_YEAR, point(2))
    assert set(found) == set(tree.ids) and found[cast.unit_a.pk] == one[cast.unit_a.pk]
    assert found[cast.unit_a.pk].state == State.MET
    assert found[cast.section_a1.pk].state == State.NOT_MET
