from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from hms.core import authz
from hms.core.roles import ROLE_ACTIONS, Action, Role
from hms.measures import access as measures_access
from hms.measures.models import Measure
from hms.org import access as org_access
from hms.org.models import OrgUnit, RoleAssignment

pytestmark = pytest.mark.django_db


def fresh(user):
    """The same person as a new request would load them, without cached grants."""
    return type(user).objects.get(pk=user.pk)


def visible_titles(user, action=Action.VIEW):
    return set(Measure.objects.visible_to(user, action).values_list("title", flat=True))


def test_it_scopes_a_unit_role_to_the_unit_only(cast, measure_factory):
    measure_factory(title="in A")
    measure_factory(title="in A1", org_unit=cast.section_a1)
    measure_factory(title="in B", org_unit=cast.unit_b, responsible=None)
    assert visible_titles(fresh(cast.leader)) == {"in A"}


def test_it_scopes_a_subtree_role_to_every_unit_below(cast, measure_factory):
    measure_factory(title="in A")
    measure_factory(title="in A1", org_unit=cast.section_a1)
    measure_factory(title="in B", org_unit=cast.unit_b, responsible=None)
    assert visible_titles(cast.coordinator) == {"in A", "in A1"}


def test_it_gives_safety_reps_the_units_their_area_covers(cast, measure_factory):
    measure_factory(title="in A", responsible=None)
    measure_factory(title="in B", org_unit=cast.unit_b, responsible=None)
    assert visible_titles(cast.safety_rep) == {"in A"}
    assert visible_titles(cast.deputy) == {"in A"}


def test_it_shows_a_measure_in_another_area_unit_through_its_safety_area(cast, measure_factory):
    measure_factory(title="B but area A", org_unit=cast.unit_b, safety_area=cast.area,
                    responsible=None)
    assert visible_titles(cast.safety_rep) == {"B but area A"}
    assert visible_titles(cast.employee) == set()


def test_it_hides_everything_from_the_outsider_and_the_anonymous(cast, measure_factory):
    measure_factory(title="in A", responsible=None)
    assert visible_titles(cast.outsider) == set()
    assert visible_titles(AnonymousUser()) == set()
    with pytest.raises(Http404):
        measures_access.access_measure(AnonymousUser(), Measure.objects.get().pk, Action.VIEW)


def test_it_lets_the_responsible_person_see_and_progress_but_not_edit(cast, measure_factory):
    measure = measure_factory(title="outsider's job", responsible=cast.outsider)
    assert measures_access.access_measure(cast.outsider, measure.pk, Action.VIEW) == measure
    assert measures_access.access_measure(cast.outsider, measure.pk, Action.PROGRESS) == measure
    with pytest.raises(Http404):
        measures_access.access_measure(cast.outsider, measure.pk, Action.EDIT)
    assert measures_access.can_measure(cast.outsider, Action.PROGRESS, measure)
    assert not measures_access.can_measure(cast.outsider, Action.VERIFY, measure)


def test_it_gives_the_plan_owner_the_plan_but_not_the_unit(cast, measure_factory):
    measure = measure_factory(responsible=None)
    cast.unit_a.plan_owner = cast.outsider
    cast.unit_a.save()
    measure.refresh_from_db()
    assert measures_access.can_measure(cast.outsider, Action.VERIFY, measure)
    assert measures_access.access_measure(cast.outsider, measure.pk, Action.EDIT) == measure
    assert org_access.can_in_unit(cast.outsider, Action.CREATE, cast.unit_a)
    assert not org_access.can_in_unit(cast.outsider, Action.MANAGE, cast.unit_a)
    assert org_access.access_unit(cast.outsider, cast.unit_a.pk, Action.CREATE) == cast.unit_a


def test_it_honours_validity_periods(cast, measure_factory):
    measure_factory(title="in A", responsible=None)
    assignment = RoleAssignment.objects.get(person=cast.employee)
    assignment.valid_to = dt.date.today() - dt.timedelta(days=1)
    assignment.save()
    assert visible_titles(cast.employee) == set()
    assignment.valid_to = None
    assignment.valid_from = dt.date.today() + dt.timedelta(days=1)
    assignment.save()
    assert visible_titles(fresh(cast.employee)) == set()
    assignment.valid_from = dt.date.today()
    assignment.save()
    assert visible_titles(fresh(cast.employee)) == {"in A"}


