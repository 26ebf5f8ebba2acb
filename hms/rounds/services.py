"""Every write to an HSE round goes through here: planning, the walk's answers (saved one at a
time, as they are given), findings and their measures and deviations, the summary, signatures,
the questionnaire, and checklist template versions."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from hms.core import audit, authz
from hms.core.concurrency import locked_or_gone, save_if_current
from hms.core.errors import ServiceError, StaleEdit
from hms.core.roles import Action
from hms.core.uploads import clean_upload
from hms.measures import services as measure_services
from hms.org import access as org_access
from hms.rounds import access, signing
from hms.rounds.models import (
    TRANSITIONS,
    Answer,
    ChecklistItem,
    ChecklistTemplate,
    Finding,
    Result,
    Round,
    RoundPhoto,
    Status,
    SurveyQuestion,
    SurveyResponse,
)

PLAN_FIELDS = ["safety_area", "planned_on", "themes", "other_participants"]



def _fresh(round_: Round, version: int, values: dict[str, Any]) -> Round:
    return save_if_current(
        Round.objects.select_related("org_unit", "safety_area"), round_.pk, version, values,
        _("Someone else changed this round while you were working on it. Nothing was saved: look "
          "at the round as it is now and try again."))


def _touch(round_: Round) -> None:
    Round.objects.filter(pk=round_.pk).update(version=F("version") + 1)


def _audited(actor: Any, action: str, round_: Round, before: dict[str, Any]) -> None:
    audit.record(actor=actor, action=action, obj=round_, org_unit=round_.org_unit, before=before,
                 after=audit.snapshot(round_, Round.AUDITED_FIELDS))


# --- Planning --------------------------------------------------------------------------------------


def plan_round(*, actor: Any, org_unit: Any, data: dict[str, Any], participants: list[Any],
               templates: list[ChecklistTemplate]) -> Round:
    authz.require(access.may_plan_round(actor, org_unit))
    _check_area(actor, org_unit, data.get("safety_area"))
    _check_templates(templates)
    with transaction.atomic():
        round_ = Round(org_unit=org_unit, created_by=actor,
                       **{name: data[name] for name in PLAN_FIELDS if name in data})
        round_.full_clean()
        round_.save()
        round_.participants.set({actor, *participants})
        round_.templates.set(templates)
        audit.record(actor=actor, action="create", obj=round_, org_unit=org_unit,
                     after=audit.snapshot(round_, Round.AUDITED_FIELDS))
    return round_


def _check_area(actor: Any, org_unit: Any, area: Any) -> None:
    """A safety area of the unit that the actor may plan for (`access.round_areas`): a safety
    representative plans their own areas' rounds, which they sign."""
    if area is None or not area.org_unit.path.startswith(org_unit.path):
        raise ServiceError(_("Choose a safety area of the unit."))
    if not access.round_areas(actor, org_unit).filter(pk=area.pk).exists():
        raise ServiceError(_("You can plan rounds only in the safety areas you represent: the "
                             "round in %(area)s is signed by its own safety representative. Ask "
                             "them or the unit's leader to plan it.") % {"area": area.name})


def _check_templates(templates: list[ChecklistTemplate]) -> None:
    if not templates:
        raise ServiceError(_("Choose at least one checklist."))


def update_plan(*, actor: Any, round_: Round, data: dict[str, Any], participants: list[Any],
                templates: list[ChecklistTemplate], version: int) -> Round:
    authz.require(access.can_round(actor, Action.EDIT, round_))
    if round_.status not in (Status.PLANNED, Status.PREPARED):
        raise ServiceError(_("The plan of a round that has been walked cannot change."))
    _check_templates(templates)
    area = data.get("safety_area")
    if area is not None and area.pk != round_.safety_area_id:
        _check_area(actor, round_.org_unit, area)
    with transaction.atomic():
        before = audit.snapshot(round_, Round.AUDITED_FIELDS)
        fresh = _fresh(round_, version, {name: data[name] for name in PLAN_FIELDS if name in data})
        fresh.participants.set(participants)
        if not fresh.answers.exists():
            fresh.templates.set(templates)
        _audited(actor, "update", fresh, before)
    return fresh


