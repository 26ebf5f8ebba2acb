"""A record deleted while someone saves it (issue 12): every record a service deletes is listed
here with how it is edited and how it is deleted, and every edit of one deleted between the
access check and the write is refused as gone, with a clear message, writing nothing. A new
service that deletes a record not in the table fails the last test."""

from __future__ import annotations

import ast
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from hms.competence import services as competence
from hms.competence.models import TrainingRecord
from hms.competence.tests.factories import course, record
from hms.core.errors import RecordGone
from hms.deviations.models import DeviationType
from hms.deviations.tests.factories import photo
from hms.health import services as health
from hms.health.models import HealthServiceContact
from hms.health.tests.factories import UNIVERSITY
from hms.risk import services as risk
from hms.risk.models import AssessmentKind, RiskRow
from hms.rounds import services as rounds
from hms.rounds.models import Finding, Result
from hms.rounds.tests.factories import walked

pytestmark = pytest.mark.django_db

DAY = timezone.localdate() - dt.timedelta(days=100)
Save = Callable[[], Any]


def _training(cast: Any) -> dict[str, Save]:
    saved = record(cast.employee, "lab-safety", DAY, org_unit=cast.unit_a)
    loaded = TrainingRecord.objects.get(pk=saved.pk)  # what the edit view loaded
    competence.delete_training(actor=cast.coordinator, record=saved)
    return {"update_training": lambda: competence.update_training(
        actor=cast.leader, record=loaded, version=loaded.version,
        data={"person": cast.employee, "course": course("fire-safety"), "completed_on": DAY,
              "note": "Typed"})}


def _risk_row(cast: Any) -> dict[str, Save]:
    call_command("load_risk_matrix")
    assessment = risk.create_assessment(actor=cast.safety_rep, org_unit=cast.unit_a,
                                        kind=AssessmentKind.DETAILED,
                                        data={"title": "Solvent lab", "trigger": "new_activity"})
    saved = risk.add_row(actor=cast.safety_rep, assessment=assessment, data={"cause": "Haste"})
    loaded = RiskRow.objects.select_related("assessment__matrix").get(pk=saved.pk)
    risk.delete_row(actor=cast.leader, row=saved)
    return {
        "update_row": lambda: risk.update_row(actor=cast.safety_rep, row=loaded,
                                              data={"cause": "Typed"}, version=loaded.version),
        "add_row_measure": lambda: risk.add_row_measure(actor=cast.safety_rep, row=loaded,
                                                        data={"title": "Typed"}),
    }


def _finding(cast: Any) -> dict[str, Save]:
    round_ = walked(cast, not_ok=1)
    loaded = Finding.objects.select_related("round", "answer").get(round=round_)
    answer = loaded.answer
    rounds.save_answer(actor=cast.leader, round_=round_, item=answer.item, result=Result.OK,
                       comment="", version=answer.version)  # an answer changed back drops it
    return {
        "score_finding": lambda: rounds.score_finding(
            actor=cast.safety_rep, finding=loaded, probability=2, consequence=3),
        "finding_measure": lambda: rounds.finding_measure(
            actor=cast.safety_rep, finding=loaded, data={"title": "Typed"}),
        "finding_deviation": lambda: rounds.finding_deviation(
            actor=cast.safety_rep, finding=loaded,
            deviation_type=DeviationType.objects.get(code="rule_breach")),
        "add_photo": lambda: rounds.add_photo(actor=cast.safety_rep, round_=loaded.round,
                                              upload=photo(), finding=loaded),
    }


def _health_contact(cast: Any) -> dict[str, Save]:
    """The service looks the contact up itself: here it finds the copy loaded before the removal."""
    loaded = health.set_contact(actor=cast.admin, org_unit=cast.unit_a, data=UNIVERSITY,
                                version=None)
    health.remove_contact(actor=cast.admin, org_unit=cast.unit_a, version=loaded.version)

    def save() -> Any:
        with mock.patch.object(health, "_own_contact", return_value=loaded):
            return health.set_contact(actor=cast.leader, org_unit=cast.unit_a,
                                      data={**UNIVERSITY, "service": "Typed"},
                                      version=loaded.version)

    return {"set_contact": save}


@dataclass(frozen=True)
class Deletable:
    """A record some service deletes: the service function that deletes it (`app.function`),
    and a setup that loads one, deletes it as another person, and returns each edit of the
    loaded copy by name."""

    model: type
    deleted_by: str
    setup: Callable[[Any], dict[str, Save]]


DELETABLE = [
    Deletable(TrainingRecord, "competence.delete_training", _training),
    Deletable(RiskRow, "risk.delete_row", _risk_row),
    Deletable(Finding, "rounds._sync_finding", _finding),
    Deletable(HealthServiceContact, "health.remove_contact", _health_contact),
]
EDITS = [("TrainingRecord", "update_training"), ("RiskRow", "update_row"),
         ("RiskRow", "add_row_measure"), ("Finding", "score_finding"),
         ("Finding", "finding_measure"), ("Finding", "finding_deviation"),
         ("Finding", "add_photo"), ("HealthServiceContact", "set_contact")]
# Deletions that race with no edit that could be lost: the record is never edited, only replaced,
# or an edit racing with the deletion saves the record anew (get_or_create).
NEVER_EDITED = {"meetings.renew_calendar_feed": "a calendar feed's secret address",
                "deviations._delete_injury_details": "injury details past their retention period"}


def _everything() -> dict[str, int]:
    """How many rows each of the product's models holds."""
    return {model._meta.label: model._default_manager.count()
            for model in apps.get_models() if model.__module__.startswith("hms.")}


@pytest.mark.parametrize(("model", "edit"), EDITS, ids=[".".join(pair) for pair in EDITS])
def test_an_edit_of_a_record_deleted_meanwhile_is_refused_as_gone(cast, english, model, edit):
    deletable = next(d for d in DELETABLE if d.model.__name__ == model)
    saves = deletable.setup(cast)
    assert not deletable.model.objects.exists()
    before = _everything()
    with pytest.raises(RecordGone) as gone:
        saves[edit]()
    assert str(gone.value.message).startswith("Someone else deleted this record")
    assert "What you typed is still shown" in str(gone.value.message)
    assert _everything() == before


def test_every_edit_of_a_deletable_record_is_in_the_table(cast):
    """The table's edits are the ones each setup offers: none listed without a race, none
    offered without being run."""
    offered = {(d.model.__name__, name) for d in DELETABLE for name in d.setup(cast)}
    assert offered == set(EDITS)


def test_the_message_is_in_bokmal():
    assert str(RecordGone().message).startswith("Noen andre slettet denne oppføringen")


def _deleting_functions() -> set[str]:
    """Every `app.function` in a services module that calls `.delete()`."""
    found = set()
    for path in Path(apps.get_app_config("core").path).parent.glob("*/services.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef) and any(
                    isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                    and call.func.attr == "delete" for call in ast.walk(node)):
                found.add(f"{path.parent.name}.{node.name}")
    return found


def test_every_service_that_deletes_a_record_is_in_the_table():
    """A new service deleting a record must say here how an edit racing with it stays safe."""
    listed = {d.deleted_by for d in DELETABLE} | set(NEVER_EDITED)
    assert _deleting_functions() == listed
