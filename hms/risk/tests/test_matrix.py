from __future__ import annotations

import copy
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation

from hms.core.errors import ServiceError
from hms.core.models import AuditEvent
from hms.risk import services
from hms.risk.management.commands.load_risk_matrix import DEFAULT
from hms.risk.matrix import validate_definition
from hms.risk.models import RiskMatrix

pytestmark = pytest.mark.django_db


def english_admin(cast) -> Client:
    cast.admin.language = "en"
    cast.admin.save()
    client = Client()
    client.force_login(cast.admin)
    return client


@pytest.fixture
def default():
    return json.loads(DEFAULT.read_text(encoding="utf-8"))


def test_the_shipped_matrix_is_sound_and_weights_consequence(default):
    assert validate_definition(default) == []
    matrix = RiskMatrix(definition=default)
    assert matrix.colour(probability=1, consequence=5) == "yellow"  # E1
    assert matrix.colour(probability=5, consequence=1) == "yellow"  # A5
    assert matrix.colour(probability=2, consequence=5) == "red"     # E2
    assert matrix.colour(probability=2, consequence=2) == "green"   # B2
    assert matrix.colour(probability=3, consequence=3) == "yellow"  # C3


def test_a_row_takes_the_worst_colour_over_its_areas(default):
    matrix = RiskMatrix(definition=default)
    assert matrix.worst_colour(2, {"people": 2, "environment": None}) == "green"
    assert matrix.worst_colour(2, {"people": 2, "material": 4}) == "yellow"
    assert matrix.worst_colour(2, {"people": 2, "reputation": 5}) == "red"


def test_labels_follow_the_active_language(default):
    matrix = RiskMatrix(definition=default)
    people = matrix.areas()[0]
    with translation.override("nb"):
        assert matrix.text(people["label"]) == "Menneske (helse)"
    with translation.override("en"):
        assert matrix.text(people["descriptions"]["5"]) == "Death"


@pytest.mark.parametrize(("breakage", "complaint"), [
    (lambda d: d.update(cells={**d["cells"], "3": ["green", "purple", "red", "red", "red"]}),
     "Consequence 3"),
    (lambda d: d["cells"].pop("5"), "Consequence 5"),
    (lambda d: d["probability"].pop(2), "numbered 1, 2, 3"),
    (lambda d: d["areas"][1]["descriptions"].pop("4"), "environment"),
    (lambda d: d["areas"][0].update(required=False), "required"),
    (lambda d: d["colours"][2].update(needs="prayer"), "measure_or_reason"),
    (lambda d: d["consequence"][0]["label"].pop("nb"), "bokmål and English"),
])
def test_a_broken_definition_is_refused_with_the_reason(default, breakage, complaint):
    broken = copy.deepcopy(default)
    breakage(broken)
    with translation.override("en"):
        errors = validate_definition(broken)
    assert any(complaint in error for error in errors), errors


def test_loading_is_idempotent_and_versions_are_kept(cast, default):
    first = services.load_matrix(actor=None, definition=default)
    assert (first.version, first.is_current) == (1, True)
    assert services.load_matrix(actor=cast.admin, definition=default) == first
    changed = copy.deepcopy(default)
    changed["cells"]["1"][4] = "red"
    second = services.load_matrix(actor=cast.admin, definition=changed)
    first.refresh_from_db()
    assert (second.version, second.is_current, first.is_current) == (2, True, False)
    assert RiskMatrix.objects.current() == second
    assert first.definition == default  # the old version is kept as it was
    services.make_current(actor=cast.admin, matrix=first)
    assert RiskMatrix.objects.current() == first
    assert AuditEvent.objects.filter(action__in=["load", "make_current"]).count() == 3


def test_a_version_can_never_be_edited(default):
    matrix = services.load_matrix(actor=None, definition=default)
    matrix.definition["cells"]["1"][0] = "red"
    with pytest.raises(PermissionDenied):
        matrix.save()


def test_only_administrators_load_matrices(cast, default):
    with pytest.raises(PermissionDenied):
        services.load_matrix(actor=cast.leader, definition=default)
    with pytest.raises(ServiceError):
        services.load_matrix(actor=cast.admin, definition={"cells": {}})
    assert not RiskMatrix.objects.exists()


def test_the_command_loads_the_default_and_refuses_a_broken_file(db, tmp_path, capsys):
    call_command("load_risk_matrix")
    call_command("load_risk_matrix")
    assert RiskMatrix.objects.count() == 1 and "v1" in capsys.readouterr().out
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("load_risk_matrix", str(broken))


def test_an_administrator_makes_a_new_version_in_the_admin(cast, default):
    services.load_matrix(actor=None, definition=default)
    client = english_admin(cast)
    form = client.get("/admin/risk/riskmatrix/add/").content.decode()
    assert "Svært alvorlig" in form  # starts from the version in use
    changed = copy.deepcopy(default)
    changed["name"] = "NTNU 2026"
    changed["cells"]["2"][2] = "red"
    response = client.post("/admin/risk/riskmatrix/add/", {"definition": json.dumps(changed)})
    assert response.status_code == 302
    current = RiskMatrix.objects.current()
    assert (current.version, current.name, current.colour(3, 2)) == (2, "NTNU 2026", "red")
    broken = client.post("/admin/risk/riskmatrix/add/", {"definition": json.dumps({"cells": {}})})
    assert broken.status_code == 200 and "must be a list of levels" in broken.content.decode()
    assert RiskMatrix.objects.count() == 2
    assert client.get(f"/admin/risk/riskmatrix/{current.pk}/change/").status_code == 200
    client.post("/admin/risk/riskmatrix/", {"action": "put_in_use",
                                            "_selected_action": [RiskMatrix.objects.get(version=1).pk]})
    assert RiskMatrix.objects.current().version == 1


def test_nobody_else_reaches_the_matrix_admin(cast):
    client = Client()
    client.force_login(cast.leader)
    assert client.get("/admin/risk/riskmatrix/add/").status_code == 302


def test_a_new_version_can_come_from_a_file(cast, default):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = english_admin(cast)
    good = SimpleUploadedFile("m.json", json.dumps(default).encode())
    assert client.post("/admin/risk/riskmatrix/add/", {"upload": good}).status_code == 302
    bad = SimpleUploadedFile("m.json", b"\xff not json")
    page = client.post("/admin/risk/riskmatrix/add/", {"upload": bad}).content.decode()
    assert "not valid JSON" in page
    empty = client.post("/admin/risk/riskmatrix/add/", {}).content.decode()
    assert "as JSON text or as a file" in empty
    assert RiskMatrix.objects.count() == 1
