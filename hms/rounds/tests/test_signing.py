"""Who may do what on a round is shown, and matches what is allowed (issue 14): a safety
representative plans rounds only in the areas they sign for (the form offers no other, the service
refuses any other), the summary page names who gives a missing signature, those who sign are told
once, a safety representative planning in a unit above their area reads whose the leader's
signature is, and those who only see a round get 404 on its walk and summary."""

from __future__ import annotations

import html

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hms.accounts.models import User
from hms.core.errors import ServiceError
from hms.core.models import Notification
from hms.core.roles import Role
from hms.org.models import RoleAssignment, SafetyArea
from hms.rounds import services
from hms.rounds.models import ChecklistTemplate, Round
from hms.rounds.tests.factories import lab_round, walked

pytestmark = pytest.mark.django_db


def client_for(user, language="en"):
    User.objects.filter(pk=user.pk).update(language=language)
    client = Client()
    client.force_login(user)
    return client


def text_of(page):
    return html.unescape(page.content.decode())


def workshop(cast):
    """A second safety area of unit A, with no safety representative of its own."""
    area = SafetyArea.objects.create(org_unit=cast.unit_a, code="a-workshop", name="A workshop")
    area.units.add(cast.unit_a)
    return area


def plan_data(area):
    return {"safety_area": area, "planned_on": timezone.localdate()}


def fire():
    return [ChecklistTemplate.objects.current().get(code="fire")]


def dean_of_faculty_f(cast):
    dean = User.objects.create_user("dean", "dean@example.org", "pw", first_name="Dean",
                                    last_name="Tester")
    RoleAssignment.objects.create(person=dean, org_unit=cast.faculty_f, role=Role.LEADER,
                                  covers_subtree=True)
    return dean


def summary_notes(cast):
    return Notification.objects.filter(url__contains="/summary/")


# --- Planning: only the areas one signs for ---------------------------------------------------------


def offered(user, unit):
    page = client_for(user).get(reverse("rounds:create", args=[unit.pk]))
    assert page.status_code == 200
    return set(page.context["form"].fields["safety_area"].queryset)


def test_a_safety_representative_is_offered_only_the_areas_they_represent(cast):
    other = workshop(cast)
    assert offered(cast.safety_rep, cast.unit_a) == {cast.area}
    assert offered(cast.deputy, cast.unit_a) == {cast.area}
    assert offered(cast.leader, cast.unit_a) == {cast.area, other}
    assert offered(cast.coordinator, cast.unit_a) == {cast.area, other}
    assert offered(cast.handler, cast.unit_a) == {cast.area, other}  # creates records in the unit
    plan = reverse("rounds:plan", args=[cast.unit_a.pk])
    rep_plan, leader_plan = (text_of(client_for(user).get(plan)) for user in (cast.safety_rep, cast.leader))
    create = reverse("rounds:create", args=[cast.unit_a.pk])
    assert f"{create}?area={cast.area.pk}" in rep_plan and f"{create}?area={other.pk}" not in rep_plan
    assert f"{create}?area={other.pk}" in leader_plan


def test_the_service_refuses_a_round_in_an_area_the_representative_does_not_sign_for(cast):
    other = workshop(cast)
    with pytest.raises(ServiceError) as refused:
        services.plan_round(actor=cast.safety_rep, org_unit=cast.unit_a, data=plan_data(other),
                            participants=[], templates=fire())
    assert "A workshop" in str(refused.value.message)
    page = client_for(cast.safety_rep).post(reverse("rounds:create", args=[cast.unit_a.pk]), {
        "safety_area": other.pk, "planned_on": "2027-01-10", "templates": [fire()[0].pk]})
    assert page.status_code == 200 and "safety_area" in page.context["form"].errors
    assert not Round.objects.exists()
    assert services.plan_round(actor=cast.safety_rep, org_unit=cast.unit_a, data=plan_data(cast.area),
                               participants=[], templates=fire()).safety_area == cast.area


def test_the_plan_of_a_round_does_not_move_to_an_area_the_representative_does_not_sign_for(cast):
    other = workshop(cast)
    round_ = lab_round(cast)  # the leader's, with the safety representative taking part
    with pytest.raises(ServiceError):
        services.update_plan(actor=cast.safety_rep, round_=round_, data=plan_data(other),
                             participants=[cast.safety_rep], templates=fire(), version=round_.version)
    form = client_for(cast.safety_rep).get(reverse("rounds:edit", args=[round_.pk])).context["form"]
    assert set(form.fields["safety_area"].queryset) == {cast.area}
    moved = services.update_plan(actor=cast.leader, round_=round_, data=plan_data(other),
                                 participants=[cast.safety_rep], templates=fire(), version=round_.version)
    assert moved.safety_area == other
    form = client_for(cast.safety_rep).get(reverse("rounds:edit", args=[round_.pk])).context["form"]
    assert set(form.fields["safety_area"].queryset) == {cast.area, other}  # the round's own stays


