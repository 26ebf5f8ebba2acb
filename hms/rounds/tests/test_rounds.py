"""HSE rounds through the services: planning and the frequency rule, the walk's answers and
findings, the summary into measures and deviations, signatures and closing, the questionnaire and
checklist versions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from hms.core.errors import ServiceError, StaleEdit
from hms.deviations.models import Deviation, DeviationType
from hms.measures.models import Measure
from hms.org.models import RiskLevel, SafetyArea
from hms.rounds import planning, services
from hms.rounds.models import Answer, ChecklistTemplate, Finding, Result, Round, Status
from hms.rounds.tests.factories import lab_round, walked

pytestmark = pytest.mark.django_db


def test_the_shipped_checklists_are_loaded_as_data():
    codes = set(ChecklistTemplate.objects.current().values_list("code", flat=True))
    assert codes == {"office", "laboratory", "workshop", "fire", "ergonomics", "psychosocial"}
    lab = ChecklistTemplate.objects.current().get(code="laboratory")
    assert lab.items.count() >= 8 and all(item.help_nb and item.help_en for item in lab.items.all())


def test_a_round_is_planned_with_its_participants_and_checklists(cast):
    round_ = lab_round(cast, codes=("laboratory", "fire"))
    assert round_.status == Status.PLANNED
    assert set(round_.participants.all()) == {cast.leader, cast.safety_rep}
    assert round_.templates.count() == 2


@pytest.mark.parametrize("who", ["employee", "student", "outsider"])
def test_those_who_may_not_plan_cannot(cast, who):
    with pytest.raises(PermissionDenied):
        lab_round(cast, by=cast.users[who])


def test_the_safety_rep_may_plan_a_round_of_their_area(cast):
    assert lab_round(cast, by=cast.safety_rep).created_by == cast.safety_rep


def test_a_round_needs_a_checklist_and_an_area_of_the_unit(cast):
    with pytest.raises(ServiceError):
        services.plan_round(actor=cast.leader, org_unit=cast.unit_a,
                            data={"safety_area": cast.area, "planned_on": timezone.localdate()},
                            participants=[], templates=[])
    other = SafetyArea.objects.create(org_unit=cast.unit_b, code="b-area", name="B area")
    with pytest.raises(ServiceError):
        services.plan_round(actor=cast.admin, org_unit=cast.unit_a,
                            data={"safety_area": other, "planned_on": timezone.localdate()},
                            participants=[], templates=list(ChecklistTemplate.objects.current()[:1]))


def test_the_frequency_rule_marks_an_overdue_high_risk_area(cast, settings):
    settings.HMS_ROUNDS_PER_YEAR = {"normal": 1, "high": 2}
    office = SafetyArea.objects.create(org_unit=cast.unit_a, code="a-office", name="A offices",
                                       risk_level=RiskLevel.NORMAL)
    today = timezone.localdate()
    for area in (cast.area, office):  # both walked eight months ago
        Round.objects.create(org_unit=cast.unit_a, safety_area=area, planned_on=today,
                             status=Status.CLOSED, conducted_on=today - dt.timedelta(days=240))
    plans = {p.area.code: p for p in planning.area_plans(cast.faculty_f, today)}
    assert plans["a-lab"].per_year == 2 and plans["a-lab"].overdue
    assert plans["a-lab"].next_due == today - dt.timedelta(days=240 - 182)
    assert plans["a-office"].per_year == 1 and not plans["a-office"].overdue
    never = SafetyArea.objects.create(org_unit=cast.section_a1, code="a1-area", name="A1")
    assert {p.area.code: p for p in planning.area_plans(cast.unit_a, today)}[never.code].overdue


def test_a_planned_round_shows_in_the_plan(cast):
    round_ = lab_round(cast, planned_on=timezone.localdate() + dt.timedelta(days=10))
    plan = next(p for p in planning.area_plans(cast.unit_a, timezone.localdate()) if p.area == cast.area)
    assert plan.planned == round_


def test_answers_are_saved_one_at_a_time_and_not_ok_is_a_finding(cast):
    round_ = lab_round(cast)
    item = round_.templates.get().items.first()
    answer = services.save_answer(actor=cast.safety_rep, round_=round_, item=item,
                                  result=Result.NOT_OK, comment="No label", version=None)
    finding = Finding.objects.get(answer=answer)
    assert finding.title == item.text and finding.description == "No label"
    again = services.save_answer(actor=cast.safety_rep, round_=round_, item=item,
                                 result=Result.OK, comment="", version=answer.version)
    assert again.version == 2 and not Finding.objects.exists()
    with pytest.raises(StaleEdit) as stale:
        services.save_answer(actor=cast.leader, round_=round_, item=item, result=Result.NOT_OK,
                             comment="", version=1)
    assert stale.value.current.result == Result.OK


def test_two_phones_answering_first_at_the_same_moment_do_not_overwrite(cast):
    round_ = lab_round(cast)
    item = round_.templates.get().items.last()
    services.save_answer(actor=cast.safety_rep, round_=round_, item=item, result=Result.OK,
                         comment="", version=None)
    # The other phone's first answer reaches the insert after this one: refused, not merged.
    with pytest.raises(StaleEdit) as stale:
        services._first_answer(cast.leader, round_, item, Result.NOT_OK, "", None)
    assert stale.value.current.result == Result.OK


@pytest.mark.parametrize(("result", "message"), [("maybe", "Answer"), ("ok", "checklists")])
def test_a_bad_answer_is_refused(cast, result, message, english):
    round_ = lab_round(cast)
    other = ChecklistTemplate.objects.current().get(code="office").items.first()
    item = other if message == "checklists" else round_.templates.get().items.first()
    with pytest.raises(ServiceError, match=message):
        services.save_answer(actor=cast.safety_rep, round_=round_, item=item, result=result,
                             comment="", version=None)
    assert not Answer.objects.exists()


@pytest.mark.parametrize("who", ["employee", "outsider", "student"])
def test_only_participants_the_area_rep_and_editors_walk(cast, who):
    round_ = lab_round(cast)
    with pytest.raises(PermissionDenied):
        services.save_answer(actor=cast.users[who], round_=round_,
                             item=round_.templates.get().items.first(), result="ok", comment="",
                             version=None)


def test_the_summary_turns_findings_into_measures_and_a_deviation_and_closes(cast):
    round_ = walked(cast, not_ok=3)
    first, second, third = round_.findings.order_by("pk")
    with pytest.raises(ServiceError):
        services.move(actor=cast.leader, round_=round_, to="summarised", version=round_.version)
    services.score_finding(actor=cast.leader, finding=first, probability=4, consequence=4)
    first.refresh_from_db()
    measure = services.finding_measure(actor=cast.leader, finding=first, data={
        "title": "Label the bottles", "responsible": cast.employee, "deadline": timezone.localdate(),
        "cost_estimate": 2000})
    assert measure.priority == 4 and measure.origin == "round_finding" and measure.origin_record == first
    assert Measure.objects.in_plan(cast.leader, cast.unit_a).filter(pk=measure.pk).exists()
    services.finding_measure(actor=cast.safety_rep, finding=second, data={"title": "Fix the hood"})
    deviation = services.finding_deviation(
        actor=cast.safety_rep, finding=third, deviation_type=DeviationType.objects.get(code="rule_breach"))
    assert Deviation.objects.visible_to(cast.handler).filter(pk=deviation.pk).exists()
    with pytest.raises(ServiceError):
        services.finding_deviation(actor=cast.safety_rep, finding=Finding.objects.get(pk=third.pk),
                                   deviation_type=deviation.deviation_type)
    round_ = services.summarise(actor=cast.leader, round_=Round.objects.get(pk=round_.pk),
                                summary="Agreed", new_assessment_needed=False,
                                version=Round.objects.get(pk=round_.pk).version)
    round_ = services.sign(actor=cast.leader, round_=round_, as_role="leader", version=round_.version)
    with pytest.raises(PermissionDenied):
        services.sign(actor=cast.leader, round_=round_, as_role="safety_rep", version=round_.version)
    with pytest.raises(PermissionDenied):
        services.sign(actor=cast.safety_rep, round_=round_, as_role="leader", version=round_.version)
    with pytest.raises(ServiceError):
        services.sign(actor=cast.safety_rep, round_=round_, as_role="king", version=round_.version)
    round_ = services.sign(actor=cast.safety_rep, round_=round_, as_role="safety_rep",
                           version=round_.version)
    round_ = services.move(actor=cast.leader, round_=round_, to="summarised", version=round_.version)
    round_ = services.move(actor=cast.leader, round_=round_, to="closed", version=round_.version)
    assert round_.status == Status.CLOSED and round_.is_signed


def test_a_round_does_not_close_while_a_finding_is_unsettled(cast):
    round_ = walked(cast, not_ok=1)
    round_ = services.sign(actor=cast.leader, round_=round_, as_role="leader", version=round_.version)
    round_ = services.sign(actor=cast.safety_rep, round_=round_, as_role="safety_rep", version=round_.version)
    round_ = services.move(actor=cast.leader, round_=round_, to="summarised", version=round_.version)
    with pytest.raises(ServiceError):
        services.move(actor=cast.leader, round_=round_, to="closed", version=round_.version)
    finding = round_.findings.get()
    with pytest.raises(ServiceError):
        services.score_finding(actor=cast.leader, finding=finding, probability=9, consequence=1)
    services.score_finding(actor=cast.leader, finding=finding, probability=1, consequence=1,
                           no_action_reason="Fixed on the spot")
    assert services.move(actor=cast.leader, round_=Round.objects.get(pk=round_.pk), to="closed",
                         version=Round.objects.get(pk=round_.pk).version).status == Status.CLOSED


def test_findings_wait_for_the_walk_and_answers_stop_after_the_summary(cast):
    round_ = lab_round(cast)
    finding = services.add_finding(actor=cast.safety_rep, round_=round_, title="Loose cable")
    with pytest.raises(ServiceError):
        services.score_finding(actor=cast.leader, finding=finding, probability=2, consequence=2)
    with pytest.raises(ServiceError):
        services.add_finding(actor=cast.safety_rep, round_=round_, title="  ")
    Round.objects.filter(pk=round_.pk).update(status=Status.SUMMARISED)
    with pytest.raises(ServiceError):
        services.save_answer(actor=cast.safety_rep, round_=Round.objects.get(pk=round_.pk),
                             item=round_.templates.get().items.first(), result="ok", comment="",
                             version=None)
    Round.objects.filter(pk=round_.pk).update(status=Status.CLOSED)
    with pytest.raises(ServiceError):
        services.add_finding(actor=cast.safety_rep, round_=Round.objects.get(pk=round_.pk), title="x")


def test_an_illegal_step_and_a_plan_change_after_the_walk_are_refused(cast):
    round_ = walked(cast)
    with pytest.raises(ServiceError):
        services.move(actor=cast.leader, round_=round_, to="closed", version=round_.version)
    with pytest.raises(ServiceError):
        services.update_plan(actor=cast.leader, round_=round_, data={}, participants=[],
                             templates=list(round_.templates.all()), version=round_.version)
    back = services.move(actor=cast.leader, round_=round_, to="prepared", version=round_.version)
    assert back.status == Status.PREPARED


def test_the_plan_changes_before_the_walk(cast):
    round_ = lab_round(cast)
    later = timezone.localdate() + dt.timedelta(days=7)
    fire = ChecklistTemplate.objects.current().get(code="fire")
    fresh = services.update_plan(actor=cast.safety_rep, round_=round_, data={"planned_on": later},
                                 participants=[cast.safety_rep, cast.lab_leader], templates=[fire],
                                 version=round_.version)
    assert fresh.planned_on == later and list(fresh.templates.all()) == [fire]


def test_a_new_risk_assessment_starts_from_the_summary(cast):
    from hms.risk.tests.test_permissions import with_matrix

    with_matrix(cast)
    round_ = walked(cast)
    draft = services.start_assessment(actor=cast.leader, round_=round_)
    assert draft.trigger == "after_round_finding" and cast.safety_rep in draft.participants.all()
    assert Round.objects.get(pk=round_.pk).new_assessment_needed
    measure = services.start_assessment(actor=cast.leader, round_=round_, as_draft=False)
    assert measure.origin_record == round_ and round_.safety_area.name in measure.title


def test_the_questionnaire_counts_each_person_once_and_shows_sums_from_three(cast):
    from hms.rounds import pack

    round_ = lab_round(cast)
    answers = {"workplace": 4, "indoor": 2, "safe": 5, "emergency": 3, "workload": 1}
    services.answer_survey(actor=cast.employee, round_=round_, answers=answers, comment="Cold lab")
    with pytest.raises(ServiceError):
        services.answer_survey(actor=cast.employee, round_=round_, answers=answers, comment="")
    assert pack.survey_summary(round_, cast.employee) == {"count": 1, "shown": False, "answered": True}
    assert not pack.survey_summary(round_, cast.leader)["answered"]
    services.answer_survey(actor=cast.lab_leader, round_=round_, answers={**answers, "indoor": 4},
                           comment="")
    services.answer_survey(actor=cast.safety_rep, round_=round_, answers={**answers, "indoor": 3},
                           comment="")
    summary = pack.survey_summary(round_)
    assert summary["shown"] and dict(summary["averages"])[_label("indoor")] == 3.0
    assert summary["comments"] == ["Cold lab"]
    stored = list(round_.survey_responses.values("respondent_digest", "answers", "comment"))
    assert all(len(row["respondent_digest"]) == 64 for row in stored)
    assert str(cast.employee.pk) not in {row["respondent_digest"] for row in stored}
    with pytest.raises(ServiceError):
        services.answer_survey(actor=cast.deputy, round_=round_, answers={"workplace": 7}, comment="")
    with pytest.raises(PermissionDenied):
        services.answer_survey(actor=cast.outsider, round_=round_, answers=answers, comment="")


def _label(code):
    from hms.rounds.models import SurveyQuestion

    return SurveyQuestion(code).label


def test_a_checklist_is_edited_as_a_new_version_that_leaves_used_ones_alone(cast):
    round_ = lab_round(cast)
    lab = round_.templates.get()
    assert lab.is_used()
    with pytest.raises(PermissionDenied):
        services.new_template_version(actor=cast.leader, template=lab)
    copy = services.new_template_version(actor=cast.admin, template=lab)
    assert copy.version == 2 and copy.is_current and copy.items.count() == lab.items.count()
    lab.refresh_from_db()
    assert not lab.is_current and list(round_.templates.all()) == [lab]
    assert ChecklistTemplate.objects.current().get(code="laboratory") == copy
