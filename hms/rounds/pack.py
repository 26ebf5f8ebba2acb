"""What a round's pages read from the records: the preparation pack (deviations, risk
assessments, the action plan and the last round's findings), the checklists with their answers,
the findings for the summary, the questionnaire's sums, and the photos for the PDF."""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils import timezone

from hms.deviations.models import Deviation
from hms.measures.models import Measure
from hms.risk.models import AssessmentKind, AssessmentStatus, RiskAssessment
from hms.rounds.models import (
    DONE_STATUSES,
    SURVEY_MIN_ANSWERS,
    Answer,
    ChecklistItem,
    Finding,
    Result,
    Round,
    RoundPhoto,
    SurveyQuestion,
    SurveyResponse,
)

RECENT_DAYS = 365


@dataclass
class Pack:
    deviations: list[Deviation]
    mapping: RiskAssessment | None
    assessments: list[RiskAssessment]
    open_measures: list[Measure]
    last_round: Round | None
    last_findings: list[tuple[Finding, list[Measure]]] = field(default_factory=list)
    survey: dict[str, Any] = field(default_factory=dict)


def assemble(round_: Round, user: Any) -> Pack:
    """The records the round is prepared from, as far as the user may see them."""
    area, unit = round_.safety_area, round_.org_unit
    since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
    deviations = (Deviation.objects.visible_to(user).filter(safety_area=area)
                  .filter(reported_at__gte=since).select_related("deviation_type")
                  .order_by("-reported_at")[:100])
    visible = RiskAssessment.objects.in_unit(user, unit, subtree=False)
    mapping = (visible.filter(kind=AssessmentKind.OVERALL, status=AssessmentStatus.APPROVED)
               .order_by("-approved_at").first())
    assessments = list(visible.filter(kind=AssessmentKind.DETAILED).exclude(
        status=AssessmentStatus.ARCHIVED).order_by("review_due", "title")[:100])
    measures = (Measure.objects.visible_to(user).filter(org_unit=unit).open()
                .select_related("responsible").order_by("deadline", "pk")[:200])
    last = (Round.objects.filter(safety_area=area, status__in=DONE_STATUSES)
            .exclude(pk=round_.pk).order_by("-conducted_on", "-pk").first())
    return Pack(list(deviations), mapping, assessments, list(measures), last,
                _findings_with_measures(last) if last else [], survey_summary(round_))


def _findings_with_measures(round_: Round) -> list[tuple[Finding, list[Measure]]]:
    findings = list(round_.findings.select_related("deviation"))
    by_finding: dict[int, list[Measure]] = {}
    for measure in Measure.objects.filter(
            origin_type=ContentType.objects.get_for_model(Finding),
            origin_id__in=[f.pk for f in findings]).select_related("responsible"):
        by_finding.setdefault(measure.origin_id or 0, []).append(measure)
    return [(finding, by_finding.get(finding.pk, [])) for finding in findings]


def findings_for_summary(round_: Round) -> list[tuple[Finding, list[Measure]]]:
    return _findings_with_measures(round_)


@dataclass
class ChecklistView:
    template: Any
    items: list[tuple[Any, Answer | None]]


def checklists(round_: Round) -> list[ChecklistView]:
    """The round's checklists with each item's answer so far (two queries)."""
    answers = {a.item_id: a for a in round_.answers.select_related("answered_by")
               .prefetch_related("photos")}
    templates = round_.templates.prefetch_related("items").order_by("order", "code")
    return [ChecklistView(t, [(item, answers.get(item.pk)) for item in t.items.all()])
            for t in templates]


def progress(round_: Round) -> dict[str, int]:
    """How far the walk has come: items, answered, and each result (two queries)."""
    total = ChecklistItem.objects.filter(template__rounds=round_).count()
    counts = dict(round_.answers.exclude(result="").values_list("result").annotate(n=Count("pk")))
    return _progress(total, counts)


def progress_of(views: list[ChecklistView]) -> dict[str, int]:
    """The same, from checklists already read (no query)."""
    counts: dict[str, int] = {}
    for view in views:
        for _item, answer in view.items:
            if answer is not None and answer.result:
                counts[answer.result] = counts.get(answer.result, 0) + 1
    return _progress(sum(len(view.items) for view in views), counts)


def _progress(total: int, counts: dict[str, int]) -> dict[str, int]:
    return {"total": total, "answered": sum(counts.values()), "ok": counts.get(Result.OK, 0),
            "not_ok": counts.get(Result.NOT_OK, 0), "na": counts.get(Result.NOT_RELEVANT, 0)}


def survey_summary(round_: Round, user: Any = None) -> dict[str, Any]:
    """How many answered (and whether `user` did) and, only from SURVEY_MIN_ANSWERS answers on,
    the average per question and the comments (in random order, without any name)."""
    from hms.rounds.services import respondent_digest

    responses = SurveyResponse.objects.filter(round=round_)
    digest = respondent_digest(round_, user) if user is not None else ""
    counted = responses.aggregate(count=Count("pk"), mine=Count("pk", filter=Q(respondent_digest=digest)))
    count, answered = counted["count"], bool(counted["mine"])
    if count < SURVEY_MIN_ANSWERS:
        return {"count": count, "shown": False, "answered": answered}
    averages = []
    for code, label in SurveyQuestion.choices:
        values = [r.answers.get(code) for r in responses if r.answers.get(code)]
        averages.append((label, round(sum(values) / len(values), 1) if values else None))
    comments = [r.comment for r in responses.exclude(comment="").order_by("?")]
    return {"count": count, "shown": True, "averages": averages, "comments": comments,
            "answered": answered}


def photo_data(round_: Round) -> list[tuple[RoundPhoto, str]]:
    """The round's photos as data: URIs, so the PDF (which fetches nothing) can show them."""
    out = []
    for photo in RoundPhoto.objects.filter(round=round_).select_related("answer__item", "finding"):
        with photo.file.open("rb") as handle:
            out.append((photo, f"data:{photo.content_type};base64,"
                               f"{base64.b64encode(handle.read()).decode()}"))
    return out

