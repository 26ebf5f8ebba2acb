"""The governance pages: goals by year, the goal forms (a stale edit shows the other change), the
year start, the register with its filter and PDF (read back), the delegation form, the answer
buttons and "Tasks delegated to me"."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hms.governance import services
from hms.governance.models import Delegation, DelegationStatus, Goal, GoalStatus
from hms.governance.tests.factories import accepted, delegation, expire, goal, task
from hms.measures.models import Measure, Origin

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def client_for(user):
    """Pages in English (the user's language), so the tests do not depend on the catalogue."""
    user.language = "en"
    user.save(update_fields=["language"])
    client = Client()
    client.force_login(user)
    return client


def test_the_goal_list_shows_a_years_goals_with_indicator_target_and_measures(cast, measure_factory):
    measure = measure_factory(title="Buy new goggles")
    goal(cast, title="Safe labs", measures=(measure,))
    goal(cast, year=YEAR - 1, title="Last year's goal")
    page = client_for(cast.employee).get(reverse("governance:goals", args=[cast.unit_a.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "Safe labs" in text and "Injuries reported" in text
    assert "Buy new goggles" in text and "Last year&#x27;s goal" not in text
    assert f'<option value="{YEAR - 1}">' in text and "New goal" not in text  # employees only see
    last = client_for(cast.leader).get(reverse("governance:goals", args=[cast.unit_a.pk]),
                                        {"year": YEAR - 1})
    assert "Last year&#x27;s goal" in last.content.decode() and "Safe labs" not in last.content.decode()
    assert last.context["year"] == YEAR - 1
    bad = client_for(cast.leader).get(reverse("governance:goals", args=[cast.unit_a.pk]), {"year": "x"})
    assert bad.context["year"] == YEAR


def test_a_new_goal_is_saved_and_bad_input_keeps_what_was_typed(cast, english, measure_factory):
    measure = measure_factory()
    client = client_for(cast.leader)
    url = reverse("governance:goal_create", args=[cast.unit_a.pk])
    assert client.get(url, {"year": YEAR + 1}).context["form"].initial["year"] == YEAR + 1
    refused = client.post(url, {"year": "26", "title": "<b>Kept</b>", "indicator": "Share"})
    assert refused.status_code == 200 and b"&lt;b&gt;Kept" in refused.content
    assert b"four digits" in refused.content and not Goal.objects.exists()
    response = client.post(url, {"year": YEAR, "title": "Safe labs", "indicator": "Injuries",
                                 "target": "0", "measures": [measure.pk]})
    made = Goal.objects.get()
    assert response["Location"] == made.get_absolute_url() and list(made.measures.all()) == [measure]


def test_a_stale_goal_edit_is_refused_and_shows_the_other_change(cast, english):
    made = goal(cast)
    client = client_for(cast.leader)
    url = reverse("governance:goal_edit", args=[made.pk])
    form = client.get(url).context["form"]
    assert form.initial["version"] == 1
    services.update_goal(actor=cast.coordinator, goal=made, data={"title": "Their title"},
                         measures=[], version=1)
    page = client.post(url, {"version": 1, "year": YEAR, "title": "My title", "indicator": "I"})
    text = page.content.decode()
    assert page.status_code == 200 and "What the other person saved" in text and "Their title" in text
    assert 'value="My title"' in text and 'name="version" value="2"' in text
    made.refresh_from_db()
    assert made.title == "Their title"
    saved = client.post(url, {"version": 2, "year": YEAR, "title": "My title", "indicator": "I"})
    assert saved.status_code == 302 and Goal.objects.get().title == "My title"
    refused = client.post(url, {"version": 3, "year": YEAR, "title": "Bad", "measures": [
        Measure.objects.create(org_unit=cast.unit_b, title="Elsewhere").pk]})
    assert refused.status_code == 200 and Goal.objects.get().title == "My title"
    two_digits = client.post(url, {"version": 3, "year": 26, "title": "Bad"})
    assert b"four digits" in two_digits.content and Goal.objects.get().title == "My title"


def test_the_year_end_assessment_page(cast, english):
    made = goal(cast)
    client = client_for(cast.coordinator)
    url = reverse("governance:goal_assess", args=[made.pk])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"version": 1, "status": GoalStatus.PARTLY, "comment": ""})
    assert b"not fully achieved" in refused.content
    stale = client.post(url, {"version": 9, "status": GoalStatus.ACHIEVED, "comment": ""})
    assert b"What the other person saved" in stale.content
    assert Goal.objects.get().status == GoalStatus.NOT_ASSESSED
    done = client.post(url, {"version": 1, "status": GoalStatus.PARTLY, "comment": "Half"})
    assert done.status_code == 302 and Goal.objects.get().status == GoalStatus.PARTLY


def test_a_new_measure_for_a_goal_from_its_page(cast):
    made = goal(cast)
    client = client_for(cast.leader)
    url = reverse("governance:goal_measure", args=[made.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"title": "", "priority": 2}).status_code == 200
    assert not Measure.objects.exists()
    response = client.post(url, {"title": "Train everyone", "priority": 2})
    measure = Measure.objects.get()
    assert response.status_code == 302 and measure.origin == Origin.GOAL
    assert list(made.measures.all()) == [measure]


def test_start_the_year_from_last_years_goals_once(cast, english):
    goal(cast, year=YEAR - 1, title="Carry over")
    client = client_for(cast.leader)
    page = client.get(reverse("governance:goals", args=[cast.unit_a.pk]))
    assert f"Start {YEAR} from {YEAR - 1}".encode() in page.content
    url = reverse("governance:start_year", args=[cast.unit_a.pk])
    first = client.post(url, {"year": YEAR}, follow=True)
    assert b"1 goal was copied" in first.content and b"Carry over" in first.content
    again = client.post(url, {"year": YEAR}, follow=True)
    assert b"already in" in again.content
    assert Goal.objects.filter(year=YEAR).count() == 1
    assert f"Start {YEAR} from".encode() not in again.content


def test_the_register_shows_active_first_with_flags_and_filters(cast, english):
    waiting = delegation(cast, days=10)
    done = accepted(cast, to=cast.lab_leader, days=200)
    old = expire(accepted(cast, to=cast.handler))
    declined = delegation(cast, text="Key holder")
    services.answer_delegation(actor=cast.employee, delegation=declined, accept=False,
                               reason="No time", version=declined.version)
    client = client_for(cast.employee)
    page = client.get(reverse("governance:register", args=[cast.unit_a.pk]))
    assert list(page.context["delegations"]) == [waiting, done, old]
    text = page.content.decode()
    assert "Awaiting acceptance" in text and "Ends soon" in text and "Expired" in text
    assert "responsibility for the unit stays with the leader" in text
    assert "Delegate a task" not in text  # employees see the register, the leader delegates
    every = client.get(reverse("governance:register", args=[cast.unit_a.pk]), {"show": "all"})
    assert list(every.context["delegations"]) == [waiting, done, old, declined]


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "".join("".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def test_the_register_pdf_is_the_written_overview(cast, english):
    done = accepted(cast, to=cast.lab_leader)
    delegation(cast, text="Radiation protection contact", days=None)
    response = client_for(cast.safety_rep).get(reverse("governance:register_pdf", args=[cast.unit_a.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('-a.pdf"')
    text = _pdf_text(response.content)
    for expected in ("Delegated HSE tasks: Department A", "First aider", "Lab_Leader Tester",
                     "Leader Tester", "Radiation protection contact", "until further notice",
                     "Awaiting acceptance", "stays with the leader",
                     timezone.localtime(done.accepted_at).strftime("%m/%d/%Y")):
        assert "".join(expected.split()) in text, expected


def test_the_leader_delegates_from_the_form_and_a_stranger_is_refused_clearly(cast, english):
    client = client_for(cast.leader)
    url = reverse("governance:delegation_create", args=[cast.unit_a.pk])
    form = client.get(url).context["form"]
    people = set(form.fields["delegate"].queryset)
    assert cast.employee in people and cast.safety_rep in people
    assert not people & {cast.outsider, cast.student, cast.coordinator}
    refused = client.post(url, {"task": task().pk, "delegate": cast.outsider.pk,
                                "valid_from": timezone.localdate().isoformat()})
    assert b"Choose one of the unit&#x27;s people" in refused.content
    neither = client.post(url, {"delegate": cast.employee.pk,
                                "valid_from": timezone.localdate().isoformat()})
    assert b"Choose a task from the list" in neither.content
    past = client.post(url, {"task": task().pk, "delegate": cast.employee.pk,
                             "valid_from": "2020-01-01", "valid_to": "2020-06-30"})
    assert b"not in the past" in past.content
    assert not Delegation.objects.exists()
    response = client.post(url, {"task": task().pk, "scope": "Second floor",
                                 "delegate": cast.employee.pk,
                                 "valid_from": timezone.localdate().isoformat()})
    made = Delegation.objects.get()
    assert response["Location"] == made.get_absolute_url() and made.delegate == cast.employee


def test_the_delegation_page_has_the_answer_buttons_for_the_delegate_only(cast, english):
    made = delegation(cast)
    mine = client_for(cast.employee).get(made.get_absolute_url()).content.decode()
    assert f'id="accept-{made.pk}"' in mine and 'id="revoke"' not in mine and "History" in mine
    theirs = client_for(cast.leader).get(made.get_absolute_url()).content.decode()
    assert f'id="accept-{made.pk}"' not in theirs and 'id="revoke"' in theirs


def test_the_delegate_accepts_from_tasks_delegated_to_me(cast, english):
    made = delegation(cast)
    accepted(cast, to=cast.employee, days=300)
    client = client_for(cast.employee)
    page = client.get(reverse("governance:mine"))
    assert page.context["delegations"][0] == made
    assert f'id="accept-{made.pk}"'.encode() in page.content
    response = client.post(reverse("governance:accept", args=[made.pk]),
                           {"version": made.version, "next": "mine"})
    assert response["Location"] == reverse("governance:mine")
    made.refresh_from_db()
    assert made.status == DelegationStatus.ACCEPTED and made.accepted_at is not None
    again = client.post(reverse("governance:accept", args=[made.pk]), {"version": made.version},
                        follow=True)
    assert b"cannot become" in again.content
    bad = client.post(reverse("governance:accept", args=[made.pk]), {"version": "x"}, follow=True)
    assert b"Nothing was changed" in bad.content


def test_a_decline_without_a_reason_changes_nothing(cast, english):
    made = delegation(cast)
    client = client_for(cast.employee)
    url = reverse("governance:decline", args=[made.pk])
    refused = client.post(url, {"version": made.version, "reason": ""}, follow=True)
    assert b"Say why you decline" in refused.content
    assert Delegation.objects.get().status == DelegationStatus.AWAITING
    client.post(url, {"version": made.version, "reason": "On leave"})
    assert Delegation.objects.get().decline_reason == "On leave"


def test_the_leader_revokes_and_a_stale_revoke_is_refused(cast, english):
    made = accepted(cast)
    client = client_for(cast.leader)
    url = reverse("governance:revoke", args=[made.pk])
    stale = client.post(url, {"version": 1}, follow=True)
    assert b"changed while you were looking" in stale.content
    assert Delegation.objects.get().status == DelegationStatus.ACCEPTED
    done = client.post(url, {"version": made.version}, follow=True)
    assert b"was revoked" in done.content
    assert Delegation.objects.get().status == DelegationStatus.REVOKED
    mine = client_for(cast.employee).get(reverse("governance:mine"))
    assert list(mine.context["delegations"]) == []
    assert len(client_for(cast.employee).get(reverse("governance:mine"), {"show": "all"})
               .context["delegations"]) == 1


def test_the_unit_and_home_pages_show_the_cards(cast, english):
    goal(cast)
    delegation(cast)
    unit_page = client_for(cast.employee).get(reverse("org:unit", args=[cast.unit_a.pk]))
    assert b"governance-card-h" in unit_page.content and b"1 awaiting acceptance" in unit_page.content
    home = client_for(cast.employee).get("/")
    assert b"delegated-card-h" in home.content and b"1 task awaits your acceptance" in home.content


def test_a_delegate_from_a_sub_unit_sees_the_delegation_but_not_the_register(cast, english):
    from hms.accounts.models import User
    from hms.core.roles import Role
    from hms.org.models import RoleAssignment

    below = User.objects.create_user("below", "below@example.org", "pw", first_name="Below")
    RoleAssignment.objects.create(person=below, org_unit=cast.section_a1, role=Role.EMPLOYEE)
    made = delegation(cast, to=below)
    client = client_for(below)
    page = client.get(made.get_absolute_url())
    assert page.status_code == 200 and f'id="accept-{made.pk}"'.encode() in page.content
    assert reverse("governance:mine").encode() in page.content  # the way back, not the register
    assert client.get(reverse("governance:register", args=[cast.unit_a.pk])).status_code == 404
    client.post(reverse("governance:accept", args=[made.pk]), {"version": made.version})
    assert Delegation.objects.get().status == DelegationStatus.ACCEPTED