def move(*, actor: Any, round_: Round, to: str, version: int) -> Round:
    """One step of the round's workflow; summarising and closing check what they need."""
    step = TRANSITIONS.get((round_.status, to))
    if step is None:
        raise ServiceError(_("A round that is “%(status)s” cannot become “%(to)s”.") % {
            "status": round_.get_status_display(), "to": Status(to).label})
    authz.require(access.can_round(actor, Action.EDIT, round_))
    values: dict[str, Any] = {"status": to}
    if to == Status.CONDUCTED:
        values["conducted_on"] = round_.conducted_on or timezone.localdate()
        values.update(_asking(round_))
    if to == Status.SUMMARISED and not round_.is_signed:
        raise ServiceError(_("The leader and the safety representative both sign the summary."))
    if to == Status.CLOSED:
        open_findings = [f.title for f in round_.findings.all() if not finding_settled(f)]
        if open_findings:
            raise ServiceError(_("Every finding needs a measure, a deviation or a reason: %(list)s")
                               % {"list": "; ".join(open_findings)})
    with transaction.atomic():
        before = audit.snapshot(round_, Round.AUDITED_FIELDS)
        fresh = _fresh(round_, version, values)
        _audited(actor, f"status:{to}", fresh, before)
        if "signing_asked_at" in values:
            signing.ask(fresh, actor)
    return fresh


def _asking(round_: Round) -> dict[str, Any]:
    """Those who sign are told once a round: the values that record it, when not told yet (the
    version check of the save makes it once, also for two people at the same moment)."""
    return {} if round_.signing_asked_at else {"signing_asked_at": timezone.now()}


# --- The walk --------------------------------------------------------------------------------------


def save_answer(*, actor: Any, round_: Round, item: ChecklistItem, result: str, comment: str,
                version: int | None) -> Answer:
    """Save one answer the moment it is given. `version` is the answer's version the phone last
    saw (None for a first answer); a different one means someone else answered meanwhile."""
    authz.require(access.can_round(actor, Action.EDIT, round_))
    if not round_.walk_open:
        raise ServiceError(_("The round is summarised: its answers no longer change."))
    if not round_.templates.filter(pk=item.template_id).exists():
        raise ServiceError(_("The checkpoint is not on this round's checklists."))
    if result and result not in Result.values:
        raise ServiceError(_("Answer OK, not OK or not relevant."))
    with transaction.atomic():
        answer = Answer.objects.select_for_update().filter(round=round_, item=item).first()
        if answer is None:
            answer = _first_answer(actor, round_, item, result, comment, version)
        else:
            if version != answer.version:  # None: the phone saw no answer, but there is one
                raise StaleEdit(_("Someone else answered this checkpoint meanwhile."), current=answer)
            answer.result, answer.comment = result, comment.strip()
            answer.answered_by, answer.answered_at = actor, timezone.now()
            answer.version += 1
            answer.save()
        _sync_finding(answer)
    return answer


def _first_answer(actor: Any, round_: Round, item: ChecklistItem, result: str, comment: str,
                  version: int | None) -> Answer:
    try:
        with transaction.atomic():
            return Answer.objects.create(round=round_, item=item, result=result,
                                         comment=comment.strip(), answered_by=actor)
    except IntegrityError:  # answered at the same moment on another phone
        current = Answer.objects.get(round=round_, item=item)
        raise StaleEdit(_("Someone else answered this checkpoint meanwhile."), current=current) from None


def _sync_finding(answer: Answer) -> None:
    """A "not OK" is a finding; an answer changed back drops its finding unless it was acted on.
    The finding is locked: one being acted on right now is dropped only after, if still unsettled."""
    finding = Finding.objects.select_for_update().filter(answer=answer).first()
    if answer.result == Result.NOT_OK:
        if finding is None:
            Finding.objects.create(round=answer.round, answer=answer, title=answer.item.text[:300],
                                   description=answer.comment)
        elif not finding_settled(finding):
            Finding.objects.filter(pk=finding.pk).update(description=answer.comment)
    elif finding is not None and not finding_settled(finding):
        finding.delete()


def add_finding(*, actor: Any, round_: Round, title: str, description: str = "") -> Finding:
    """A finding outside the checklists."""
    authz.require(access.can_round(actor, Action.EDIT, round_))
    if round_.status == Status.CLOSED:
        raise ServiceError(_("The round is closed."))
    if not title.strip():
        raise ServiceError(_("Say what was found."))
    with transaction.atomic():
        finding = Finding.objects.create(round=round_, title=title.strip()[:300],
                                         description=description.strip())
        audit.record(actor=actor, action="add_finding", obj=round_, org_unit=round_.org_unit,
                     after={"finding": finding.title})
        _touch(round_)
    return finding


