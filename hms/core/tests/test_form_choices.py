"""A form may name only what its user may name (issue 12).

Every field of our forms that picks a record by id (a unit, a safety area, a person, a measure, a
risk row, an agenda item, a catalogue entry …) has a case here that posts a record from elsewhere
(another faculty, another meeting, another round, a retired catalogue entry) and expects the form
to refuse it on that field. `test_every_choice_field_has_a_case` walks every form class of every
app and fails when a new field that takes an id has no case, so a new form cannot forget."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from typing import Any

import pytest
from django import forms
from django.core.management import call_command
from django.utils import timezone

import hms
from hms.competence.models import Course
from hms.deviations.tests.factories import deviation_type, report
from hms.governance.models import DelegationTask
from hms.measures.models import Measure
from hms.meetings import services as meeting_services
from hms.meetings.tests.factories import meeting
from hms.org.models import SafetyArea
from hms.risk import services as risk_services
from hms.risk.models import AssessmentKind
from hms.rounds import services as round_services
from hms.rounds.models import ChecklistTemplate
from hms.rounds.tests.factories import lab_round

# Fields whose every value is a legitimate pick for anyone who may use the form, and why.
OPEN_CHOICES = {
    # A handler sends a case to the unit it belongs to, wherever that is in the university.
    "deviations.TransferForm.to_unit",
    # Every course of the catalogue can be recorded; the person is what the scope limits.
    "competence.TrainingForm.course",
    # The matrix's year and point are numbers of the catalogue in force, the same for everyone.
    "points.MatrixFilterForm.year",
    "points.MatrixFilterForm.point",
}


def _is_id_field(name: str, field: forms.Field) -> bool:
    """A model choice, a hidden number other than the edit version, or a choice whose options
    the form fills in for its user (records offered by key)."""
    if isinstance(field, forms.ModelChoiceField):
        return True
    if isinstance(field, forms.ChoiceField):
        return not field.choices
    hidden_number = isinstance(field, forms.IntegerField) and isinstance(field.widget, forms.HiddenInput)
    return hidden_number and name != "version"


def _our_modules() -> list[Any]:
    """Every module of our apps, tests and migrations aside."""
    names = [info.name for info in pkgutil.walk_packages(hms.__path__, "hms.")
             if not any(part in {"tests", "migrations"} for part in info.name.split("."))]
    return [importlib.import_module(name) for name in names]


def every_choice_field() -> set[str]:
    """`app.FormClass.field` for every field of our form classes that takes a record's id."""
    found = set()
    for module in _our_modules():
        app = module.__name__.split(".")[1]
        for name, form_class in inspect.getmembers(module, inspect.isclass):
            if form_class.__module__ != module.__name__ or not issubclass(form_class, forms.BaseForm):
                continue
            found |= {f"{app}.{name}.{field}" for field, definition in form_class.base_fields.items()
                      if _is_id_field(field, definition)}
    return found


# --- What lies outside: records of department B (faculty G), another meeting, another round ----


def _area_b(cast: Any) -> SafetyArea:
    area = SafetyArea.objects.create(org_unit=cast.unit_b, code="b-lab", name="B labs")
    area.units.add(cast.unit_b)
    return area


def _measure_b(cast: Any) -> Measure:
    return Measure.objects.create(org_unit=cast.unit_b, title="Elsewhere", created_by=cast.admin,
                                  responsible=cast.outsider)


def _mapping_row_b(cast: Any) -> Any:
    call_command("load_risk_matrix")
    mapping = risk_services.create_assessment(actor=cast.admin, org_unit=cast.unit_b,
                                              kind=AssessmentKind.OVERALL, data={"title": "B mapping"})
    row = risk_services.add_row(actor=cast.admin, assessment=mapping,
                                data={"probability": 1, "consequences": {"people": 1}})
    risk_services.submit_for_review(actor=cast.admin, assessment=mapping)
    mapping.refresh_from_db()
    risk_services.approve_assessment(actor=cast.admin, assessment=mapping)
    return row