def test_a_representative_of_an_area_owned_above_the_unit_plans_it_there_not_below(cast):
    area_f = SafetyArea.objects.create(org_unit=cast.faculty_f, code="f-all", name="F offices")
    area_f.units.add(cast.unit_a)
    rep_f = User.objects.create_user("rep_f", "rep_f@example.org", "pw")
    RoleAssignment.objects.create(person=rep_f, org_unit=cast.faculty_f, role=Role.SAFETY_REP,
                                  safety_area=area_f)
    assert client_for(rep_f).get(reverse("rounds:create", args=[cast.unit_a.pk])).status_code == 404
    plan_page = client_for(rep_f).get(reverse("rounds:plan", args=[cast.unit_a.pk]))
    assert plan_page.status_code == 200 and not plan_page.context["may_create"]
    with pytest.raises(PermissionDenied):
        services.plan_round(actor=rep_f, org_unit=cast.unit_a, data=plan_data(area_f),
                            participants=[], templates=fire())
    assert offered(rep_f, cast.faculty_f) == {area_f}


# --- The summary page says who signs -----------------------------------------------------------------


def test_the_summary_page_names_who_gives_a_missing_signature(cast):
    round_ = walked(cast, not_ok=1)
    url = reverse("rounds:summary", args=[round_.pk])
    rep_page = client_for(cast.safety_rep).get(url)
    text = text_of(rep_page)
    assert "Only the leader of Department A can sign as the leader: Leader Tester." in text
    assert 'value="safety_rep"' in text and 'value="leader"' not in text
    assert "HMS told them on" in text
    leader_text = text_of(client_for(cast.leader, "nb").get(url))  # in the reader's language
    assert ("Bare verneombudet for A labs (eller vara) kan signere som verneombud: "
            "Safety_Rep Tester eller Deputy Tester.") in leader_text
    assert 'value="leader"' in leader_text and "Bare lederen" not in leader_text
    coordinator_text = text_of(client_for(cast.coordinator).get(url))
    assert "Only the leader of Department A" in coordinator_text
    assert "Only the safety representative of A labs (or the deputy)" in coordinator_text
    services.sign(actor=cast.leader, round_=round_, as_role="leader", version=round_.version)
    assert "Only the leader" not in text_of(client_for(cast.safety_rep).get(url))


def test_the_summary_page_says_when_nobody_can_give_a_signature(cast):
    other = workshop(cast)
    round_ = services.plan_round(actor=cast.leader, org_unit=cast.unit_a, data=plan_data(other),
                                 participants=[], templates=fire())
    round_ = services.move(actor=cast.leader, round_=round_, to="prepared", version=round_.version)
    round_ = services.move(actor=cast.leader, round_=round_, to="conducted", version=round_.version)
    RoleAssignment.objects.filter(role=Role.LEADER).delete()
    text = text_of(client_for(cast.coordinator).get(reverse("rounds:summary", args=[round_.pk])))
    assert "Department A has no leader registered, so nobody can sign as its leader yet" in text
    assert "A workshop has no safety representative registered" in text


def test_those_who_only_see_a_round_get_404_on_its_walk_and_summary(cast):
    round_ = walked(cast, not_ok=1)
    for name in ("rounds:walk", "rounds:summary", "rounds:edit"):
        assert client_for(cast.employee).get(reverse(name, args=[round_.pk])).status_code == 404
    assert client_for(cast.employee).get(round_.get_absolute_url()).status_code == 200


# --- Those who sign are told, once -------------------------------------------------------------------


def test_the_leader_is_told_once_when_the_representative_has_walked_the_round(cast):
    round_ = walked(cast, not_ok=1)  # the safety representative marks the walk done
    told = summary_notes(cast)
    assert [n.recipient for n in told] == [cast.leader]  # not the one acting, not the deputy
    note = told.get()
    assert note.url == reverse("rounds:summary", args=[round_.pk]) + "#sign"
    assert note.message == ("HMS-runden i A labs (Department A) er gått: oppsummeringen venter på "
                            "din signatur som leder.")  # the leader's language
    round_.refresh_from_db()
    assert round_.signing_asked_at is not None
    round_ = services.move(actor=cast.safety_rep, round_=round_, to="prepared", version=round_.version)
    round_ = services.move(actor=cast.safety_rep, round_=round_, to="conducted", version=round_.version)
    services.sign(actor=cast.safety_rep, round_=round_, as_role="safety_rep", version=round_.version)
    assert summary_notes(cast).count() == 1


