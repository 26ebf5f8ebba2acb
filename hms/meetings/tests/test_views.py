from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hms.measures.models import Measure, Origin
from hms.meetings import services
from hms.meetings.models import Meeting, Status
from hms.meetings.tests.factories import held, meeting

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def plan_data(cast, **extra):
    return {"kind": "leader_vo", "title": "Fast møte", "day": "2027-02-01", "time": "10:00",
            "duration_minutes": 60, "safety_area": cast.area.pk, "invited": [cast.safety_rep.pk],
            **extra}


def pdf_text(content):
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return "".join(text.split())  # pypdf breaks words at kerning


def test_the_leader_plans_one_meeting_through_the_form(cast):
    response = signed_in(cast.leader).post(reverse("meetings:create", args=[cast.unit_a.pk]),
                                           plan_data(cast))
    planned = Meeting.objects.get()
    assert response["Location"] == reverse("meetings:detail", args=[planned.pk])
    local = timezone.localtime(planned.starts_at)
    assert (local.date(), local.hour, planned.safety_area) == (dt.date(2027, 2, 1), 10, cast.area)
    assert planned.attendees.count() == 2


def test_a_recurring_series_is_planned_through_the_form(cast):
    response = signed_in(cast.leader).post(reverse("meetings:create", args=[cast.unit_a.pk]),
                                           plan_data(cast, repeat=3, count=4))
    assert response["Location"] == reverse("meetings:unit", args=[cast.unit_a.pk])
    assert Meeting.objects.count() == 4


@pytest.mark.parametrize(("extra", "field"), [
    ({"title": ""}, "title"), ({"time": "25:00"}, "time"), ({"duration_minutes": 0}, "duration_minutes"),
    ({"repeat": 3, "count": ""}, "count"), ({"count": 99, "repeat": 1}, "count"),
    ({"kind": "party"}, "kind"),
])
def test_bad_plans_are_refused_with_a_message_and_plan_nothing(cast, extra, field):
    response = signed_in(cast.leader).post(reverse("meetings:create", args=[cast.unit_a.pk]),
                                           plan_data(cast, **extra))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Meeting.objects.exists()


def test_the_meeting_page_offers_suggestions_to_writers_only(cast):
    planned = meeting(cast)
    page = signed_in(cast.safety_rep).get(planned.get_absolute_url())
    assert page.context["writing"] and page.context["suggestions"]
    assert b'name="suggestion"' in page.content
    page = signed_in(cast.employee).get(planned.get_absolute_url())
    assert not page.context["writing"] and page.context["suggestions"] == []
    assert b'name="suggestion"' not in page.content


def test_items_added_through_the_page_show_who_raised_them(cast):
    planned = meeting(cast)
    client = signed_in(cast.safety_rep)
    client.post(reverse("meetings:add_item", args=[planned.pk]), {"title": "Støy i verkstedet"})
    client.post(reverse("meetings:add_item", args=[planned.pk]), {"title": ""})
    assert list(planned.items.values_list("title", "raised_by_safety_rep")) == [
        ("Støy i verkstedet", True)]
    page = client.get(planned.get_absolute_url())
    assert b'class="tag vo"' in page.content


def test_a_stale_minutes_save_shows_both_texts_and_keeps_what_was_typed(cast):
    planned = meeting(cast)
    item = services.add_item(actor=cast.leader, meeting=planned, title="Avvik")
    services.save_minutes(actor=cast.leader, item=item, version=item.version, minutes="Leders notat")
    response = signed_in(cast.safety_rep).post(
        reverse("meetings:item_minutes", args=[item.pk]),
        {f"item-{item.pk}-version": item.version, f"item-{item.pk}-minutes": "Verneombudets notat"})
    assert response.status_code == 409
    assert "Leders notat" in response.content.decode()
    assert "Verneombudets notat" in response.content.decode()
    item.refresh_from_db()
    assert item.minutes == "Leders notat"