def _other_round(cast: Any) -> Any:
    other = lab_round(cast)
    round_services.add_finding(actor=cast.leader, round_=other, title="Blocked exit")
    item = other.templates.first().items.first()
    round_services.save_answer(actor=cast.leader, round_=other, item=item, result="ok", comment="",
                               version=None)
    return other


def _retired_type(code: str) -> Any:
    """A deviation type taken out of use: no form offers it any more."""
    retired = deviation_type(code)
    retired.active = False
    retired.save()
    return retired


def _bound(form_class: type[forms.BaseForm], data: dict[str, Any], **kwargs: Any) -> forms.BaseForm:
    return form_class(data, **kwargs)


# --- The cases: each returns the bound form and the field that must carry the refusal -----------


def _deviation_forms() -> dict[str, Callable[[Any], tuple[forms.BaseForm, str]]]:
    from hms.deviations import forms as f

    def report_data(cast: Any, **values: Any) -> dict[str, Any]:
        return {"deviation_type": deviation_type().pk, "title": "Spill", "description": "Acid.",
                "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
                "org_unit": cast.unit_a.pk, **values}

    return {
        # The reporter's own unit with another faculty's safety area (the hole the attack found).
        "deviations.ReportForm.safety_area": lambda cast: (_bound(
            f.ReportForm, report_data(cast, safety_area=_area_b(cast).pk), user=cast.employee),
            "safety_area"),
        # Another unit with the reporter's own area: the area must fit the unit chosen.
        "deviations.ReportForm.org_unit": lambda cast: (_bound(
            f.ReportForm, report_data(cast, org_unit=cast.unit_b.pk, safety_area=cast.area.pk),
            user=cast.employee), "safety_area"),
        "deviations.ReportForm.deviation_type": lambda cast: (_bound(
            f.ReportForm, report_data(cast, deviation_type=_retired_type("fire").pk),
            user=cast.employee), "deviation_type"),
        "deviations.AcceptForm.handler": lambda cast: (_bound(
            f.AcceptForm, {"version": 1, "handler": cast.outsider.pk}, deviation=report(cast)),
            "handler"),
        "deviations.RiskLinkForm.rows": lambda cast: (_bound(
            f.RiskLinkForm, {"rows": [_mapping_row_b(cast).pk]}, deviation=report(cast),
            user=cast.admin), "rows"),
    }


def _plan_forms() -> dict[str, Callable[[Any], tuple[forms.BaseForm, str]]]:
    from hms.measures import forms as f

    def measure_data(**values: Any) -> dict[str, Any]:
        return {"title": "Guard the saw", "priority": 2, **values}

    return {
        "measures.MeasureForm.responsible": lambda cast: (_bound(
            f.MeasureForm, measure_data(responsible=cast.outsider.pk), unit=cast.unit_a),
            "responsible"),
        "measures.MeasureForm.safety_area": lambda cast: (_bound(
            f.MeasureForm, measure_data(safety_area=_area_b(cast).pk), unit=cast.unit_a),
            "safety_area"),
        "measures.PlanOwnerForm.owner": lambda cast: (_bound(
            f.PlanOwnerForm, {"owner": cast.outsider.pk}, unit=cast.unit_a), "owner"),
    }


def _governance_forms() -> dict[str, Callable[[Any], tuple[forms.BaseForm, str]]]:
    from hms.governance import forms as f

    def retired_task(cast: Any) -> DelegationTask:
        task = DelegationTask.objects.first()
        task.active = False
        task.save()
        return task

    delegation = {"scope": "The lab", "valid_from": "2026-01-01"}
    return {
        "governance.DelegationForm.delegate": lambda cast: (_bound(
            f.DelegationForm, {**delegation, "task_text": "Fire", "delegate": cast.outsider.pk},
            unit=cast.unit_a), "delegate"),
        "governance.DelegationForm.task": lambda cast: (_bound(
            f.DelegationForm, {**delegation, "task": retired_task(cast).pk,
                               "delegate": cast.employee.pk}, unit=cast.unit_a), "task"),
        "governance.GoalForm.measures": lambda cast: (_bound(
            f.GoalForm, {"year": 2026, "title": "Fewer cuts", "measures": [_measure_b(cast).pk]},
            unit=cast.unit_a), "measures"),
    }


