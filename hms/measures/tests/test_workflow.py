from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from hms.core.errors import ServiceError, StaleEdit
from hms.core.models import AuditEvent, Notification
from hms.measures import services
from hms.measures.models import TRANSITIONS, Measure, Status

pytestmark = pytest.mark.django_db


def create(cast, actor=None, **data):
    values = {"title": "Guard rail", "responsible": cast.employee,
              "deadline": dt.date(2030, 1, 1), **data}
    return services.create_measure(actor=actor or cast.leader, org_unit=cast.unit_a, data=values)


def test_it_creates_a_measure_with_audit_and_notifies_the_responsible(cast):
    measure = create(cast)
    event = AuditEvent.objects.for_object(measure).get()
    assert event.action == "create" and event.actor == cast.leader
    assert event.after["title"] == "Guard rail" and event.org_unit == cast.unit_a
    note = Notification.objects.get(recipient=cast.employee)
    assert "Guard rail" in note.message and note.url.endswith(f"/measures/{measure.pk}/")


def test_it_does_not_notify_people_about_their_own_measures(cast):
    create(cast, responsible=cast.leader)
    assert not Notification.objects.exists()


def test_it_refuses_to_create_outside_the_actors_scope(cast):
    with pytest.raises(PermissionDenied):
        services.create_measure(actor=cast.outsider, org_unit=cast.unit_a, data={"title": "x"})
    with pytest.raises(PermissionDenied):
        services.create_measure(actor=cast.employee, org_unit=cast.unit_a, data={"title": "x"})
    assert not Measure.objects.exists()


def test_it_validates_before_writing(cast):
    with pytest.raises(ValidationError):
        create(cast, title="x" * 201)
    with pytest.raises(ValidationError):
        create(cast, cost_estimate=-5)
    assert not Measure.objects.exists() and not AuditEvent.objects.exists()


def test_an_edit_records_before_and_after_and_bumps_the_version(cast):
    measure = create(cast)
    fresh = services.update_measure(actor=cast.coordinator, measure=measure,
                                    data={"title": "Guard rail, both stairs"}, version=1)
    assert fresh.version == 2 and fresh.title == "Guard rail, both stairs"
    event = AuditEvent.objects.for_object(measure).filter(action="update").get()
    assert event.before["title"] == "Guard rail"
    assert event.after["title"] == "Guard rail, both stairs"
    with translation.override("en"):
        assert ("measure", "Guard rail", "Guard rail, both stairs") in event.changes()


def test_a_stale_edit_is_refused_and_returns_what_the_other_person_saved(cast):
    measure = create(cast)
    services.update_measure(actor=cast.coordinator, measure=measure, data={"title": "First"},
                            version=1)
    with pytest.raises(StaleEdit) as refused:
        services.update_measure(actor=cast.leader, measure=measure, data={"title": "Second"},
                                version=1)
    assert refused.value.current.title == "First"
    assert Measure.objects.get().title == "First"


def test_a_new_responsible_person_is_notified(cast):
    measure = create(cast, responsible=None)
    services.update_measure(actor=cast.leader, measure=measure,
                            data={"responsible": cast.safety_rep}, version=1)
    assert Notification.objects.filter(recipient=cast.safety_rep).count() == 1


def test_the_full_life_of_a_measure(cast):
    measure = create(cast)
    measure = services.transition_measure(actor=cast.employee, measure=measure,
                                          to=Status.IN_PROGRESS, version=measure.version)
    measure = services.transition_measure(actor=cast.employee, measure=measure, to=Status.DONE,
                                          version=measure.version, done_date=dt.date(2026, 11, 1))
    assert measure.done_date == dt.date(2026, 11, 1)
    with pytest.raises(PermissionDenied):
        services.transition_measure(actor=cast.employee, measure=measure, to=Status.VERIFIED,
                                    version=measure.version)
    measure = services.transition_measure(actor=cast.leader, measure=measure, to=Status.VERIFIED,
                                          version=measure.version, note="Works")
    assert (measure.status, measure.effect_note) == (Status.VERIFIED, "Works")
    actions = list(AuditEvent.objects.for_object(measure).values_list("action", flat=True))
    assert actions == ["status:verified", "status:done", "status:in_progress", "create"]


def test_done_without_a_date_means_today(cast):
    measure = create(cast)
    measure = services.transition_measure(actor=cast.employee, measure=measure, to=Status.DONE,
                                          version=1)
    assert measure.done_date is not None


def test_cancelling_needs_a_reason_and_reopening_clears_it(cast):
    measure = create(cast)
    with pytest.raises(ServiceError):
        services.transition_measure(actor=cast.leader, measure=measure, to=Status.CANCELLED,
                                    version=1, note="  ")
    measure = services.transition_measure(actor=cast.leader, measure=measure,
                                          to=Status.CANCELLED, version=1, note="Duplicate")
    assert measure.cancel_reason == "Duplicate"
    measure = services.transition_measure(actor=cast.leader, measure=measure, to=Status.OPEN,
                                          version=measure.version)
    assert measure.cancel_reason == "" and measure.status == Status.OPEN


@pytest.mark.parametrize("target", ["verified", "cancelled", "nonsense"])
def test_it_refuses_transitions_outside_the_table(cast, target):
    measure = create(cast)
    measure = services.transition_measure(actor=cast.leader, measure=measure, to=Status.DONE,
                                          version=1)
    measure = services.transition_measure(actor=cast.leader, measure=measure,
                                          to=Status.VERIFIED, version=measure.version)
    with pytest.raises(ServiceError):
        services.transition_measure(actor=cast.leader, measure=measure, to=target,
                                    version=measure.version, note="x")


def test_every_transition_target_is_a_status():
    assert {to for _frm, to in TRANSITIONS} <= set(Status.values)
    assert {frm for frm, _to in TRANSITIONS} <= set(Status.values)


def test_a_stale_transition_is_refused(cast):
    measure = create(cast)
    services.transition_measure(actor=cast.leader, measure=measure, to=Status.IN_PROGRESS,
                                version=1)
    with pytest.raises(StaleEdit):
        services.transition_measure(actor=cast.employee, measure=measure, to=Status.DONE,
                                    version=1)


def test_overdue_is_derived_from_deadline_and_status(cast, measure_factory):
    today = dt.date.today()
    late = measure_factory(deadline=today - dt.timedelta(days=1))
    soon = measure_factory(deadline=today + dt.timedelta(days=3))
    finished = measure_factory(deadline=today - dt.timedelta(days=9), status=Status.DONE)
    assert late.is_overdue and not soon.is_overdue and not finished.is_overdue
    assert list(Measure.objects.overdue()) == [late]
    assert set(Measure.objects.due_within(14)) == {late, soon}


def test_only_a_manager_sets_the_plan_owner(cast):
    services.set_plan_owner(actor=cast.leader, org_unit=cast.unit_a, owner=cast.employee)
    cast.unit_a.refresh_from_db()
    assert cast.unit_a.plan_owner == cast.employee
    assert Notification.objects.filter(recipient=cast.employee).exists()
    with pytest.raises(PermissionDenied):
        services.set_plan_owner(actor=cast.coordinator, org_unit=cast.unit_a, owner=None)
