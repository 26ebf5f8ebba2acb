"""The fixed cast every test can use (design.md §3.6):

    Universitetet (root)
    ├── Faculty F ── Department A ── Section A1
    │                (safety area SA covers A)
    └── Faculty G ── Department B

leader, safety_rep, deputy, handler, lab_leader, employee, student of A; coordinator of F with its
subtree; outsider (employee of B); admin (superuser).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from typing import Any

import pytest

PERSONAS = ("outsider", "student", "employee", "safety_rep", "deputy", "handler", "lab_leader",
            "coordinator", "leader", "admin")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """Each test process gets its own database. On SQLite it is a file (not shared memory), so
    tests run with WAL and locking as production does."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    test = database.setdefault("TEST", {})
    if database["ENGINE"].endswith("sqlite3"):
        test["NAME"] = os.path.join(tempfile.gettempdir(), f"hms-test-{os.getpid()}.sqlite3")
    else:
        test["NAME"] = f"test_{database['NAME']}_{os.getpid()}"


@pytest.fixture(autouse=True)
def _test_settings(settings: Any, tmp_path: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    # The points' digest tells every unit of points not met as the year ends (issue 16): quiet in
    # the tests of other sections, which count mails; hms/points/tests/test_digest.py sets it.
    settings.HMS_POINTS_DUE_DAYS = -1
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)  # no test inherits another's language


@dataclass
class Cast:
    root: Any
    faculty_f: Any
    unit_a: Any
    section_a1: Any
    faculty_g: Any
    unit_b: Any
    area: Any
    users: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)


def build_cast() -> Cast:
    from hms.accounts.models import User
    from hms.core.roles import Role
    from hms.org.models import OrgUnit, RiskLevel, RoleAssignment, SafetyArea, UnitKind

    units = OrgUnit.objects
    root = units.add_root({"code": "uni", "name": "Universitetet", "kind": UnitKind.UNIVERSITY})
    faculty_f = units.add_child(root, {"code": "f", "name": "Faculty F", "kind": UnitKind.FACULTY})
    faculty_g = units.add_child(root, {"code": "g", "name": "Faculty G", "kind": UnitKind.FACULTY})
    unit_a = units.add_child(faculty_f, {"code": "a", "name": "Department A"})
    section_a1 = units.add_child(unit_a, {"code": "a1", "name": "Section A1", "kind": UnitKind.SECTION})
    unit_b = units.add_child(faculty_g, {"code": "b", "name": "Department B"})
    area = SafetyArea.objects.create(org_unit=unit_a, code="a-lab", name="A labs",
                                     risk_level=RiskLevel.HIGH, locations="Bygg 1, rom 101")
    area.units.add(unit_a)

    users = {name: User.objects.create_user(name, f"{name}@example.org", "pw",
                                            first_name=name.title(), last_name="Tester")
             for name in PERSONAS if name != "admin"}
    users["admin"] = User.objects.create_superuser("admin", "admin@example.org", "pw")
    plain = [("leader", unit_a, Role.LEADER), ("handler", unit_a, Role.DEVIATION_HANDLER),
             ("lab_leader", unit_a, Role.LAB_LEADER), ("employee", unit_a, Role.EMPLOYEE),
             ("student", unit_a, Role.STUDENT), ("outsider", unit_b, Role.EMPLOYEE)]
    for name, unit, role in plain:
        RoleAssignment.objects.create(person=users[name], org_unit=unit, role=role)
    RoleAssignment.objects.create(person=users["coordinator"], org_unit=faculty_f,
                                  role=Role.HSE_COORDINATOR, covers_subtree=True)
    RoleAssignment.objects.create(person=users["safety_rep"], org_unit=unit_a,
                                  role=Role.SAFETY_REP, safety_area=area)
    RoleAssignment.objects.create(person=users["deputy"], org_unit=unit_a,
                                  role=Role.DEPUTY_SAFETY_REP, safety_area=area)
    for unit in (root, faculty_f, unit_a, faculty_g, section_a1, unit_b):
        unit.refresh_from_db()
    return Cast(root, faculty_f, unit_a, section_a1, faculty_g, unit_b, area, users)


@pytest.fixture
def cast(db: Any) -> Cast:
    return build_cast()


@pytest.fixture
def measure_factory(cast: Cast) -> Any:
    from hms.measures.models import Measure

    def make(**fields: Any) -> Measure:
        values = {"org_unit": cast.unit_a, "title": "Fix the fume hood",
                  "responsible": cast.employee, "created_by": cast.leader, **fields}
        return Measure.objects.create(**values)

    return make


@pytest.fixture
def round_planned(cast: Cast) -> Any:
    """A round planned for the cast's safety area, which was never walked: the digest's rounds
    section then has nothing for anyone (for tests that count the mails of other sections). The
    shipped checklists are loaded again if a transactional test's flush removed them."""
    from hms.rounds.checklists import load_templates
    from hms.rounds.models import ChecklistItem, ChecklistTemplate
    from hms.rounds.tests.factories import lab_round

    if not ChecklistTemplate.objects.exists():
        load_templates(ChecklistTemplate, ChecklistItem)
    return lab_round(cast)


@pytest.fixture
def english() -> Any:
    """Run the test with English active (the product's default is bokmål)."""
    from django.utils import translation

    with translation.override("en"):
        yield
