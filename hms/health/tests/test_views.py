"""The service page, the contact form and the entry form: what they show, what they save, and
bad input refused with a clear message and nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from hms.accounts.models import User
from hms.core.models import AuditEvent
from hms.health.models import HealthServiceContact, Involvement
from hms.health.tests.factories import FACULTY, UNIVERSITY, contact, entry
from hms.rounds.tests.factories import lab_round

pytestmark = pytest.mark.django_db


def client_for(user):
    """A signed-in client reading the pages in English."""
    User.objects.filter(pk=user.pk).update(language="en")
    client = Client()
    client.force_login(user)
    return client


def test_the_service_page_shows_the_contact_the_log_and_the_counts(cast, english):
    contact(cast, cast.faculty_f, **FACULTY)
    today = timezone.localdate()
    entry(cast, description="Joined the round")
    entry(cast, description="Another round")
    entry(cast, kind="training", description="Ergonomics course")
    entry(cast, description="Last year", day=today.replace(year=today.year - 1, day=1))
    page = client_for(cast.employee).get(f"/health/units/{cast.unit_a.pk}/").content.decode()
    assert "Faculty F health" in page and "From Faculty F" in page
    assert "Joined the round" in page and "Ergonomics course" in page and "Last year" not in page
    assert "<dt>HSE round</dt><dd>2</dd>" in page and "<dt>Training</dt><dd>1</dd>" in page
    assert 'id="add-h"' not in page  # employees read the log, they do not write it
    older = client_for(cast.employee).get(f"/health/units/{cast.unit_a.pk}/?year={today.year - 1}")
    assert "Last year" in older.content.decode() and "Joined the round" not in older.content.decode()


def test_a_writer_adds_an_entry_linked_to_a_round(cast):
    round_ = lab_round(cast)
    client = client_for(cast.safety_rep)
    form = client.get(f"/health/units/{cast.unit_a.pk}/").content.decode()
    assert f'value="rounds.round:{round_.pk}"' in form
    response = client.post(f"/health/units/{cast.unit_a.pk}/log/", {
        "date": timezone.localdate().isoformat(), "kind": "hse_round",
        "description": "Checked the fume hoods", "record": f"rounds.round:{round_.pk}"})
    assert response.status_code == 302
    saved = Involvement.objects.get()
    assert saved.record == round_ and saved.recorded_by == cast.safety_rep


@pytest.mark.parametrize(("data", "says"), [
    ({"kind": "party"}, "Select a valid choice"),
    ({"date": "yesterday"}, "Enter a valid date"),
    ({"description": ""}, "This field is required"),
    ({"record": "rounds.round:99999"}, "Select a valid choice"),
    ({"date": (timezone.localdate() + dt.timedelta(days=3)).isoformat()}, "cannot be in the future"),
])
def test_a_bad_entry_is_refused_with_a_message_and_nothing_saved(cast, english, data, says):
    values = {"date": timezone.localdate().isoformat(), "kind": "meeting", "description": "LAMU",
              **data}
    response = client_for(cast.leader).post(f"/health/units/{cast.unit_a.pk}/log/", values)
    assert response.status_code == 200
    assert says in response.content.decode() and "Nothing was saved" in response.content.decode()
    assert not Involvement.objects.exists() and not AuditEvent.objects.exists()


def test_another_units_round_is_not_offered(cast):
    lab_round(cast)
    page = client_for(cast.coordinator).get(f"/health/units/{cast.section_a1.pk}/").content.decode()
    assert "rounds.round:" not in page


def test_the_leader_registers_the_units_own_contact(cast, english):
    contact(cast)
    client = client_for(cast.leader)
    page = client.get(f"/health/units/{cast.unit_a.pk}/contact/").content.decode()
    assert "uses Fjordby BHT from Universitetet" in page
    response = client.post(f"/health/units/{cast.unit_a.pk}/contact/",
                           {**FACULTY, "web": "bht.example.org"})
    assert response.status_code == 302
    own = HealthServiceContact.objects.get(org_unit=cast.unit_a)
    assert own.web == "https://bht.example.org"


@pytest.mark.parametrize(("data", "says"), [
    ({"email": "nope"}, "Enter a valid email address"),
    ({"phone": "ring me"}, "Enter a phone number"),
    ({"web": "ftp:/broken"}, "Enter a valid URL"),
    ({"phone": "", "email": "", "web": ""}, "at least one way to reach"),
])
def test_bad_contact_details_are_refused_and_nothing_changes(cast, english, data, says):
    own = contact(cast, cast.unit_a)
    response = client_for(cast.leader).post(f"/health/units/{cast.unit_a.pk}/contact/",
                                            {**UNIVERSITY, **data, "version": own.version})
    assert response.status_code == 200 and says in response.content.decode()
    fresh = HealthServiceContact.objects.get(pk=own.pk)
    assert (fresh.version, fresh.email, fresh.phone) == (own.version, own.email, own.phone)


def test_a_stale_contact_edit_shows_the_other_change(cast, english):
    own = contact(cast, cast.unit_a)
    client = client_for(cast.leader)
    client.post(f"/health/units/{cast.unit_a.pk}/contact/",
                {**UNIVERSITY, "contact_person": "Theirs", "version": own.version})
    response = client.post(f"/health/units/{cast.unit_a.pk}/contact/",
                           {**UNIVERSITY, "contact_person": "Mine", "version": own.version})
    page = response.content.decode()
    assert response.status_code == 200 and "What the other person saved" in page and "Theirs" in page
    assert f'name="version" value="{own.version + 1}"' in page
    assert HealthServiceContact.objects.get(pk=own.pk).contact_person == "Theirs"


def test_the_leader_removes_the_own_contact_and_the_unit_inherits_again(cast, english):
    contact(cast)
    own = contact(cast, cast.unit_a, service="Own")
    client = client_for(cast.leader)
    response = client.post(f"/health/units/{cast.unit_a.pk}/contact/remove/",
                           {"version": own.version})
    assert response.status_code == 302
    page = client.get(f"/health/units/{cast.unit_a.pk}/").content.decode()
    assert "Fjordby BHT" in page and "From Universitetet" in page


def test_an_entry_is_edited_and_a_stale_edit_shows_the_other_change(cast, english):
    saved = entry(cast)
    client = client_for(cast.leader)
    url = f"/health/log/{saved.pk}/"
    assert "BHT joined the round" in client.get(url).content.decode()
    values = {"date": saved.date.isoformat(), "kind": "meeting", "version": saved.version}
    assert client.post(url, {**values, "description": "Theirs"}).status_code == 302
    response = client.post(url, {**values, "description": "Mine"})
    page = response.content.decode()
    assert response.status_code == 200 and "What the other person saved" in page and "Theirs" in page
    assert Involvement.objects.get().description == "Theirs"


def test_a_bad_entry_edit_is_refused_and_nothing_changes(cast, english):
    saved = entry(cast)
    response = client_for(cast.leader).post(f"/health/log/{saved.pk}/", {
        "date": (timezone.localdate() + dt.timedelta(days=1)).isoformat(), "kind": "meeting",
        "description": "Later", "version": saved.version})
    assert response.status_code == 200 and "cannot be in the future" in response.content.decode()
    assert Involvement.objects.get().description == saved.description


def test_the_contact_form_starts_from_the_units_own_contact(cast):
    own = contact(cast, cast.unit_a, contact_person="Kari")
    page = client_for(cast.leader).get(f"/health/units/{cast.unit_a.pk}/contact/").content.decode()
    assert 'value="Kari"' in page and f'name="version" value="{own.version}"' in page


def test_an_entry_keeps_its_record_when_it_is_no_longer_among_the_recent(cast, monkeypatch):
    from hms.health import lookup

    round_ = lab_round(cast)
    saved = entry(cast, record=round_)
    monkeypatch.setattr(lookup, "RECENT", 0)
    page = client_for(cast.leader).get(f"/health/log/{saved.pk}/").content.decode()
    assert f'value="rounds.round:{round_.pk}" selected' in page
