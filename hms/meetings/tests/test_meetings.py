from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from hms.accounts.models import User
from hms.core.errors import ServiceError, StaleEdit
from hms.core.models import AuditEvent
from hms.measures.models import Origin
from hms.meetings import services
from hms.meetings.models import AgendaItem, Attendee, Decision, Kind, Meeting, MeetingSeries, Status
from hms.meetings.tests.factories import held, meeting

pytestmark = pytest.mark.django_db


def test_it_plans_a_meeting_with_the_planner_invited_and_notifies_the_others(
        cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        planned = meeting(cast, invited=("safety_rep", "employee"))
    people = set(planned.attendees.values_list("person__username", flat=True))
    assert people == {"leader", "safety_rep", "employee"}
    assert cast.safety_rep.notifications.filter(url=planned.get_absolute_url()).exists()
    assert not cast.leader.notifications.exists()
    assert AuditEvent.objects.filter(action="create", object_id=str(planned.pk)).exists()


def test_it_invites_guests_and_the_occupational_health_service(cast):
    planned = services.plan_meeting(
        actor=cast.leader, org_unit=cast.unit_a,
        data={"kind": Kind.LAMU, "title": "LAMU", "starts_at": timezone.now()},
        invitations={"guests": ["Tillitsvalgt Tekna"], "health_service": True})
    guests = {(str(a), a.is_health_service) for a in planned.attendees.filter(person=None)}
    assert guests == {("Tillitsvalgt Tekna", False), ("Bedriftshelsetjenesten", True)}
    with translation.override("en"):
        assert str(planned.attendees.get(is_health_service=True)) == "Occupational health service"


def test_it_refuses_planning_outside_ones_units_and_with_a_foreign_safety_area(cast):
    with pytest.raises(PermissionDenied):
        meeting(cast, by=cast.employee)
    from hms.org.models import SafetyArea

    other = SafetyArea.objects.create(org_unit=cast.unit_b, code="b", name="B")
    with pytest.raises(ServiceError):
        meeting(cast, safety_area=other)
    assert not Meeting.objects.exists()


def test_the_safety_representative_may_plan_the_meeting_too(cast):
    assert meeting(cast, by=cast.safety_rep, invited=("leader",)).created_by == cast.safety_rep


def test_a_series_plans_its_meetings_up_front_on_the_same_day_of_the_month(cast):
    first = timezone.make_aware(dt.datetime(2027, 1, 31, 10, 0))
    series = services.plan_series(
        actor=cast.leader, org_unit=cast.unit_a, interval=1, count=3,
        data={"kind": Kind.LEADER_VO, "title": "Fast møte", "starts_at": first},
        invitations={"invited": [cast.safety_rep]})
    dates = [timezone.localtime(m.starts_at) for m in series.meetings.order_by("starts_at")]
    assert [(d.month, d.day, d.hour) for d in dates] == [(1, 31, 10), (2, 28, 10), (3, 31, 10)]
    assert all(m.attendees.count() == 2 for m in series.meetings.all())
    assert MeetingSeries.objects.get().count == 3


def test_a_quarterly_series_crosses_the_new_year(cast):
    first = timezone.make_aware(dt.datetime(2027, 11, 15, 9, 0))
    dates = services.series_dates(first, 3, 4)
    assert [(d.year, d.month) for d in dates] == [(2027, 11), (2028, 2), (2028, 5), (2028, 8)]


def test_an_edit_from_a_stale_form_is_refused_with_the_other_change(cast):
    planned = meeting(cast)
    services.edit_meeting(actor=cast.leader, meeting=planned, version=planned.version,
                          data={"location": "Rom 202"})
    with pytest.raises(StaleEdit) as refused:
        services.edit_meeting(actor=cast.safety_rep, meeting=planned, version=planned.version,
                              data={"location": "Teams"})
    assert refused.value.current.location == "Rom 202"
    planned.refresh_from_db()
    assert planned.location == "Rom 202"


def test_an_edit_is_validated_and_keeps_to_the_units_safety_areas(cast):
    from django.core.exceptions import ValidationError

    from hms.org.models import SafetyArea

    planned = meeting(cast)
    with pytest.raises(ValidationError):
        services.edit_meeting(actor=cast.leader, meeting=planned, version=planned.version,
                              data={"duration_minutes": 1})
    other = SafetyArea.objects.create(org_unit=cast.unit_b, code="b", name="B")
    with pytest.raises(ServiceError):
        services.edit_meeting(actor=cast.leader, meeting=planned, version=planned.version,
                              data={"safety_area": other})
    planned.refresh_from_db()
    assert (planned.duration_minutes, planned.safety_area) == (60, cast.area)


def test_items_the_safety_representative_raises_are_marked(cast):
    planned = meeting(cast)
    theirs = services.add_item(actor=cast.safety_rep, meeting=planned, title="Støy i verkstedet")
    ours = services.add_item(actor=cast.leader, meeting=planned, title="Budsjett for verneutstyr")
    assert (theirs.raised_by_safety_rep, ours.raised_by_safety_rep) == (True, False)
    assert [theirs.position, ours.position] == [1, 2]


def test_an_item_needs_a_title_and_an_open_meeting(cast):
    planned = meeting(cast)
    with pytest.raises(ServiceError):
        services.add_item(actor=cast.leader, meeting=planned, title="  ")
    services.cancel_meeting(actor=cast.leader, meeting=planned, version=planned.version)
    planned.refresh_from_db()
    with pytest.raises(ServiceError):
        services.add_item(actor=cast.leader, meeting=planned, title="For sent")
    assert not AgendaItem.objects.exists()


def test_an_invited_employee_may_write_in_the_meeting_but_others_may_not(cast):
    planned = meeting(cast, invited=("employee",))
    services.add_item(actor=cast.employee, meeting=planned, title="Ventilasjon")
    with pytest.raises(PermissionDenied):
        services.add_item(actor=cast.lab_leader, meeting=planned, title="Ikke invitert")


def test_minutes_from_a_stale_form_are_refused_and_keep_what_is_saved(cast):
    planned = meeting(cast)
    item = services.add_item(actor=cast.leader, meeting=planned, title="Avvik")
    services.save_minutes(actor=cast.leader, item=item, version=item.version, minutes="Leder: ok")
    with pytest.raises(StaleEdit) as refused:
        services.save_minutes(actor=cast.safety_rep, item=item, version=item.version,
                              minutes="VO: ikke ok")
    assert refused.value.current.minutes == "Leder: ok"


def test_attendance_records_who_was_there(cast):
    planned = meeting(cast, invited=("safety_rep", "employee"))
    rep = planned.attendees.get(person=cast.safety_rep)
    services.record_attendance(actor=cast.leader, meeting=planned, present={rep.pk})
    assert set(Attendee.objects.filter(present=True).values_list("person__username", flat=True)) == {
        "safety_rep"}


def test_a_decision_becomes_a_measure_in_the_action_plan_once(cast):
    planned = meeting(cast)
    item = services.add_item(actor=cast.safety_rep, meeting=planned, title="Avtrekk")
    decision = services.decide(actor=cast.safety_rep, meeting=planned, text="Bytt filter", item=item)
    measure = services.decision_measure(actor=cast.safety_rep, decision=decision,
                                        data={"title": "Bytt filter i avtrekket",
                                              "responsible": cast.employee,
                                              "deadline": dt.date(2027, 3, 1)})
    decision.refresh_from_db()
    assert decision.measure == measure
    assert (measure.origin, measure.origin_record, measure.org_unit) == (Origin.MEETING, decision,
                                                                        cast.unit_a)
    with pytest.raises(ServiceError):
        services.decision_measure(actor=cast.leader, decision=decision, data={"title": "Igjen"})


def test_of_two_converting_a_decision_at_once_the_second_is_refused(cast):
    from hms.measures.models import Measure
    from hms.meetings.models import Decision as DecisionModel

    planned = meeting(cast)
    decision = services.decide(actor=cast.leader, meeting=planned, text="Bytt filter")
    theirs = DecisionModel.objects.get(pk=decision.pk)  # loaded by the other person, unconverted
    services.decision_measure(actor=cast.leader, decision=decision, data={"title": "Bytt filter"})
    with pytest.raises(ServiceError):
        services.decision_measure(actor=cast.safety_rep, decision=theirs, data={"title": "Filter"})
    assert list(Measure.objects.values_list("title", flat=True)) == ["Bytt filter"]


def test_a_decision_needs_text_and_an_item_of_the_same_meeting(cast):
    planned, other = meeting(cast), meeting(cast, days=30)
    foreign = services.add_item(actor=cast.leader, meeting=other, title="Annet møte")
    with pytest.raises(ServiceError):
        services.decide(actor=cast.leader, meeting=planned, text=" ")
    with pytest.raises(ServiceError):
        services.decide(actor=cast.leader, meeting=planned, text="Ja", item=foreign)
    assert not Decision.objects.exists()


def test_an_invited_employee_cannot_put_measures_in_the_plan(cast):
    planned = meeting(cast, invited=("employee",))
    decision = services.decide(actor=cast.employee, meeting=planned, text="Noe skal gjøres")
    with pytest.raises(ServiceError):
        services.decision_measure(actor=cast.employee, decision=decision, data={"title": "X"})
    assert Decision.objects.get().measure is None


def test_minutes_are_completed_only_after_the_meeting_with_attendance(cast):
    coming = meeting(cast, days=2)
    services.record_attendance(actor=cast.leader, meeting=coming,
                               present=set(coming.attendees.values_list("pk", flat=True)))
    with pytest.raises(ServiceError):
        services.complete_minutes(actor=cast.leader, meeting=coming, version=coming.version + 1,
                                  summary="")
    past = meeting(cast, days=-1)
    with pytest.raises(ServiceError):
        services.complete_minutes(actor=cast.leader, meeting=past, version=past.version, summary="")
    done = held(cast)
    assert (done.status, done.minutes_by) == (Status.HELD, cast.leader)
    with pytest.raises(ServiceError):
        services.cancel_meeting(actor=cast.leader, meeting=done, version=done.version)


def test_the_unit_card_counts_held_leader_vo_meetings_this_year_against_four(cast):
    from hms.meetings.cards import unit_card

    with time_machine.travel(dt.datetime(2027, 6, 1, 12, tzinfo=dt.UTC)):
        held(cast, days=-10)
        held(cast, days=-20, kind=Kind.STAFF)
        meeting(cast, days=30)
        card = unit_card(cast.leader, cast.unit_a)
    assert card is not None
    assert (card["held"], card["planned"], card["minimum"], card["short"]) == (1, 1, 4, 2)
    assert unit_card(cast.student, cast.unit_a) is None


def test_the_home_card_lists_the_persons_coming_meetings(cast):
    from hms.meetings.cards import home_card

    coming = meeting(cast, days=3)
    held(cast)
    assert home_card(cast.safety_rep)["meetings"] == [coming]
    assert home_card(cast.employee)["meetings"] == []


def test_a_new_feed_address_replaces_the_old(cast):
    first = services.calendar_feed(actor=cast.leader)
    assert services.calendar_feed(actor=cast.leader).token == first.token
    renewed = services.renew_calendar_feed(actor=cast.leader)
    assert renewed.token != first.token


def complete_with_everyone(cast, planned, by):
    services.record_attendance(actor=by, meeting=planned,
                               present=set(planned.attendees.values_list("pk", flat=True)))
    planned.refresh_from_db()
    return services.complete_minutes(actor=by, meeting=planned, version=planned.version, summary="")


def test_a_meeting_the_health_service_attended_goes_into_its_log(cast):
    from hms.health.models import Involvement
    from hms.health.models import Kind as HealthKind

    planned = services.plan_meeting(
        actor=cast.leader, org_unit=cast.unit_a,
        data={"kind": Kind.STAFF, "title": "Allmøte", "starts_at": timezone.now()},
        invitations={"health_service": True})
    complete_with_everyone(cast, planned, cast.leader)
    entry = Involvement.objects.for_record(planned).get()
    assert (entry.kind, entry.org_unit, entry.recorded_by) == (HealthKind.MEETING, cast.unit_a,
                                                               cast.leader)


def test_no_log_entry_without_the_health_service_or_by_someone_who_does_not_write_the_log(cast):
    from hms.health.models import Involvement

    complete_with_everyone(cast, meeting(cast, days=-1), cast.leader)
    from hms.core.roles import Role
    from hms.org.models import RoleAssignment, SafetyArea

    # The representative of an area of the section runs a meeting of the department above, whose
    # log they do not write.
    area = SafetyArea.objects.create(org_unit=cast.section_a1, code="a1", name="A1")
    area.units.add(cast.section_a1)
    rep = User.objects.create_user("vo_a1", "vo_a1@example.org", "pw")
    RoleAssignment.objects.create(person=rep, org_unit=cast.section_a1, role=Role.SAFETY_REP,
                                  safety_area=area)
    planned = services.plan_meeting(
        actor=cast.leader, org_unit=cast.unit_a,
        data={"kind": Kind.STAFF, "title": "Allmøte", "starts_at": timezone.now(),
              "safety_area": area},
        invitations={"health_service": True})
    complete_with_everyone(cast, planned, rep)
    assert not Involvement.objects.exists()


def test_those_invited_write_the_agenda_but_do_not_run_the_meeting(cast):
    planned = meeting(cast, days=-1, invited=("employee",))
    services.add_item(actor=cast.employee, meeting=planned, title="Min sak")
    planned.refresh_from_db()
    for run in (lambda: services.cancel_meeting(actor=cast.employee, meeting=planned,
                                                version=planned.version),
                lambda: services.record_attendance(actor=cast.employee, meeting=planned, present=set()),
                lambda: services.complete_minutes(actor=cast.employee, meeting=planned,
                                                  version=planned.version, summary=""),
                lambda: services.edit_meeting(actor=cast.employee, meeting=planned,
                                              version=planned.version, data={"location": "X"})):
        with pytest.raises(PermissionDenied):
            run()
    planned.refresh_from_db()
    assert (planned.status, planned.location) == (Status.PLANNED, "Rom 101")
