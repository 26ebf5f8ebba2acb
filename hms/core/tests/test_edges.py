"""The corners of the core services that the journeys do not reach."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.db.models import Q
from django.test import Client

from hms.accounts import services as account_services
from hms.core import audit, authz, digest
from hms.core.models import AuditEvent
from hms.core.notifications import notify
from hms.measures import services as measure_services
from hms.measures.digest import MeasureSection
from hms.measures.models import ReminderLog
from hms.org import access as org_access
from hms.org import services as org_services
from hms.org.models import OrgUnit, SafetyArea

pytestmark = pytest.mark.django_db


def test_an_everything_scope_filters_nothing_and_anonymous_has_no_grants():
    assert authz.Scope(everything=True).unit_q() == Q()
    assert org_access.grants(AnonymousUser()) == []


def test_snapshots_turn_any_value_into_text(cast):
    cast.unit_a.odd = ["a", 1]
    assert audit.snapshot(cast.unit_a, ["odd", "name"]) == {"odd": "['a', 1]", "name": "Department A"}


def test_a_measure_remembers_the_record_it_came_from(cast):
    measure = measure_services.create_measure(actor=cast.leader, org_unit=cast.unit_a,
                                              data={"title": "From the lab area"},
                                              origin="round_finding", origin_record=cast.area)
    assert measure.origin_record == cast.area
    client = Client()
    client.force_login(cast.leader)
    unit_origin = measure_services.create_measure(actor=cast.leader, org_unit=cast.unit_a,
                                                  data={"title": "From the unit"}, origin_record=cast.unit_a)
    page = client.get(f"/measures/{unit_origin.pk}/").content.decode()
    assert f'<a href="/org/units/{cast.unit_a.pk}/">Department A</a>' in page


@pytest.mark.usefixtures("round_planned")
def test_a_digest_clash_with_a_concurrent_run_sends_nothing(cast, measure_factory, monkeypatch):
    day = dt.date(2026, 11, 25)
    measure = measure_factory(deadline=day)
    stale = MeasureSection().due(day)  # read before the other run claimed it
    ReminderLog.objects.create(measure=measure, recipient=cast.employee, day=day)
    monkeypatch.setattr(MeasureSection, "due", lambda self, d: stale)
    assert digest.send_digests(day=day) == 0
    assert mail.outbox == []


@pytest.mark.usefixtures("round_planned")
def test_people_without_an_email_address_get_no_digest(cast, measure_factory):
    cast.employee.email = ""
    cast.employee.save()
    measure_factory(deadline=dt.date(2026, 11, 25))
    assert digest.send_digests(day=dt.date(2026, 11, 25)) == 0


def test_a_unit_without_a_parent_in_the_file_moves_to_the_top(cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("u.csv", b"code,name,kind,parent\na1,Section A1,section,\n")
    report = org_services.import_units(actor=cast.admin, upload=upload)
    assert report.updated == 1
    assert OrgUnit.objects.get(code="a1").depth == 1


def test_an_unknown_language_is_refused(cast):
    with pytest.raises(ValueError):
        account_services.set_language(actor=cast.leader, language="xx")


def test_sign_up_is_closed(db):
    assert "closed" in Client(HTTP_ACCEPT_LANGUAGE="en").get("/accounts/signup/").content.decode().lower()


def test_inactive_people_get_no_notifications(cast):
    cast.employee.is_active = False
    assert notify(cast.employee, "hello") is None
    assert notify(None, "hello") is None


def test_admin_deletes_are_audited(cast):
    area = SafetyArea.objects.create(org_unit=cast.unit_b, code="b-x", name="B spare")
    client = Client()
    client.force_login(cast.admin)
    client.post(f"/admin/org/safetyarea/{area.pk}/delete/", {"post": "yes"})
    assert not SafetyArea.objects.filter(code="b-x").exists()
    event = AuditEvent.objects.get(action="admin:delete")
    assert event.before["name"] == "B spare"


def test_audit_labels_fall_back_to_the_key(cast):
    event = audit.record(actor=None, action="x", obj=cast.unit_a, before={"gone": 1}, after={"gone": 2})
    assert event.changes() == [("gone", 1, 2)]
    assert "x" in str(event)


def test_one_reverse_serves_every_row():
    from django.urls import reverse

    from hms.core.links import url_for_pk

    unit_url = url_for_pk("org:unit")
    assert [unit_url(pk) for pk in (1, 42)] == [reverse("org:unit", args=[pk]) for pk in (1, 42)]