def test_the_representative_is_told_in_their_language_when_the_leader_marks_the_walk_done(cast):
    User.objects.filter(pk=cast.safety_rep.pk).update(language="en")
    round_ = lab_round(cast)
    round_ = services.move(actor=cast.leader, round_=round_, to="prepared", version=round_.version)
    services.move(actor=cast.leader, round_=round_, to="conducted", version=round_.version)
    note = summary_notes(cast).get()
    assert note.recipient == cast.safety_rep
    assert "awaits your signature as the safety representative" in note.message


def test_a_round_walked_before_signers_were_told_tells_them_at_the_first_signature(cast):
    round_ = walked(cast, not_ok=1)
    summary_notes(cast).delete()
    Round.objects.filter(pk=round_.pk).update(signing_asked_at=None)
    round_.refresh_from_db()
    round_ = services.sign(actor=cast.safety_rep, round_=round_, as_role="safety_rep",
                           version=round_.version)
    assert [n.recipient for n in summary_notes(cast)] == [cast.leader]
    services.sign(actor=cast.leader, round_=round_, as_role="leader", version=round_.version)
    assert summary_notes(cast).count() == 1


# --- A safety representative planning in a unit above their area --------------------------------------


def test_a_representative_planning_above_their_area_reads_that_the_units_leader_signs(cast):
    dean = dean_of_faculty_f(cast)
    page = client_for(cast.safety_rep).get(reverse("rounds:create", args=[cast.faculty_f.pk]))
    assert set(page.context["form"].fields["safety_area"].queryset) == {cast.area}
    assert ("A round in Faculty F is signed by its leader, Dean Tester, together with the safety "
            "representative of the round's area.") in text_of(page)
    own = text_of(client_for(cast.safety_rep).get(reverse("rounds:create", args=[cast.unit_a.pk])))
    assert "A round in Department A is signed by its leader, Leader Tester" in own
    assert "id=\"who-signs\"" not in text_of(client_for(cast.leader).get(
        reverse("rounds:create", args=[cast.unit_a.pk])))

    round_ = services.plan_round(actor=cast.safety_rep, org_unit=cast.faculty_f,
                                 data=plan_data(cast.area), participants=[], templates=fire())
    round_ = services.move(actor=cast.safety_rep, round_=round_, to="prepared", version=round_.version)
    round_ = services.move(actor=cast.safety_rep, round_=round_, to="conducted", version=round_.version)
    assert [n.recipient for n in summary_notes(cast)] == [dean]  # not the department's leader
    text = text_of(client_for(cast.safety_rep).get(reverse("rounds:summary", args=[round_.pk])))
    assert "Only the leader of Faculty F can sign as the leader: Dean Tester." in text
    with pytest.raises(PermissionDenied):
        services.sign(actor=cast.leader, round_=round_, as_role="leader", version=round_.version)
    services.sign(actor=dean, round_=round_, as_role="leader", version=round_.version)


def test_the_planning_form_says_when_the_unit_has_no_leader(cast):
    text = text_of(client_for(cast.safety_rep).get(reverse("rounds:create", args=[cast.faculty_f.pk])))
    assert "Faculty F has no leader registered: nobody can sign a round there as its leader." in text


def test_the_plan_owner_plans_every_area_and_nobody_inactive_does(cast):
    from django.contrib.auth.models import AnonymousUser

    from hms.measures import services as measure_services
    from hms.rounds import access

    assert not access.plans_unit_wide(AnonymousUser(), cast.unit_a)
    assert not access.plans_unit_wide(cast.employee, cast.unit_a)
    measure_services.set_plan_owner(actor=cast.leader, org_unit=cast.unit_a, owner=cast.employee)
    cast.unit_a.refresh_from_db()
    assert access.plans_unit_wide(cast.employee, cast.unit_a)
    assert set(access.round_areas(cast.employee, cast.unit_a)) == {cast.area}
    cast.employee.is_active = False
    assert not access.plans_unit_wide(cast.employee, cast.unit_a)
