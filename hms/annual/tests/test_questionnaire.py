"""The questionnaire of the annual HSE report as data (issue 17, item 1): shipped with about 50
questions over the 19 points in both languages, validated whole before it is loaded, versioned so
that a new year's version leaves the one an older year is answered by as it was."""

from __future__ import annotations

import copy
import json
from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from hms.annual import services
from hms.annual.management.commands.load_annual_questionnaire import DEFAULT
from hms.annual.models import Questionnaire
from hms.annual.questionnaire import KINDS, PREFILLS, YES_NO_PARTLY, problems
from hms.core.errors import ServiceError
from hms.core.models import AuditEvent

pytestmark = pytest.mark.django_db
THIS_YEAR = timezone.localdate().year


def shipped() -> dict:
    return json.loads(DEFAULT.read_text(encoding="utf-8"))


def broken(change) -> dict:
    definition = copy.deepcopy(shipped())
    change(definition)
    return definition


def test_the_shipped_questionnaire_asks_about_every_point_for_every_year_on_record():
    questionnaire = Questionnaire.objects.for_year(2001)
    assert questionnaire == Questionnaire.objects.for_year(THIS_YEAR)
    questions = questionnaire.questions()
    assert 45 <= len(questions) <= 55
    assert set(Counter(question.point for question in questions)) == set(range(1, 20))
    assert {question.kind for question in questions} == set(KINDS)
    prefilled = [question for question in questions if question.prefill]
    assert {question.prefill for question in prefilled} == set(PREFILLS)
    states = [question.point for question in prefilled if question.prefill == "point_state"]
    assert all(question.kind == YES_NO_PARTLY for question in prefilled
               if question.prefill == "point_state")
    assert len(states) == len(set(states))  # one question a point takes its state
    assert Questionnaire.objects.for_year(1999) is None


def test_a_question_reads_in_both_languages_and_names_its_choices():
    ark = next(question for question in Questionnaire.objects.get().questions()
               if question.code == "ark_phase")
    assert (ark.point, ark.kind) == (9, "choice")
    with translation.override("nb"):
        assert ark.text.startswith("Hvor står enheten i ARK-syklusen")
        assert ark.choice_label("survey") == "2 Kartlegging"
    with translation.override("en"):
        assert ark.text.startswith("Where does the unit stand in the ARK cycle")
        assert ark.choice_label("survey") == "2 Survey"
        assert ark.choice_label("gone") == "gone"  # a value no version names stays readable


def test_the_shipped_definition_has_no_problems():
    assert problems(shipped()) == []


BROKEN = {
    "not an object": None,
    "no English name": lambda d: d["name"].pop("en"),
    "no questions": lambda d: d.update(questions=[]),
    "a question that is text": lambda d: d["questions"].__setitem__(2, "goals"),
    "an empty text": lambda d: d["questions"][0]["text"].update(nb=" "),
    "a code used twice": lambda d: d["questions"][1].update(code=d["questions"][0]["code"]),
    "a code with spaces": lambda d: d["questions"][0].update(code="goals set"),
    "no point": lambda d: d["questions"][0].pop("point"),
    "point 20": lambda d: d["questions"][0].update(point=20),
    "an unknown kind": lambda d: d["questions"][0].update(kind="slider"),
    "an unknown prefill": lambda d: d["questions"][0].update(prefill="vibes"),
    "a prefill of another kind": lambda d: d["questions"][1].update(prefill="point_state"),
    "choices on a number": lambda d: d["questions"][1].update(choices=[]),
    "one choice only": lambda d: next(q for q in d["questions"] if q["kind"] == "choice").update(
        choices=[{"value": "a", "text": {"nb": "A", "en": "A"}}]),
    "two choices alike": lambda d: next(q for q in d["questions"] if q["kind"] == "choice")[
        "choices"][1].update(value="not_started"),
    "a choice without English": lambda d: next(q for q in d["questions"] if q["kind"] == "choice")[
        "choices"][0]["text"].pop("en"),
}


@pytest.mark.parametrize("what", sorted(BROKEN))
def test_a_broken_definition_is_refused_whole_with_a_translated_reason(what):
    definition = broken(BROKEN[what]) if BROKEN[what] else []
    with translation.override("nb"):
        found = problems(definition)
    assert found, what
    assert all(message and "must" not in message and "kind" not in message for message in found)
    versions = Questionnaire.objects.count()
    with pytest.raises(ServiceError):
        services.load_questionnaire(actor=None, definition=definition)
    assert Questionnaire.objects.count() == versions


def test_loading_what_is_in_force_changes_nothing():
    first = Questionnaire.objects.get()
    assert services.load_questionnaire(actor=None, definition=shipped()) == first
    assert Questionnaire.objects.count() == 1


def test_a_new_version_holds_from_its_year_and_older_years_keep_theirs(cast):
    admin = cast.users["admin"]
    changed = broken(lambda d: d["questions"].append({
        "code": "noise", "point": 16, "kind": "yes_no_partly",
        "text": {"nb": "Er støy kartlagt?", "en": "Has noise been mapped?"}}))
    new = services.load_questionnaire(actor=admin, definition=changed, first_year=THIS_YEAR + 1)
    assert (new.version, new.first_year, new.created_by) == (2, THIS_YEAR + 1, admin)
    assert Questionnaire.objects.for_year(THIS_YEAR + 1).questions()[-1].code == "noise"
    assert "noise" not in {question.code for question in
                           Questionnaire.objects.for_year(THIS_YEAR).questions()}
    event = AuditEvent.objects.get(action="load", object_id=str(new.pk))
    assert event.after == {"in_force": str(new)}
    with translation.override("nb"), pytest.raises(ServiceError, match="tidligere år beholder"):
        services.load_questionnaire(actor=admin, definition=changed, first_year=THIS_YEAR - 1)


def test_only_an_administrator_loads_a_questionnaire(cast):
    with pytest.raises(PermissionDenied):
        services.load_questionnaire(actor=cast.leader, definition=shipped())


def test_a_saved_version_never_changes():
    questionnaire = Questionnaire.objects.get()
    questionnaire.definition = {}
    with pytest.raises(PermissionDenied):
        questionnaire.save()


def test_the_command_loads_a_file_and_names_what_is_wrong(tmp_path):
    path = tmp_path / "report.json"
    path.write_text(json.dumps(broken(lambda d: d["questions"][0]["text"].update(en="Goals?"))))
    call_command("load_annual_questionnaire", str(path), verbosity=0)
    assert Questionnaire.objects.for_year(THIS_YEAR).questions()[0].texts["en"] == "Goals?"
    path.write_text("{")
    with pytest.raises(CommandError, match=r"report\.json"):
        call_command("load_annual_questionnaire", str(path))
    with pytest.raises(CommandError, match=r"missing\.json"):
        call_command("load_annual_questionnaire", str(tmp_path / "missing.json"))


def test_the_questionnaire_is_reference_data_that_a_scale_seed_keeps():
    from hms.core import seeding

    assert Questionnaire not in seeding.records_of_people_and_units()