def test_a_decision_goes_to_the_action_plan_through_the_measure_form(cast):
    planned = meeting(cast)
    client = signed_in(cast.leader)
    response = client.post(reverse("meetings:decide", args=[planned.pk]),
                           {"text": "Kjøp nye vernebriller", "to_plan": "on"})
    decision = planned.decisions.get()
    assert response["Location"] == reverse("meetings:decision_measure", args=[decision.pk])
    form = client.get(response["Location"]).context["form"]
    assert form.initial["title"] == "Kjøp nye vernebriller"
    client.post(response["Location"], {"title": "Kjøp vernebriller", "responsible": cast.employee.pk,
                                       "deadline": "2027-03-01", "priority": 2})
    measure = Measure.objects.get()
    assert (measure.origin, measure.origin_record) == (Origin.MEETING, decision)
    assert "Kjøp vernebriller" in client.get(planned.get_absolute_url()).content.decode()


def test_completing_the_minutes_locks_the_meeting(cast):
    planned = meeting(cast, days=-1)
    client = signed_in(cast.leader)
    client.post(reverse("meetings:attendance", args=[planned.pk]),
                {"present": list(planned.attendees.values_list("pk", flat=True))})
    planned.refresh_from_db()
    client.post(reverse("meetings:complete", args=[planned.pk]),
                {"version": planned.version, "summary": "Bra møte"})
    planned.refresh_from_db()
    assert planned.status == Status.HELD
    page = client.get(planned.get_absolute_url())
    assert not page.context["writing"]
    assert b'name="present"' not in page.content
    client.post(reverse("meetings:add_item", args=[planned.pk]), {"title": "For sent"})
    assert not planned.items.exists()


def test_completing_without_attendance_is_refused_with_a_message(cast):
    planned = meeting(cast, days=-1)
    response = signed_in(cast.leader).post(reverse("meetings:complete", args=[planned.pk]),
                                           {"version": planned.version, "summary": ""}, follow=True)
    from django.utils.translation import gettext

    expected = gettext("Record who was present before you complete the minutes.")
    assert [str(m) for m in response.context["messages"]] == [expected]
    assert expected.startswith("Registrer hvem")
    planned.refresh_from_db()
    assert planned.status == Status.PLANNED


