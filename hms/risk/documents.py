"""The assessment as a PDF, made in the request for a short one and by the task worker for a long
one (`core.prepared`): WeasyPrint lays out some 15 ms a row, so 200 rows take seconds."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from hms.core import prepared
from hms.core.documents import PDF, render_pdf
from hms.core.documents import filename as document_filename
from hms.core.roles import Action
from hms.risk import access, heatmap
from hms.risk.models import STATUSES_BEFORE_APPROVAL, RiskAssessment, RiskRow


def filename(assessment: RiskAssessment, suffix: str) -> str:
    return document_filename(_("risk-assessment"), assessment.title, suffix=suffix)


def assessment_pdf(assessment: RiskAssessment) -> bytes:
    rows = assessment.rows_with_matrix()
    matrix = assessment.matrix
    measures = RiskRow.live_measures(rows)
    return render_pdf("risk/assessment_pdf.html", {
        "assessment": assessment, "rows": [(row, measures.get(row.pk, [])) for row in rows],
        "matrix": matrix, "areas": matrix.areas(),
        "participants": assessment.participants.order_by("last_name", "first_name"),
        "before": heatmap.of_rows(matrix, rows), "after": heatmap.of_rows(matrix, rows, residual=True),
        "problems": assessment.approval_problems(rows, measures)
        if assessment.status in STATUSES_BEFORE_APPROVAL else [],
        "generated": timezone.localtime()})


def _may_see(user: Any, params: dict[str, Any]) -> bool:
    try:
        access.access_assessment(user, params["assessment"], Action.VIEW)
    except Http404:
        return False
    return True


def _make(user: Any, params: dict[str, Any], progress: prepared.Progress) -> prepared.Made:
    assessment = access.access_assessment(user, params["assessment"], Action.VIEW)
    progress(0, 1)
    content = assessment_pdf(assessment)
    progress(1, 1)
    return prepared.Made(content, filename(assessment, "pdf"), PDF)


ASSESSMENT_PDF = prepared.register(prepared.Maker("risk.assessment_pdf", _may_see, _make))