def _meeting_forms() -> dict[str, Callable[[Any], tuple[forms.BaseForm, str]]]:
    from hms.meetings import forms as f

    def meeting_data(**values: Any) -> dict[str, Any]:
        return {"kind": "leader_vo", "title": "Q1", "day": "2027-01-10", "time": "09:00",
                "duration_minutes": 60, **values}

    def foreign_item(cast: Any) -> Any:
        other = meeting(cast)
        return meeting_services.add_item(actor=cast.leader, meeting=other, title="Elsewhere")

    return {
        "meetings.MeetingForm.safety_area": lambda cast: (_bound(
            f.MeetingForm, meeting_data(safety_area=_area_b(cast).pk), unit=cast.unit_a),
            "safety_area"),
        "meetings.PlanForm.safety_area": lambda cast: (_bound(
            f.PlanForm, meeting_data(safety_area=_area_b(cast).pk), unit=cast.unit_a),
            "safety_area"),
        "meetings.PlanForm.invited": lambda cast: (_bound(
            f.PlanForm, meeting_data(invited=[cast.outsider.pk]), unit=cast.unit_a), "invited"),
        "meetings.DecisionForm.item": lambda cast: (_bound(
            f.DecisionForm, {"text": "Buy a hood", "item": foreign_item(cast).pk},
            meeting=meeting(cast)), "item"),
    }


def _risk_forms() -> dict[str, Callable[[Any], tuple[forms.BaseForm, str]]]:
    from hms.risk import forms as f

    def assessment_data(**values: Any) -> dict[str, Any]:
        return {"kind": AssessmentKind.DETAILED, "title": "Solvents", "trigger": "new_activity",
                "assessed_on": "2026-12-01", **values}

    return {
        "risk.AssessmentForm.mapping_row": lambda cast: (_bound(
            f.AssessmentForm, assessment_data(mapping_row=_mapping_row_b(cast).pk),
            unit=cast.unit_a), "mapping_row"),
        "risk.AssessmentForm.responsible_leader": lambda cast: (_bound(
            f.AssessmentForm, assessment_data(responsible_leader=cast.outsider.pk),
            unit=cast.unit_a), "responsible_leader"),
        "risk.AssessmentForm.participants": lambda cast: (_bound(
            f.AssessmentForm, assessment_data(participants=[cast.outsider.pk]), unit=cast.unit_a),
            "participants"),
    }


