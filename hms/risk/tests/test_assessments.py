from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone, translation

from hms.core.errors import ServiceError, StaleEdit
from hms.core.models import AuditEvent
from hms.core.roles import Action
from hms.measures.models import Measure, Origin, Status
from hms.risk import access, services
from hms.risk.models import AssessmentKind, AssessmentStatus, RiskAssessment, RiskRow

pytestmark = pytest.mark.django_db

RED = {"probability": 3, "consequences": {"people": 4}}        # D3: red
YELLOW = {"probability": 3, "consequences": {"people": 3}}     # C3: yellow
GREEN = {"probability": 1, "consequences": {"people": 1}}      # A1: green


def row(cast, lab, scores, actor=None, **fields):
    return services.add_row(actor=actor or cast.safety_rep, assessment=lab,
                            data={"unwanted_event": "Spill", **scores, **fields})


def measure_for(cast, risk_row, **data):
    return services.add_row_measure(actor=cast.leader, row=risk_row, data={
        "title": "Absorbent kit", "responsible": cast.employee, "deadline": dt.date(2030, 1, 1),
        **data})


def test_rows_compute_risk_values_and_the_worst_colour(cast, lab):
    mixed = row(cast, lab, {"probability": 2, "consequences": {"people": 2, "reputation": 5}})
    assert mixed.risk_values() == {"people": 4, "reputation": 10}
    assert mixed.colour == "red" and mixed.needs() == "measure"
    assert row(cast, lab, GREEN).needs() == "nothing"
    unscored = row(cast, lab, {})
    assert (unscored.colour, unscored.needs(), unscored.risk_values()) == ("", None, {})


def test_scores_outside_the_matrix_are_refused(cast, lab, english):
    for scores in ({"probability": 7}, {"consequences": {"people": 9}},
                   {"consequences": {"morale": 2}}, {"residual_probability": 0}):
        with pytest.raises(ServiceError):
            row(cast, lab, scores)
    assert not lab.rows.exists()


def test_approval_is_refused_until_red_and_yellow_rows_are_answered(cast, lab, english):
    red, _yellow = row(cast, lab, RED), row(cast, lab, YELLOW)
    row(cast, lab, GREEN)
    lab = services.submit_for_review(actor=cast.safety_rep, assessment=lab)
    with pytest.raises(ServiceError) as refused:
        services.approve_assessment(actor=cast.leader, assessment=lab)
    assert "Row 1 is red" in refused.value.message and "Row 2 is yellow" in refused.value.message
    # a measure without a deadline does not answer a red row
    measure_for(cast, red, deadline=None)
    with pytest.raises(ServiceError):
        services.approve_assessment(actor=cast.leader, assessment=lab)


def test_the_leader_approves_once_the_measures_are_in_the_action_plan(cast, lab):
    red, yellow = row(cast, lab, RED), row(cast, lab, YELLOW)
    measure = measure_for(cast, red)
    assert (measure.origin, measure.priority, measure.origin_record) == (Origin.RISK_ROW, 3, red)
    lab = services.update_assessment(actor=cast.leader, assessment=lab, data={}, version=lab.version)
    yellow = services.update_row(actor=cast.leader, row=yellow, data={"accept_reason": "Brief, rare"},
                                 version=yellow.version)
    lab = services.submit_for_review(actor=cast.safety_rep, assessment=lab)
    with pytest.raises(PermissionDenied):
        services.approve_assessment(actor=cast.safety_rep, assessment=lab)
    lab = services.approve_assessment(actor=cast.leader, assessment=lab)
    assert lab.status == AssessmentStatus.APPROVED and lab.approved_by == cast.leader
    approved_on = timezone.localtime(lab.approved_at).date()  # the day in Oslo, not in UTC
    assert lab.review_due == approved_on.replace(year=approved_on.year + 2)
    assert Measure.objects.filter(org_unit=cast.unit_a, origin=Origin.RISK_ROW).count() == 1


def test_a_cancelled_measure_does_not_count(cast, lab):
    red = row(cast, lab, RED)
    measure = measure_for(cast, red)
    from hms.measures import services as measure_services

    measure_services.transition_measure(actor=cast.leader, measure=measure, to=Status.CANCELLED,
                                        version=measure.version, note="Wrong row")
    assert len(lab.approval_problems()) == 1


