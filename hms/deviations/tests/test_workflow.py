"""Reporting and handling a deviation through the services: the workflow, its refusals,
notifications, and who may see what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from hms.core.errors import ServiceError, StaleEdit
from hms.core.models import AuditEvent, Notification
from hms.core.roles import Action
from hms.deviations import services
from hms.deviations.models import CauseCategory, Deviation, Status
from hms.deviations.tests.factories import accepted, report
from hms.measures.models import Measure
from hms.measures.models import Status as MeasureStatus

pytestmark = pytest.mark.django_db


def test_it_reports_a_named_case_and_tells_the_safety_rep_and_handlers(cast):
    deviation = report(cast)
    assert deviation.status == Status.REPORTED and deviation.reporter == cast.student
    assert deviation.receipt_digest == ""
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"safety_rep", "handler"}
    event = AuditEvent.objects.for_object(deviation).get()
    assert event.action == "report" and event.actor == cast.student


def test_a_serious_potential_reaches_the_leader_at_once(cast):
    report(cast, serious_injury=True, code="personal_injury")
    assert Notification.objects.filter(recipient=cast.leader).count() == 1


def test_the_reporter_is_not_told_of_their_own_report(cast):
    report(cast, by=cast.safety_rep)
    assert not Notification.objects.filter(recipient=cast.safety_rep).exists()


def test_it_accepts_with_a_handler_and_the_usual_deadline(cast, settings):
    settings.HMS_DEVIATION_DEADLINE_DAYS = 30
    deviation = report(cast)
    fresh = services.accept(actor=cast.leader, deviation=deviation, handler=cast.handler,
                            close_deadline=None, version=deviation.version)
    assert fresh.status == Status.ACCEPTED and fresh.handler == cast.handler
    assert fresh.close_deadline == timezone.localdate() + dt.timedelta(days=30)
    assert fresh.accepted_at is not None and fresh.version == deviation.version + 1
    assert Notification.objects.filter(recipient=cast.handler).count() == 2  # reported, handles it


@pytest.mark.parametrize("who", ["employee", "outsider"])
def test_only_a_handler_or_leader_of_the_unit_can_be_made_handler(cast, who):
    deviation = report(cast)
    with pytest.raises(ServiceError):
        services.accept(actor=cast.leader, deviation=deviation, handler=cast.users[who],
                        close_deadline=None, version=deviation.version)


def test_a_deadline_in_the_past_is_refused(cast):
    deviation = report(cast)
    with pytest.raises(ServiceError):
        services.accept(actor=cast.handler, deviation=deviation, handler=cast.handler,
                        close_deadline=timezone.localdate() - dt.timedelta(days=1),
                        version=deviation.version)
    assert Deviation.objects.get(pk=deviation.pk).status == Status.REPORTED


@pytest.mark.parametrize("who", ["safety_rep", "employee", "coordinator", "student", "outsider"])
def test_only_handlers_and_leaders_handle(cast, who):
    deviation = report(cast)
    with pytest.raises(PermissionDenied):
        services.accept(actor=cast.users[who], deviation=deviation, handler=cast.handler,
                        close_deadline=None, version=deviation.version)


def test_a_stale_version_is_refused_with_what_is_there_now(cast):
    deviation = report(cast)
    services.reject(actor=cast.handler, deviation=deviation, reason="Not HSE", version=deviation.version)
    with pytest.raises(StaleEdit) as refused:
        services.accept(actor=cast.leader, deviation=deviation, handler=cast.handler,
                        close_deadline=None, version=deviation.version)
    assert refused.value.current.status == Status.REJECTED


def test_it_rejects_with_a_reason_and_tells_the_reporter(cast):
    deviation = report(cast)
    with pytest.raises(ServiceError):
        services.reject(actor=cast.handler, deviation=deviation, reason="  ", version=deviation.version)
    fresh = services.reject(actor=cast.handler, deviation=deviation, reason="A building fault",
                            version=deviation.version)
    assert fresh.status == Status.REJECTED and fresh.reject_reason == "A building fault"
    assert Notification.objects.filter(recipient=cast.student, url=deviation.get_absolute_url()).exists()
    reopened = services.reopen(actor=cast.handler, deviation=fresh, version=fresh.version)
    assert reopened.status == Status.REPORTED


def test_it_transfers_a_reported_case_to_the_right_unit(cast):
    deviation = report(cast)
    fresh = services.transfer(actor=cast.handler, deviation=deviation, to_unit=cast.unit_b,
                              version=deviation.version)
    assert fresh.org_unit == cast.unit_b and fresh.transferred_from == cast.unit_a
    assert fresh.status == Status.REPORTED
    # The old unit's handler no longer sees it (the safety area still does, for its VO).
    assert not Deviation.objects.visible_to(cast.handler).filter(pk=deviation.pk).exists()
    assert AuditEvent.objects.filter(action="transfer").count() == 1


def test_a_transfer_is_refused_after_acceptance_and_to_the_same_unit(cast):
    deviation = report(cast)
    with pytest.raises(ServiceError):
        services.transfer(actor=cast.handler, deviation=deviation, to_unit=cast.unit_a,
                          version=deviation.version)
    case = accepted(cast)
    with pytest.raises(ServiceError):
        services.transfer(actor=cast.handler, deviation=case, to_unit=cast.unit_b, version=case.version)


def test_it_assesses_consequence_and_cause(cast):
    case = accepted(cast)
    fresh = services.assess(actor=cast.handler, deviation=case, version=case.version, data={
        "actual_consequence": 1, "potential_consequence": 4, "cause_categories": ["procedure"],
        "cause": "No routine for acid transport"})
    assert fresh.status == Status.UNDER_TREATMENT and fresh.potential_consequence == 4
    assert fresh.cause_category_labels() == [str(CauseCategory.PROCEDURE.label)]
    assert Notification.objects.filter(recipient=cast.leader, url=case.get_absolute_url()).exists()


@pytest.mark.parametrize("data", [{"actual_consequence": 6}, {"potential_consequence": 0},
                                  {"cause_categories": ["astrology"]}])
def test_a_bad_assessment_changes_nothing(cast, data):
    case = accepted(cast)
    with pytest.raises(ServiceError):
        services.assess(actor=cast.handler, deviation=case, version=case.version, data=data)
    assert Deviation.objects.get(pk=case.pk).version == case.version


def test_a_reported_case_is_accepted_before_it_is_assessed_or_given_measures(cast):
    deviation = report(cast)
    with pytest.raises(ServiceError):
        services.assess(actor=cast.handler, deviation=deviation, version=deviation.version, data={})
    with pytest.raises(ServiceError):
        services.add_measure(actor=cast.handler, deviation=deviation, data={"title": "x"})


def test_measures_go_into_the_action_plan_and_must_be_done_before_closing(cast):
    case = accepted(cast)
    measure = services.add_measure(actor=cast.handler, deviation=case, data={
        "title": "Acid carrier", "responsible": cast.employee, "deadline": timezone.localdate()})
    assert measure.origin == "deviation" and measure.origin_record == case
    assert Measure.objects.in_plan(cast.leader, cast.unit_a).filter(pk=measure.pk).exists()
    case = Deviation.objects.get(pk=case.pk)
    assert case.status == Status.UNDER_TREATMENT
    with pytest.raises(ServiceError):
        services.mark_measures_done(actor=cast.handler, deviation=case, version=case.version)
    with pytest.raises(ServiceError):
        services.close(actor=cast.handler, deviation=case, conclusion="Done", learning="",
                       version=case.version)
    Measure.objects.filter(pk=measure.pk).update(status=MeasureStatus.DONE)
    case = services.mark_measures_done(actor=cast.handler, deviation=case, version=case.version)
    with pytest.raises(ServiceError):
        services.close(actor=cast.handler, deviation=case, conclusion=" ", learning="",
                       version=case.version)
    case = services.close(actor=cast.handler, deviation=case, conclusion="Carrier bought",
                          learning="Carry acid in a carrier", version=case.version)
    assert case.status == Status.CLOSED and case.closed_at is not None
    assert Notification.objects.filter(recipient=cast.student).count() == 1  # closed
    case = services.reopen(actor=cast.leader, deviation=case, version=case.version)
    assert case.status == Status.UNDER_TREATMENT and case.closed_at is None


def test_measures_done_needs_measures_and_illegal_steps_are_refused(cast):
    case = accepted(cast)
    with pytest.raises(ServiceError):
        services.mark_measures_done(actor=cast.handler, deviation=case, version=case.version)
    with pytest.raises(ServiceError):
        services.reopen(actor=cast.handler, deviation=case, version=case.version)
    with pytest.raises(ServiceError):
        services.reject(actor=cast.handler, deviation=case, reason="late", version=case.version)


def test_it_records_when_authorities_police_and_injury_report_were_told(cast):
    case = accepted(cast, code="personal_injury", serious_injury=True)
    assert case.is_serious and case.is_injury
    case = services.record_notice(actor=cast.leader, deviation=case, notice="authorities", at=None,
                                  version=case.version)
    assert case.authorities_notified_at is not None
    earlier = timezone.now() - dt.timedelta(hours=2)
    case = services.record_notice(actor=cast.leader, deviation=case, notice="injury_report",
                                  at=earlier, version=case.version)
    assert case.injury_report_filed_on == timezone.localtime(earlier).date()
    with pytest.raises(ServiceError):
        services.record_notice(actor=cast.leader, deviation=case, notice="police",
                               at=timezone.now() + dt.timedelta(days=1), version=case.version)
    with pytest.raises(ServiceError):
        services.record_notice(actor=cast.leader, deviation=case, notice="press", at=None,
                               version=case.version)


def test_a_serious_injury_follows_from_the_actual_consequence(cast):
    case = accepted(cast, code="personal_injury")
    assert not case.is_serious
    case = services.assess(actor=cast.handler, deviation=case, version=case.version,
                           data={"actual_consequence": 4})
    assert case.is_serious and case.high_potential


def test_injury_details_are_read_by_handlers_and_leaders_only_and_every_read_is_audited(cast):
    case = accepted(cast, code="personal_injury")
    services.set_injury_details(actor=cast.handler, deviation=case, injured_person="Kari Nordmann",
                                health_details="Burn on the left hand")
    change = AuditEvent.objects.get(action="update:injury_details")
    assert "Kari" not in str(change.after) and change.after == {"injured_person": True,
                                                               "health_details": True}
    details = services.read_injury_details(actor=cast.leader, deviation=case)
    assert details is not None and details.injured_person == "Kari Nordmann"
    read = AuditEvent.objects.get(action="read:injury_details")
    assert read.actor == cast.leader
    for who in ("safety_rep", "coordinator", "student", "employee"):
        with pytest.raises(PermissionDenied):
            services.read_injury_details(actor=cast.users[who], deviation=case)
    assert AuditEvent.objects.filter(action="read:injury_details").count() == 1


def test_the_report_can_carry_injury_details(cast):
    data = {"org_unit": cast.unit_a, "deviation_type": report(cast).deviation_type,
            "title": "Cut", "description": "A cut", "occurred_at": timezone.now()}
    case, _secret = services.report_deviation(
        actor=cast.employee, data=data, injury={"injured_person": "Per", "health_details": ""})
    assert case.injury.injured_person == "Per"
    empty, _secret = services.report_deviation(
        actor=cast.employee, data=data, injury={"injured_person": " ", "health_details": ""})
    assert not hasattr(empty, "injury") or empty.injury is None


def test_it_links_risk_rows_the_handler_may_see(cast):
    from hms.risk.tests.test_permissions import with_assessment

    row = with_assessment(cast)["row"]
    case = accepted(cast)
    services.link_risk_rows(actor=cast.handler, deviation=case, rows=[row])
    assert list(case.risk_rows.all()) == [row]
    assert AuditEvent.objects.get(action="link_risk_rows").after == {"risk_rows": [str(row)]}
    elsewhere = _row_in_b(cast)
    with pytest.raises(PermissionDenied):
        services.link_risk_rows(actor=cast.handler, deviation=case, rows=[elsewhere])
    assert list(case.risk_rows.all()) == [row]


def _row_in_b(cast):
    from hms.risk import services as risk_services
    from hms.risk.models import AssessmentKind

    in_b = risk_services.create_assessment(actor=cast.admin, org_unit=cast.unit_b,
                                           kind=AssessmentKind.DETAILED, data={"title": "B"})
    return risk_services.add_row(actor=cast.admin, assessment=in_b, data={"activity": "x"})


def test_a_new_risk_assessment_is_started_as_a_draft_or_a_measure(cast):
    from hms.risk.tests.test_permissions import with_matrix

    with_matrix(cast)
    case = accepted(cast)
    draft = services.request_new_assessment(actor=cast.handler, deviation=case, as_draft=True)
    assert draft.status == "draft" and draft.trigger == "after_deviation"
    assert draft.org_unit == cast.unit_a and draft.title == case.title
    case = Deviation.objects.get(pk=case.pk)
    measure = services.request_new_assessment(actor=cast.handler, deviation=case, as_draft=False)
    assert measure.origin_record == case and case.title in measure.title
    assert Deviation.objects.get(pk=case.pk).needs_new_assessment


@pytest.mark.parametrize(("persona", "sees"), [
    ("leader", True), ("handler", True), ("safety_rep", True), ("deputy", True), ("admin", True),
    ("student", True),  # the reporter
    ("employee", False), ("coordinator", False), ("lab_leader", False), ("outsider", False),
])
def test_who_sees_a_case(cast, persona, sees):
    case = report(cast)
    assert Deviation.objects.visible_to(cast.users[persona]).filter(pk=case.pk).exists() is sees


def test_a_case_outside_the_safety_area_is_not_the_safety_reps(cast):
    case = report(cast, safety_area=None)
    assert not Deviation.objects.visible_to(cast.safety_rep).filter(pk=case.pk).exists()
    assert Deviation.objects.visible_to(cast.handler, Action.EDIT).filter(pk=case.pk).exists()
    assert not Deviation.objects.visible_to(cast.student, Action.EDIT).filter(pk=case.pk).exists()
