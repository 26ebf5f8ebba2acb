"""The services write the contact and the log only for those allowed, check what they are given,
refuse stale edits with the other change, and audit every write."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.utils import timezone

from hms.core.errors import ServiceError, StaleEdit
from hms.core.models import AuditEvent
from hms.health import services
from hms.health.models import HealthServiceContact, Involvement, Kind
from hms.health.tests.factories import FACULTY, UNIVERSITY, contact, entry
from hms.rounds.tests.factories import lab_round

pytestmark = pytest.mark.django_db


def test_it_registers_a_contact_and_audits_it(cast):
    saved = services.set_contact(actor=cast.leader, org_unit=cast.unit_a,
                                 data={**UNIVERSITY, "service": "  Own BHT  "}, version=None)
    assert saved.service == "Own BHT" and saved.org_unit == cast.unit_a
    assert saved.updated_by == cast.leader
    event = AuditEvent.objects.for_object(saved).get()
    assert event.action == "create" and event.after["service"] == "Own BHT"


def test_it_edits_a_contact_with_its_version(cast):
    own = contact(cast, cast.faculty_f, **FACULTY)
    saved = services.set_contact(actor=cast.coordinator, org_unit=cast.faculty_f,
                                 data={**FACULTY, "phone": "+47 99 99 99 99"}, version=own.version)
    assert saved.phone == "+47 99 99 99 99" and saved.version == own.version + 1
    event = AuditEvent.objects.for_object(saved).get(action="update")
    assert event.before["phone"] == "12345" and event.after["phone"] == "+47 99 99 99 99"


def test_it_refuses_a_stale_edit_and_shows_the_other_change(cast):
    own = contact(cast, cast.unit_a)
    services.set_contact(actor=cast.leader, org_unit=cast.unit_a,
                         data={**UNIVERSITY, "contact_person": "Other"}, version=own.version)
    with pytest.raises(StaleEdit) as refused:
        services.set_contact(actor=cast.leader, org_unit=cast.unit_a,
                             data={**UNIVERSITY, "contact_person": "Mine"}, version=own.version)
    assert refused.value.current.contact_person == "Other"
    assert HealthServiceContact.objects.get(org_unit=cast.unit_a).contact_person == "Other"


def test_it_refuses_a_new_contact_when_one_appeared_meanwhile(cast):
    contact(cast, cast.unit_a, contact_person="First")
    with pytest.raises(StaleEdit) as refused:
        services.set_contact(actor=cast.leader, org_unit=cast.unit_a, data=UNIVERSITY, version=None)
    assert refused.value.current.contact_person == "First"


def test_it_turns_a_simultaneous_registration_into_a_stale_edit(cast, monkeypatch):
    first = contact(cast, cast.unit_a, contact_person="First")

    def collide(**values):
        raise IntegrityError

    monkeypatch.setattr(HealthServiceContact.objects, "create", collide)
    with pytest.raises(StaleEdit) as refused:
        services._create_contact(cast.leader, cast.unit_a, UNIVERSITY)
    assert refused.value.current == first


@pytest.mark.parametrize(("field", "value", "says"), [
    ("email", "not-an-address", "e-mail"),
    ("web", "javascript:alert(1)", "web address"),
    ("phone", "call me", "phone"),
    ("phone", "12", "phone"),
    ("service", "", "occupational health service"),
])
def test_it_refuses_bad_contact_details_and_saves_nothing(cast, english, field, value, says):
    with pytest.raises(ServiceError) as refused:
        services.set_contact(actor=cast.leader, org_unit=cast.unit_a,
                             data={**UNIVERSITY, field: value}, version=None)
    assert says in refused.value.message
    assert not HealthServiceContact.objects.exists()
    assert not AuditEvent.objects.exists()


def test_it_wants_a_way_to_reach_the_service(cast, english):
    with pytest.raises(ServiceError, match="at least one way to reach"):
        services.set_contact(actor=cast.leader, org_unit=cast.unit_a,
                             data={"service": "Silent BHT"}, version=None)
    assert not HealthServiceContact.objects.exists()


@pytest.mark.parametrize("persona", ["employee", "safety_rep", "handler", "lab_leader", "outsider",
                                     "student"])
def test_only_the_units_editors_set_its_contact(cast, persona):
    with pytest.raises(PermissionDenied):
        services.set_contact(actor=cast.users[persona], org_unit=cast.unit_a, data=UNIVERSITY,
                             version=None)
    assert not HealthServiceContact.objects.exists()


def test_it_removes_the_units_own_contact(cast):
    own = contact(cast, cast.unit_a)
    services.remove_contact(actor=cast.leader, org_unit=cast.unit_a, version=own.version)
    assert not HealthServiceContact.objects.filter(org_unit=cast.unit_a).exists()
    assert AuditEvent.objects.filter(action="delete", object_id=str(own.pk)).exists()


def test_it_refuses_to_remove_a_contact_changed_meanwhile_or_missing(cast, english):
    own = contact(cast, cast.unit_a)
    with pytest.raises(StaleEdit):
        services.remove_contact(actor=cast.leader, org_unit=cast.unit_a, version=own.version + 1)
    assert HealthServiceContact.objects.filter(pk=own.pk).exists()
    with pytest.raises(ServiceError, match="no occupational health service contact of its own"):
        services.remove_contact(actor=cast.coordinator, org_unit=cast.section_a1, version=1)
    with pytest.raises(PermissionDenied):
        services.remove_contact(actor=cast.employee, org_unit=cast.unit_a, version=own.version)


# --- The log -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["leader", "coordinator", "safety_rep", "deputy", "handler",
                                     "lab_leader", "admin"])
def test_the_units_writers_record_an_involvement(cast, persona):
    saved = entry(cast, by=cast.users[persona])
    assert saved.recorded_by == cast.users[persona] and saved.org_unit == cast.unit_a
    assert AuditEvent.objects.for_object(saved).get().action == "create"


@pytest.mark.parametrize("persona", ["employee", "outsider", "student"])
def test_others_do_not_record_an_involvement(cast, persona):
    with pytest.raises(PermissionDenied):
        entry(cast, by=cast.users[persona])
    assert not Involvement.objects.exists()


def test_it_links_an_entry_to_a_record_of_the_unit(cast):
    round_ = lab_round(cast)
    saved = entry(cast, record=round_)
    assert saved.record == round_
    assert list(Involvement.objects.for_record(round_)) == [saved]


@pytest.mark.parametrize(("change", "says"), [
    ({"kind": "party"}, "Choose what"),
    ({"day": "2024-01-01"}, "Give the date"),
    ({"day": timezone.localdate() + dt.timedelta(days=1)}, "cannot be in the future"),
    ({"description": "   "}, "Describe what"),
    ({"description": "x" * 2001}, "too long"),
])
def test_it_refuses_a_bad_entry_and_saves_nothing(cast, english, change, says):
    values = {"kind": Kind.MEETING, "day": timezone.localdate(), "description": "Met", **change}
    with pytest.raises(ServiceError, match=says):
        services.record_involvement(actor=cast.leader, org_unit=cast.unit_a, **values)
    assert not Involvement.objects.exists() and not AuditEvent.objects.exists()


def test_it_refuses_a_record_of_another_unit_or_none_at_all(cast, english):
    round_ = lab_round(cast)
    with pytest.raises(ServiceError, match="must belong to the unit"):
        entry(cast, unit=cast.section_a1, by=cast.coordinator, record=round_)
    with pytest.raises(ServiceError, match="must belong to the unit"):
        entry(cast, record=cast.leader)  # a user has no unit
    assert not Involvement.objects.exists()


def test_it_edits_an_entry_with_its_version(cast):
    saved = entry(cast)
    round_ = lab_round(cast)
    fresh = services.update_involvement(actor=cast.coordinator, entry=saved, kind=Kind.MEETING,
                                        day=saved.date, description="Changed", record=round_,
                                        version=saved.version)
    assert (fresh.kind, fresh.description, fresh.record, fresh.version) == (
        Kind.MEETING, "Changed", round_, saved.version + 1)
    event = AuditEvent.objects.for_object(saved).get(action="update")
    assert event.before["kind"] == Kind.HSE_ROUND and event.after["kind"] == Kind.MEETING


def test_it_refuses_a_stale_entry_edit(cast):
    saved = entry(cast)
    services.update_involvement(actor=cast.leader, entry=saved, kind=Kind.MEETING, day=saved.date,
                                description="First", record=None, version=saved.version)
    with pytest.raises(StaleEdit) as refused:
        services.update_involvement(actor=cast.leader, entry=saved, kind=Kind.TRAINING,
                                    day=saved.date, description="Second", record=None,
                                    version=saved.version)
    assert refused.value.current.description == "First"
    assert Involvement.objects.get().description == "First"


def test_the_recorder_edits_their_own_entry_and_no_one_elses(cast):
    own = entry(cast, by=cast.safety_rep)
    services.update_involvement(actor=cast.safety_rep, entry=own, kind=own.kind, day=own.date,
                                description="Mine", record=None, version=own.version)
    theirs = entry(cast, by=cast.leader)
    with pytest.raises(PermissionDenied):
        services.update_involvement(actor=cast.safety_rep, entry=theirs, kind=theirs.kind,
                                    day=theirs.date, description="Not mine", record=None,
                                    version=theirs.version)
    assert Involvement.objects.get(pk=theirs.pk).description == theirs.description


def test_entries_about_one_persons_health_are_for_the_units_editors_only(cast):
    from hms.health.models import Involvement, Kind
    from hms.health.tests.factories import entry

    entry(cast, kind=Kind.DIALOGUE_MEETING)
    entry(cast, kind=Kind.HEALTH_EXAMINATION)
    round_entry = entry(cast, kind=Kind.HSE_ROUND)
    for reader in ("employee", "safety_rep", "lab_leader"):
        assert list(Involvement.objects.visible_to(cast.users[reader])) == [round_entry], reader
    for reader in ("leader", "coordinator", "admin"):
        assert Involvement.objects.visible_to(cast.users[reader]).count() == 3, reader