def add_photo(*, actor: Any, round_: Round, upload: Any, answer: Answer | None = None,
              finding: Finding | None = None) -> RoundPhoto:
    authz.require(access.can_round(actor, Action.EDIT, round_))
    if round_.status == Status.CLOSED:
        raise ServiceError(_("The round is closed."))
    cleaned = clean_upload(upload)
    if not cleaned.content_type.startswith("image/"):
        raise ServiceError(_("Only photos can be added to a round."))
    with transaction.atomic():
        if finding is not None:
            locked_or_gone(Finding.objects.all(), finding.pk)
        photo = RoundPhoto.objects.create(round=round_, answer=answer, finding=finding,
                                          file=cleaned.content, content_type=cleaned.content_type,
                                          size=cleaned.size)
        audit.record(actor=actor, action="add_photo", obj=round_, org_unit=round_.org_unit,
                     after={"photo": str(photo)})
    return photo


# --- Summary ---------------------------------------------------------------------------------------


def finding_settled(finding: Finding) -> bool:
    """A finding has its measure, its deviation, or a reason why it needs neither."""
    return bool(finding.deviation_id or finding.no_action_reason.strip()
                or measures_of(finding).exists())


def measures_of(finding: Finding) -> Any:
    from django.contrib.contenttypes.models import ContentType

    from hms.measures.models import Measure

    return Measure.objects.filter(origin_type=ContentType.objects.get_for_model(Finding),
                                  origin_id=finding.pk)


def _summarising(actor: Any, round_: Round) -> None:
    authz.require(access.can_round(actor, Action.EDIT, round_))
    if round_.status not in (Status.CONDUCTED, Status.SUMMARISED):
        raise ServiceError(_("Findings are acted on in the summary, after the walk."))


def score_finding(*, actor: Any, finding: Finding, probability: int | None,
                  consequence: int | None, no_action_reason: str = "") -> Finding:
    round_ = finding.round
    _summarising(actor, round_)
    for value in (probability, consequence):
        if value is not None and not 1 <= value <= 5:
            raise ServiceError(_("Probability and consequence are levels from 1 to 5."))
    with transaction.atomic():
        locked_or_gone(Finding.objects.all(), finding.pk)
        Finding.objects.filter(pk=finding.pk).update(probability=probability, consequence=consequence,
                                                     no_action_reason=no_action_reason.strip())
        audit.record(actor=actor, action="score_finding", obj=round_, org_unit=round_.org_unit,
                     after={"finding": finding.title, "probability": probability,
                            "consequence": consequence, "no_action_reason": no_action_reason.strip()})
        _touch(round_)
    finding.refresh_from_db()
    return finding


def finding_measure(*, actor: Any, finding: Finding, data: dict[str, Any]) -> Any:
    """A measure in the unit's action plan for the finding (its priority from the risk score)."""
    round_ = finding.round
    _summarising(actor, round_)
    score = finding.risk_value or 0
    priority = 4 if score >= 15 else 3 if score >= 10 else 2 if score >= 5 else 1
    with transaction.atomic():
        current = locked_or_gone(Finding.objects.all(), finding.pk)
        measure = measure_services.create_measure(
            actor=actor, org_unit=round_.org_unit, origin="round_finding", origin_record=current,
            data={"priority": priority, "safety_area": round_.safety_area, **data})
        _touch(round_)
    return measure


def finding_deviation(*, actor: Any, finding: Finding, deviation_type: Any) -> Any:
    """A breach of a rule or procedure found on the round, registered as a deviation."""
    from hms.deviations import services as deviation_services

    round_ = finding.round
    _summarising(actor, round_)
    with transaction.atomic():
        if locked_or_gone(Finding.objects.all(), finding.pk).deviation_id:
            raise ServiceError(_("The finding is already registered as a deviation."))
        deviation, _secret = deviation_services.report_deviation(actor=actor, data={
            "org_unit": round_.org_unit, "safety_area": round_.safety_area,
            "deviation_type": deviation_type, "title": finding.title[:200],
            "description": finding.description or finding.title,
            "immediate_action": _("Found on the HSE round of %(day)s.") % {
                "day": (round_.conducted_on or round_.planned_on).strftime("%d.%m.%Y")},
            "location": "", "occurred_at": timezone.now()})
        Finding.objects.filter(pk=finding.pk).update(deviation=deviation)
        _touch(round_)
    return deviation


def summarise(*, actor: Any, round_: Round, summary: str, new_assessment_needed: bool,
              version: int) -> Round:
    _summarising(actor, round_)
    with transaction.atomic():
        before = audit.snapshot(round_, Round.AUDITED_FIELDS)
        fresh = _fresh(round_, version, {"summary": summary.strip(),
                                         "new_assessment_needed": new_assessment_needed})
        _audited(actor, "summary", fresh, before)
    return fresh