def _round_forms() -> dict[str, Callable[[Any], tuple[forms.BaseForm, str]]]:
    from hms.rounds import forms as f

    def round_data(**values: Any) -> dict[str, Any]:
        laboratory = ChecklistTemplate.objects.current().get(code="laboratory")
        return {"planned_on": "2027-01-10", "templates": [laboratory.pk], **values}

    def superseded_template(cast: Any) -> Any:
        old = ChecklistTemplate.objects.current().get(code="office")
        ChecklistTemplate.objects.filter(pk=old.pk).update(is_current=False)
        ChecklistTemplate.objects.create(code=old.code, version=old.version + 1, kind=old.kind,
                                         name_nb=old.name_nb, name_en=old.name_en)
        return old

    def photo_form(cast: Any, field: str) -> tuple[forms.BaseForm, str]:
        other = _other_round(cast)
        foreign = {"answer": other.answers.first().pk, "finding": other.findings.first().pk}
        return f.PhotoForm({field: foreign[field]}, round_=lab_round(cast)), field

    return {
        "rounds.RoundForm.safety_area": lambda cast: (_bound(
            f.RoundForm, round_data(safety_area=_area_b(cast).pk), unit=cast.unit_a, user=cast.leader),
            "safety_area"),
        "rounds.RoundForm.participants": lambda cast: (_bound(
            f.RoundForm, round_data(participants=[cast.outsider.pk]), unit=cast.unit_a, user=cast.leader),
            "participants"),
        "rounds.RoundForm.templates": lambda cast: (_bound(
            f.RoundForm, round_data(templates=[superseded_template(cast).pk]),
            unit=cast.unit_a, user=cast.leader),
            "templates"),
        "rounds.PhotoForm.answer": lambda cast: photo_form(cast, "answer"),
        "rounds.PhotoForm.finding": lambda cast: photo_form(cast, "finding"),
        "rounds.FindingDeviationForm.deviation_type": lambda cast: (_bound(
            f.FindingDeviationForm, {"deviation_type": _retired_type("rule_breach").pk}), "deviation_type"),
    }


def _competence_forms() -> dict[str, Callable[[Any], tuple[forms.BaseForm, str]]]:
    from hms.competence import forms as f

    return {
        "competence.TrainingForm.person": lambda cast: (_bound(
            f.TrainingForm, {"person": cast.outsider.pk, "course": Course.objects.first().pk,
                             "completed_on": "2026-06-01"}, unit=cast.unit_a), "person"),
    }


def _health_forms() -> dict[str, Callable[[Any], tuple[forms.BaseForm, str]]]:
    from hms.health import forms as f
    from hms.health.lookup import linkable_records, record_key

    def involvement(cast: Any) -> tuple[forms.BaseForm, str]:
        lab_round(cast)  # unit A's own round is offered; department B's is not
        other = round_services.plan_round(
            actor=cast.admin, org_unit=cast.unit_b, participants=[],
            data={"safety_area": _area_b(cast), "planned_on": timezone.localdate()},
            templates=list(ChecklistTemplate.objects.current()[:1]))
        form = f.InvolvementForm(
            {"date": "2026-06-01", "kind": "hse_round", "description": "Walked with us",
             "record": record_key(other)}, records=linkable_records(cast.leader, cast.unit_a))
        assert form.fields["record"].choices[1:], "unit A's own round must be offered"
        return form, "record"

    return {"health.InvolvementForm.record": involvement}


CASES: dict[str, Callable[[Any], tuple[forms.BaseForm, str]]] = {
    **_deviation_forms(), **_plan_forms(), **_governance_forms(), **_meeting_forms(),
    **_risk_forms(), **_round_forms(), **_competence_forms(), **_health_forms(),
}


def test_every_choice_field_has_a_case() -> None:
    fields = every_choice_field()
    assert fields - CASES.keys() - OPEN_CHOICES == set(), "a form field takes an id without a case"
    assert CASES.keys() - fields == set(), "a case names a field no form has"
    assert fields >= OPEN_CHOICES and not OPEN_CHOICES & CASES.keys()


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(CASES))
def test_a_form_refuses_a_choice_from_elsewhere(cast: Any, name: str) -> None:
    form, field = CASES[name](cast)
    assert not form.is_valid()
    assert field in form.errors, form.errors


@pytest.mark.django_db
def test_the_open_choices_are_open_to_their_users_only(cast: Any) -> None:
    """The unit a case is transferred to may be anywhere; the person a training is recorded for
    may not (the course, from the catalogue, is what is open)."""
    from hms.competence.forms import TrainingForm
    from hms.deviations.forms import TransferForm

    assert TransferForm({"version": 1, "to_unit": cast.unit_b.pk}).is_valid()
    form = TrainingForm({"person": cast.employee.pk, "course": Course.objects.last().pk,
                         "completed_on": "2026-06-01"}, unit=cast.unit_a)
    assert form.is_valid(), form.errors