def test_the_minutes_pdf_holds_attendance_items_and_decisions(cast):
    planned = meeting(cast, days=-1)
    item = services.add_item(actor=cast.safety_rep, meeting=planned, title="Ventilasjon i lab")
    services.decide(actor=cast.leader, meeting=planned, text="Bestill service", item=item)
    services.record_attendance(actor=cast.leader, meeting=planned,
                               present={planned.attendees.get(person=cast.leader).pk})
    planned.refresh_from_db()
    services.complete_minutes(actor=cast.leader, meeting=planned, version=planned.version,
                              summary="Kort møte")
    response = signed_in(cast.employee).get(reverse("meetings:minutes_pdf", args=[planned.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in ("Ventilasjon i lab", "Bestill service", "Kort møte", "Leader Tester",
                     planned.title):
        assert "".join(expected.split()) in text, expected


def test_the_unit_meetings_page_counts_held_leader_vo_meetings(cast):
    held(cast)
    meeting(cast, days=10)
    page = signed_in(cast.employee).get(reverse("meetings:unit", args=[cast.unit_a.pk]))
    assert page.context["held_with_vo"] == 1
    assert len(page.context["upcoming"]) == 1 and len(page.context["past"]) == 1
    assert not page.context["may_plan"]


def test_the_unit_page_shows_the_meetings_card(cast):
    held(cast)
    page = signed_in(cast.employee).get(reverse("org:unit", args=[cast.unit_a.pk]))
    assert b'id="unit-leader-vo"' in page.content


def test_a_year_outside_the_range_falls_back_to_this_year(cast):
    page = signed_in(cast.leader).get(reverse("meetings:unit", args=[cast.unit_a.pk]) + "?year=1800")
    assert page.context["year"] == timezone.localdate().year


def test_an_edit_through_a_stale_form_shows_what_is_saved_now(cast):
    planned = meeting(cast)
    services.edit_meeting(actor=cast.leader, meeting=planned, version=planned.version,
                          data={"location": "Rom 202"})
    response = signed_in(cast.safety_rep).post(
        reverse("meetings:edit", args=[planned.pk]),
        {"kind": "leader_vo", "title": "Nytt navn", "day": "2027-02-01", "time": "10:00",
         "duration_minutes": 60, "version": planned.version, "location": "Teams"})
    assert response.status_code == 200
    assert response.context["current"].location == "Rom 202"
    assert "Rom 202" in response.content.decode()
    planned.refresh_from_db()
    assert planned.title != "Nytt navn"


def closed(cast):
    done = held(cast)
    item = done.items.create(position=1, title="Sak")
    return done, item


@pytest.mark.parametrize(("view", "data"), [
    ("meetings:add_item", lambda m, i: {"title": "x" * 301}),
    ("meetings:add_item", lambda m, i: {"title": "Etter møtet"}),
    ("meetings:add_suggestions", lambda m, i: {"suggestion": "standing:0"}),
    ("meetings:attendance", lambda m, i: {"present": ["1"]}),
    ("meetings:decide", lambda m, i: {"text": ""}),
    ("meetings:decide", lambda m, i: {"text": "For sent"}),
    ("meetings:complete", lambda m, i: {"version": "x"}),
    ("meetings:complete", lambda m, i: {"version": m.version, "summary": "Igjen"}),
    ("meetings:cancel", lambda m, i: {"version": m.version}),
])
def test_writes_to_completed_minutes_or_bad_input_are_refused_with_a_message(cast, view, data):
    done, item = closed(cast)
    before = (done.version, done.items.count(), done.decisions.count(), done.status)
    response = signed_in(cast.leader).post(reverse(view, args=[done.pk]), data(done, item),
                                           follow=True)
    assert list(response.context["messages"]), "no message"
    done.refresh_from_db()
    assert (done.version, done.items.count(), done.decisions.count(), done.status) == before


def test_minutes_of_a_completed_meeting_or_too_long_are_refused(cast):
    _done, item = closed(cast)
    client = signed_in(cast.leader)
    for minutes in ("x" * 10_001, "Etterpå"):
        response = client.post(reverse("meetings:item_minutes", args=[item.pk]),
                               {f"item-{item.pk}-version": item.version,
                                f"item-{item.pk}-minutes": minutes}, follow=True)
        assert list(response.context["messages"])
    item.refresh_from_db()
    assert item.minutes == ""


def test_a_decision_already_in_the_plan_is_refused_on_the_measure_form(cast):
    planned = meeting(cast)
    decision = services.decide(actor=cast.leader, meeting=planned, text="Gjør det")
    data = {"title": "Tiltak", "responsible": cast.employee.pk, "priority": 2}
    client = signed_in(cast.leader)
    client.post(reverse("meetings:decision_measure", args=[decision.pk]), data)
    response = client.post(reverse("meetings:decision_measure", args=[decision.pk]), data)
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert Measure.objects.count() == 1


def test_a_decision_without_the_plan_stays_on_the_meeting(cast):
    planned = meeting(cast)
    response = signed_in(cast.leader).post(reverse("meetings:decide", args=[planned.pk]),
                                           {"text": "Ingen tiltak nødvendig"})
    assert response["Location"].endswith(f"#decision-{planned.decisions.get().pk}")
    assert not Measure.objects.exists()


def test_a_stale_completion_shows_the_page_again_with_the_summary_and_the_version_now_saved(cast):
    planned = meeting(cast, days=-1)
    services.record_attendance(actor=cast.leader, meeting=planned,
                               present=set(planned.attendees.values_list("pk", flat=True)))
    old_version = planned.version  # the page was loaded before attendance was saved
    planned.refresh_from_db()
    response = signed_in(cast.leader).post(reverse("meetings:complete", args=[planned.pk]),
                                           {"version": old_version, "summary": "Min oppsummering"})
    assert response.status_code == 409
    form = response.context["complete_form"]
    assert form.errors and form["version"].value() == planned.version
    assert "Min oppsummering" in response.content.decode()
    planned.refresh_from_db()
    assert planned.status == Status.PLANNED


def test_an_invited_employee_writes_the_agenda_but_gets_no_controls_to_run_the_meeting(cast):
    planned = meeting(cast, invited=("employee",))
    page = signed_in(cast.employee).get(planned.get_absolute_url())
    assert page.context["writing"] and not page.context["running"]
    assert b'id="add-item"' in page.content and b'id="complete-minutes"' not in page.content
    assert signed_in(cast.employee).get(reverse("meetings:edit", args=[planned.pk])).status_code == 403