def start_assessment(*, actor: Any, round_: Round, as_draft: bool = True) -> Any:
    """The summary decided a new risk assessment is needed: a draft (after an HSE round finding),
    or a measure in the action plan to make one. Returns what was made."""
    from hms.risk import services as risk_services
    from hms.risk.models import AssessmentKind, Trigger

    _summarising(actor, round_)
    title = _("After the HSE round in %(area)s") % {"area": round_.safety_area.name}
    made: Any
    with transaction.atomic():
        if as_draft:
            made = risk_services.create_assessment(
                actor=actor, org_unit=round_.org_unit, kind=AssessmentKind.DETAILED,
                participants=tuple(round_.participants.all()),
                data={"title": title, "trigger": Trigger.AFTER_ROUND_FINDING,
                      "scope": round_.summary[:2000]})
        else:
            made = measure_services.create_measure(
                actor=actor, org_unit=round_.org_unit, origin="round_finding", origin_record=round_,
                data={"title": (_("New risk assessment: %(title)s") % {"title": title})[:200],
                      "safety_area": round_.safety_area})
        Round.objects.filter(pk=round_.pk).update(new_assessment_needed=True, version=F("version") + 1)
    return made


def sign(*, actor: Any, round_: Round, as_role: str, version: int) -> Round:
    """The leader and the safety representative each sign the summary."""
    _summarising(actor, round_)
    if as_role == "leader":
        authz.require(access.may_sign_round_as_leader(actor, round_))
        values = {"leader_signed_by": actor, "leader_signed_at": timezone.now()}
    elif as_role == "safety_rep":
        authz.require(org_access.represents_area(actor, round_.safety_area_id))
        values = {"rep_signed_by": actor, "rep_signed_at": timezone.now()}
    else:
        raise ServiceError(_("Sign as the leader or as the safety representative."))
    values.update(_asking(round_))  # a round walked before those who sign were told
    with transaction.atomic():
        before = audit.snapshot(round_, Round.AUDITED_FIELDS)
        fresh = _fresh(round_, version, values)
        _audited(actor, f"sign:{as_role}", fresh, before)
        if "signing_asked_at" in values:
            signing.ask(fresh, actor)
    return fresh


# --- The questionnaire -----------------------------------------------------------------------------


def respondent_digest(round_: Round, user: Any) -> str:
    """Who answered a round's questionnaire, as a keyed hash: enough to count each person once."""
    key = f"{settings.SECRET_KEY}:survey:{round_.pk}".encode()
    return hmac.new(key, str(user.pk).encode(), hashlib.sha256).hexdigest()


def answer_survey(*, actor: Any, round_: Round, answers: dict[str, int], comment: str) -> None:
    """An employee of the area's units answers the questionnaire once; who answered is kept only
    as a keyed hash, to count each person once."""
    authz.require(org_access.can_in_unit(actor, Action.VIEW, round_.org_unit)
             or org_access.represents_area(actor, round_.safety_area_id))
    if round_.status not in (Status.PLANNED, Status.PREPARED):
        raise ServiceError(_("The questionnaire closed when the round was walked."))
    if set(answers) - set(SurveyQuestion.values) or any(not 1 <= v <= 5 for v in answers.values()):
        raise ServiceError(_("Answer each question from 1 to 5."))
    try:
        with transaction.atomic():
            SurveyResponse.objects.create(round=round_, respondent_digest=respondent_digest(round_, actor),
                                          answers=answers, comment=comment.strip())
    except IntegrityError:
        raise ServiceError(_("You have already answered this questionnaire.")) from None


# --- Checklist templates ---------------------------------------------------------------------------


def new_template_version(*, actor: Any, template: ChecklistTemplate) -> ChecklistTemplate:
    """A copy of the template (and its items) as the next version, put in use; the old version
    stays as the rounds that used it saw it."""
    authz.require(org_access.is_org_admin(actor))
    with transaction.atomic():
        latest = ChecklistTemplate.objects.filter(code=template.code).order_by("-version").first()
        ChecklistTemplate.objects.filter(code=template.code).update(is_current=False)
        copy = ChecklistTemplate.objects.create(
            code=template.code, version=(latest.version if latest else 0) + 1, kind=template.kind,
            name_nb=template.name_nb, name_en=template.name_en,
            description_nb=template.description_nb, description_en=template.description_en,
            order=template.order, is_current=True)
        ChecklistItem.objects.bulk_create([
            ChecklistItem(template=copy, position=item.position, text_nb=item.text_nb,
                          text_en=item.text_en, help_nb=item.help_nb, help_en=item.help_en)
            for item in template.items.all()])
        audit.record(actor=actor, action="new_version", obj=copy,
                     after={"code": copy.code, "version": copy.version})
    return copy