def test_an_approved_assessment_is_frozen_and_revised_as_a_copy(cast, lab):
    green = row(cast, lab, GREEN, activity="Weighing")
    lab = services.approve_assessment(actor=cast.leader, assessment=services.submit_for_review(
        actor=cast.leader, assessment=lab))
    with pytest.raises(ServiceError):
        row(cast, lab, GREEN)
    with pytest.raises(ServiceError):
        services.update_row(actor=cast.leader, row=green, data={"activity": "x"}, version=1)
    revision = services.start_revision(actor=cast.safety_rep, assessment=lab)
    assert (revision.status, revision.revision_of, revision.matrix) == (
        AssessmentStatus.UNDER_REVISION, lab, lab.matrix)
    assert list(revision.rows.values_list("activity", flat=True)) == ["Weighing"]
    assert set(revision.participants.all()) == set(lab.participants.all())
    with pytest.raises(ServiceError):
        services.start_revision(actor=cast.leader, assessment=lab)
    revision = services.send_back(actor=cast.leader, assessment=services.submit_for_review(
        actor=cast.leader, assessment=revision))
    assert revision.status == AssessmentStatus.UNDER_REVISION
    revision = services.approve_assessment(actor=cast.leader, assessment=services.submit_for_review(
        actor=cast.leader, assessment=revision))
    lab.refresh_from_db()
    assert (revision.status, lab.status) == (AssessmentStatus.APPROVED, AssessmentStatus.ARCHIVED)
    assert lab.rows.get().activity == "Weighing"  # the earlier version stays readable
    with pytest.raises(ServiceError):
        services.start_revision(actor=cast.leader, assessment=lab)


def test_illegal_moves_and_stale_saves_are_refused(cast, lab, english):
    with pytest.raises(ServiceError):
        services.approve_assessment(actor=cast.leader, assessment=lab)  # still a draft
    first = row(cast, lab, GREEN)
    services.update_row(actor=cast.leader, row=first, data={"cause": "Haste"}, version=1)
    with pytest.raises(StaleEdit) as stale:
        services.update_row(actor=cast.safety_rep, row=first, data={"cause": "Fatigue"}, version=1)
    assert stale.value.current.cause == "Haste"
    with pytest.raises(StaleEdit):
        services.update_assessment(actor=cast.leader, assessment=lab, data={"title": "x"}, version=9)


def test_who_sees_and_edits_an_assessment(cast, lab):
    def visible(user, action=Action.VIEW):
        return set(RiskAssessment.objects.filter(access.assessment_q(user, action)))

    assert visible(cast.employee) == {lab} and visible(cast.outsider) == set()
    assert visible(cast.employee, Action.EDIT) == set()
    assert visible(cast.safety_rep, Action.EDIT) == {lab}      # a participant
    assert visible(cast.coordinator, Action.EDIT) == {lab}     # the faculty's coordinator
    assert visible(cast.admin, Action.MANAGE) == {lab}
    assert visible(AnonymousUser()) == set()
    assert access.access_assessment(cast.leader, lab.pk, Action.MANAGE) == lab
    with pytest.raises(Http404):
        access.access_assessment(cast.outsider, lab.pk, Action.VIEW)
    assert not access.can_assessment(AnonymousUser(), Action.VIEW, lab)
    assert not access.can_assessment(cast.employee, Action.EDIT, lab)
    with pytest.raises(PermissionDenied):
        row(cast, lab, GREEN, actor=cast.employee)
    with pytest.raises(PermissionDenied):
        services.create_assessment(actor=cast.employee, org_unit=cast.unit_a,
                                   kind=AssessmentKind.OVERALL, data={"title": "x"})


def test_an_assessment_needs_a_matrix_in_use(cast, english):
    with pytest.raises(ServiceError) as refused:
        services.create_assessment(actor=cast.leader, org_unit=cast.unit_a,
                                   kind=AssessmentKind.OVERALL, data={"title": "Mapping"})
    assert "No risk matrix" in refused.value.message


def test_every_step_is_audited(cast, lab):
    first = row(cast, lab, GREEN)
    services.update_row(actor=cast.leader, row=first, data={"cause": "Haste"}, version=1)
    actions = set(AuditEvent.objects.filter(org_unit=cast.unit_a).values_list("action", flat=True))
    assert {"create", "add_row", "update_row"} <= actions
    with translation.override("en"):
        assert str(RiskRow.objects.get()) == "1. Spill"


def test_review_dates_survive_a_leap_day():
    assert services.years_later(dt.date(2028, 2, 29), 2) == dt.date(2030, 2, 28)


def test_editing_the_header_and_the_participants(cast, lab):
    lab = services.update_assessment(actor=cast.leader, assessment=lab, version=lab.version,
                                     data={"title": "Solvent lab 2", "scope": "Room 101"},
                                     participants=[cast.leader, cast.lab_leader])
    assert (lab.title, lab.scope, lab.version) == ("Solvent lab 2", "Room 101", 2)
    assert set(lab.participants.all()) == {cast.leader, cast.lab_leader}
    # the safety representative is no longer a participant, and holds no editing role in the unit
    assert not access.can_assessment(cast.safety_rep, Action.EDIT, lab)