def test_it_caches_grants_per_user_object(cast, django_assert_num_queries):
    org_access.grants(cast.leader)
    with django_assert_num_queries(0):
        org_access.scope(cast.leader, Action.VIEW)
        org_access.scope(cast.leader, Action.EDIT)


def test_inactive_users_have_no_access(cast, measure_factory):
    measure_factory(responsible=None)
    cast.leader.is_active = False
    assert visible_titles(cast.leader) == set()
    assert org_access.scope(cast.leader, Action.VIEW) == authz.Scope()
    assert not measures_access.can_measure(cast.leader, Action.VIEW, Measure.objects.get())


def test_superusers_see_everything(cast, measure_factory):
    measure_factory(title="in B", org_unit=cast.unit_b, responsible=None)
    assert visible_titles(cast.admin) == {"in B"}
    assert org_access.scope(cast.admin, Action.MANAGE).contains(cast.unit_b)
    assert org_access.is_org_admin(cast.admin) and not org_access.is_org_admin(cast.leader)


def test_every_signed_in_person_may_view_any_unit_page(cast):
    assert org_access.access_unit(cast.outsider, cast.unit_a.pk, Action.VIEW) == cast.unit_a
    with pytest.raises(Http404):
        org_access.access_unit(AnonymousUser(), cast.unit_a.pk, Action.VIEW)
    with pytest.raises(Http404):
        org_access.access_unit(cast.outsider, cast.unit_a.pk, Action.CREATE)


@pytest.mark.parametrize("bad_pk", ["x", None, "1.5", 10**9])
def test_it_answers_404_for_missing_or_malformed_ids(cast, bad_pk):
    with pytest.raises(Http404):
        measures_access.access_measure(cast.admin, bad_pk, Action.VIEW)
    with pytest.raises(Http404):
        org_access.access_unit(cast.admin, bad_pk, Action.VIEW)


def test_role_table_answers_who_may_verify_and_manage():
    def granting(action):
        return {role for role, actions in ROLE_ACTIONS.items() if action in actions}

    assert granting(Action.VERIFY) == {Role.LEADER, Role.HSE_COORDINATOR}
    assert granting(Action.MANAGE) == {Role.LEADER}
    assert granting(Action.VIEW) == set(Role.values) - {Role.STUDENT}


def test_scope_contains_and_filters_agree(cast):
    scope = org_access.scope(cast.coordinator, Action.VIEW)
    in_scope = set(OrgUnit.objects.filter(scope.unit_q("")).values_list("code", flat=True))
    assert in_scope == {"f", "a", "a1"}
    assert all(scope.contains(u) == (u.code in in_scope) for u in OrgUnit.objects.all())


def test_plan_filter_skips_the_visibility_filter_only_when_the_whole_subtree_is_in_scope(cast):
    from django.db.models import Q

    assert org_access.q_below(measures_access.measure_q, cast.coordinator, Action.VIEW, cast.unit_a) == Q()
    assert org_access.q_below(measures_access.measure_q, cast.admin, Action.VIEW, cast.unit_b) == Q()
    # the leader of A holds A only: its sub-units' measures still need the full filter
    assert org_access.q_below(measures_access.measure_q, cast.leader, Action.VIEW, cast.unit_a) != Q()
    assert org_access.q_below(measures_access.measure_q, AnonymousUser(), Action.VIEW,
                              cast.unit_a) == authz.NOTHING


def test_a_plan_holds_what_the_viewer_may_see_below_the_unit(cast, measure_factory):
    measure_factory(title="in A")
    measure_factory(title="in A1", org_unit=cast.section_a1)
    measure_factory(title="in B", org_unit=cast.unit_b, responsible=None)

    def plan(user, unit, subtree=True):
        return set(Measure.objects.in_plan(user, unit, subtree=subtree).values_list("title", flat=True))

    assert plan(cast.coordinator, cast.faculty_f) == {"in A", "in A1"}
    assert plan(cast.coordinator, cast.unit_a, subtree=False) == {"in A"}
    assert plan(cast.leader, cast.unit_a) == {"in A"}
    assert plan(cast.outsider, cast.unit_a) == set()
    assert plan(cast.admin, cast.root) == {"in A", "in A1", "in B"}
