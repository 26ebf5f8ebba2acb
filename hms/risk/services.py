"""Writes to risk: loading a matrix version and choosing the one in use; assessments, their rows
and measures, their workflow, revisions and import."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from hms.core import audit, authz
from hms.core.concurrency import locked_or_gone, save_if_current
from hms.core.errors import ServiceError
from hms.core.roles import Action
from hms.core.tabular import ImportReport
from hms.measures import services as measure_services
from hms.org import access as org_access
from hms.risk import access, spreadsheet
from hms.risk.matrix import validate_definition
from hms.risk.models import (
    ASSESSMENT_TRANSITIONS,
    EDITABLE_STATUSES,
    REVIEW_INTERVAL_YEARS,
    AssessmentStatus,
    RiskAssessment,
    RiskMatrix,
    RiskRow,
)


def _require_admin(actor: Any) -> None:
    if actor is not None and not org_access.is_org_admin(actor):
        raise PermissionDenied


def load_matrix(*, actor: Any, definition: dict[str, Any]) -> RiskMatrix:
    """Save a definition as the newest version and put it in use. Loading what is already in use
    changes nothing, so reference data can be loaded at every start. `actor` None: the system."""
    _require_admin(actor)
    errors = validate_definition(definition)
    if errors:
        raise ServiceError(" ".join(errors))
    with transaction.atomic():
        current = RiskMatrix.objects.select_for_update().filter(is_current=True).first()
        if current is not None and current.definition == definition:
            return current
        if current is not None:
            current.is_current = False
            current.save(update_fields=["is_current"])
        version = (RiskMatrix.objects.aggregate(top=Max("version"))["top"] or 0) + 1
        name_nb, name_en = RiskMatrix.names(definition)
        matrix = RiskMatrix.objects.create(
            version=version, name_nb=name_nb or f"v{version}", name_en=name_en or f"v{version}",
            source=str(definition.get("source", "")), definition=definition, is_current=True,
            created_by=actor)
        audit.record(actor=actor, action="load", obj=matrix,
                     before={"current": str(current or "")}, after={"current": str(matrix)})
    return matrix


def make_current(*, actor: Any, matrix: RiskMatrix) -> RiskMatrix:
    _require_admin(actor)
    with transaction.atomic():
        current = RiskMatrix.objects.select_for_update().filter(is_current=True).first()
        if current is not None and current.pk != matrix.pk:
            current.is_current = False
            current.save(update_fields=["is_current"])
        matrix.is_current = True
        matrix.save(update_fields=["is_current"])
        audit.record(actor=actor, action="make_current", obj=matrix,
                     before={"current": str(current or "")}, after={"current": str(matrix)})
    return matrix


# --- Assessments ---------------------------------------------------------------------------------

ASSESSMENT_FIELDS = ["title", "scope", "trigger", "responsible_leader", "assessed_on", "mapping_row"]
ROW_FIELDS = ["hazard_type", "activity", "unwanted_event", "cause", "existing_measures", "probability",
              "consequences", "residual_probability", "residual_consequences", "accept_reason",
              "needs_detailed", "exposure"]
PRIORITY_BY_COLOUR = {"red": 3, "yellow": 2, "green": 1}



def _require_editable(assessment: RiskAssessment) -> None:
    """Checked against the database (under a row lock), not a copy that may be out of date."""
    status = (RiskAssessment.objects.select_for_update().filter(pk=assessment.pk)
              .values_list("status", flat=True).first())
    if status not in EDITABLE_STATUSES:
        raise ServiceError(_("Only a draft or a revision can be changed."))


def create_assessment(*, actor: Any, org_unit: Any, kind: str, data: dict[str, Any],
                      participants: tuple[Any, ...] = ()) -> RiskAssessment:
    authz.require(org_access.can_in_unit(actor, Action.CREATE, org_unit))
    matrix = RiskMatrix.objects.current()
    if matrix is None:
        raise ServiceError(_("No risk matrix is in use: an administrator must load one."))
    with transaction.atomic():
        assessment = RiskAssessment(org_unit=org_unit, kind=kind, matrix=matrix, created_by=actor,
                                    **{k: v for k, v in data.items() if k in ASSESSMENT_FIELDS})
        assessment.full_clean()
        assessment.save()
        assessment.participants.set({actor, *participants})
        audit.record(actor=actor, action="create", obj=assessment, org_unit=org_unit,
                     after=audit.snapshot(assessment, RiskAssessment.AUDITED_FIELDS))
    return assessment


def _compare_and_set(model: Any, obj: Any, version: int, values: dict[str, Any], what: str) -> Any:
    return save_if_current(model.objects.all(), obj.pk, version, values,
                           _("Someone else saved this %(what)s while you were editing it. Your "
                             "changes were not saved.") % {"what": what})


def update_assessment(*, actor: Any, assessment: RiskAssessment, data: dict[str, Any], version: int,
                      participants: list[Any] | None = None) -> RiskAssessment:
    authz.require(access.can_assessment(actor, Action.EDIT, assessment))
    with transaction.atomic():
        _require_editable(assessment)
        before = audit.snapshot(assessment, RiskAssessment.AUDITED_FIELDS)
        values = {k: v for k, v in data.items() if k in ASSESSMENT_FIELDS}
        fresh = _compare_and_set(RiskAssessment, assessment, version, values, _("assessment"))
        if participants is not None:
            fresh.participants.set(participants)
        audit.record(actor=actor, action="update", obj=fresh, org_unit=fresh.org_unit, before=before,
                     after=audit.snapshot(fresh, RiskAssessment.AUDITED_FIELDS))
    return fresh


def _check_scores(matrix: RiskMatrix, values: dict[str, Any]) -> None:
    problems = matrix.score_problems(values.get("probability"), values.get("consequences") or {})
    problems += matrix.score_problems(values.get("residual_probability"),
                                      values.get("residual_consequences") or {})
    if problems:
        raise ServiceError(" ".join(dict.fromkeys(problems)))


def add_row(*, actor: Any, assessment: RiskAssessment, data: dict[str, Any]) -> RiskRow:
    authz.require(access.can_assessment(actor, Action.EDIT, assessment))
    values = {k: v for k, v in data.items() if k in ROW_FIELDS}
    _check_scores(assessment.matrix, values)
    with transaction.atomic():
        _require_editable(assessment)
        position = (assessment.rows.aggregate(top=Max("position"))["top"] or 0) + 1
        row = RiskRow(assessment=assessment, position=position, **values)
        row.derive(assessment.matrix)
        row.full_clean()
        row.save()
        audit.record(actor=actor, action="add_row", obj=row, org_unit=assessment.org_unit,
                     after=audit.snapshot(row, ROW_FIELDS))
    return row


def update_row(*, actor: Any, row: RiskRow, data: dict[str, Any], version: int) -> RiskRow:
    assessment = row.assessment
    authz.require(access.can_assessment(actor, Action.EDIT, assessment))
    values = {k: v for k, v in data.items() if k in ROW_FIELDS}
    _check_scores(assessment.matrix, values)
    with transaction.atomic():
        _require_editable(assessment)
        before = audit.snapshot(row, ROW_FIELDS)
        changed = copy.copy(row)
        for field, value in values.items():
            setattr(changed, field, value)
        changed.full_clean(exclude=["assessment"])
        values.update(changed.derive(assessment.matrix))
        fresh = _compare_and_set(RiskRow, row, version, values, _("row"))
        audit.record(actor=actor, action="update_row", obj=fresh, org_unit=assessment.org_unit,
                     before=before, after=audit.snapshot(fresh, ROW_FIELDS))
    return fresh


def add_row_measure(*, actor: Any, row: RiskRow, data: dict[str, Any]) -> Any:
    """A new measure in the unit's action plan, linked to the row, its priority from the row's risk."""
    authz.require(access.can_assessment(actor, Action.EDIT, row.assessment))
    with transaction.atomic():
        current = locked_or_gone(RiskRow.objects.all(), row.pk)  # not removed meanwhile
        priority = PRIORITY_BY_COLOUR.get(current.colour, 2)
        return measure_services.create_measure(actor=actor, org_unit=row.assessment.org_unit,
                                               data={"priority": priority, **data},
                                               origin="risk_row", origin_record=current)


def _move(actor: Any, assessment: RiskAssessment, to: str, extra: dict[str, Any] | None = None) -> Any:
    action = ASSESSMENT_TRANSITIONS.get((assessment.status, to))
    if action is None:
        raise ServiceError(_("A “%(status)s” assessment cannot become “%(to)s”.") % {
            "status": assessment.get_status_display(), "to": AssessmentStatus(to).label})
    authz.require(access.can_assessment(actor, action, assessment))
    before = audit.snapshot(assessment, RiskAssessment.AUDITED_FIELDS)
    fresh = _compare_and_set(RiskAssessment, assessment, assessment.version,
                             {"status": to, **(extra or {})}, _("assessment"))
    audit.record(actor=actor, action=f"status:{to}", obj=fresh, org_unit=fresh.org_unit,
                 before=before, after=audit.snapshot(fresh, RiskAssessment.AUDITED_FIELDS))
    return fresh


def submit_for_review(*, actor: Any, assessment: RiskAssessment) -> RiskAssessment:
    with transaction.atomic():
        return _move(actor, assessment, AssessmentStatus.IN_REVIEW)


def send_back(*, actor: Any, assessment: RiskAssessment) -> RiskAssessment:
    """Back from review to editing: a draft, or a revision again if it was one."""
    with transaction.atomic():
        fresh = _move(actor, assessment, AssessmentStatus.DRAFT)
        if fresh.revision_of_id:
            RiskAssessment.objects.filter(pk=fresh.pk).update(status=AssessmentStatus.UNDER_REVISION)
            fresh.status = AssessmentStatus.UNDER_REVISION
        return fresh


def years_later(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (28 February for 29 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def approve_assessment(*, actor: Any, assessment: RiskAssessment) -> RiskAssessment:
    """The unit's leader approves; refused while a rule of the matrix is not met. Approving a
    revision archives the version it replaces."""
    with transaction.atomic():
        problems = assessment.approval_problems()
        if problems:
            raise ServiceError(" ".join(problems))
        now = timezone.now()
        review_due = years_later(timezone.localdate(now), REVIEW_INTERVAL_YEARS)
        fresh = _move(actor, assessment, AssessmentStatus.APPROVED,
                      {"approved_at": now, "approved_by": actor, "review_due": review_due})
        previous = fresh.revision_of
        if previous is not None and previous.status == AssessmentStatus.APPROVED:
            _move(actor, previous, AssessmentStatus.ARCHIVED)
    return fresh


def start_revision(*, actor: Any, assessment: RiskAssessment) -> RiskAssessment:
    """A new revision: a copy of the approved assessment and its rows, to edit and approve again."""
    authz.require(access.can_assessment(actor, Action.EDIT, assessment))
    if assessment.status != AssessmentStatus.APPROVED:
        raise ServiceError(_("Only an approved assessment can be revised."))
    if assessment.revisions.exclude(status=AssessmentStatus.ARCHIVED).exists():
        raise ServiceError(_("A revision of this assessment is already under way."))
    with transaction.atomic():
        copy = RiskAssessment.objects.create(
            org_unit=assessment.org_unit, kind=assessment.kind, matrix=assessment.matrix,
            status=AssessmentStatus.UNDER_REVISION, revision_of=assessment, created_by=actor,
            **{field: getattr(assessment, field) for field in ASSESSMENT_FIELDS})
        copy.participants.set(assessment.participants.all())
        RiskRow.objects.bulk_create(
            RiskRow(assessment=copy, **{field: getattr(row, field) for field in RiskRow.COPIED_FIELDS})
            for row in assessment.rows.all())
        audit.record(actor=actor, action="start_revision", obj=copy, org_unit=copy.org_unit,
                     after={"revision_of": str(assessment)})
    return copy


def delete_row(*, actor: Any, row: RiskRow) -> None:
    """Remove a row from a draft or revision; the rows after it move up. Its measures stay in the
    action plan. The row is read again under the assessment's lock: its position may have moved
    since it was loaded, and a row removed meanwhile raises RecordGone (not a second move up)."""
    assessment = row.assessment
    authz.require(access.can_assessment(actor, Action.EDIT, assessment))
    with transaction.atomic():
        _require_editable(assessment)
        current = locked_or_gone(RiskRow.objects.all(), row.pk)
        before = audit.snapshot(current, ROW_FIELDS)
        current.delete()
        RiskRow.objects.filter(assessment=assessment, position__gt=current.position).update(
            position=F("position") - 1)
        audit.record(actor=actor, action="delete_row", obj=assessment, org_unit=assessment.org_unit,
                     before={"row": current.position, **before})


def import_assessment(*, actor: Any, org_unit: Any, upload: Any) -> tuple[RiskAssessment | None,
                                                                          ImportReport]:
    """A new draft assessment from a workbook, or nothing at all when any line has a problem (the
    report says which, line by line)."""
    authz.require(org_access.can_in_unit(actor, Action.CREATE, org_unit))
    matrix = RiskMatrix.objects.current()
    if matrix is None:
        raise ServiceError(_("No risk matrix is in use: an administrator must load one."))
    report = ImportReport()
    parsed = spreadsheet.parse(upload, org_unit, matrix, report)
    if parsed is None:
        return None, report
    with transaction.atomic():
        assessment = create_assessment(actor=actor, org_unit=org_unit, kind=parsed.kind,
                                       data=parsed.header, participants=tuple(parsed.participants))
        for parsed_row in parsed.rows:
            row = add_row(actor=actor, assessment=assessment, data=spreadsheet.row_data(parsed_row))
            for measure in parsed_row.measures:
                add_row_measure(actor=actor, row=row, data=measure)
    report.created = len(parsed.rows)
    return assessment, report
