"""Who must have which training: by role, by lab work, students included, and where each stands
at the edges of expiry."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from hms.competence import access, gaps
from hms.competence.gaps import Standing
from hms.competence.tests.factories import record
from hms.core import authz
from hms.org.models import RiskLevel, RoleAssignment

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def needs(unit, *, subtree=False, user=None):
    within = access.training_scope(user) if user else authz.Scope(everything=True)
    return gaps.needs_of(gaps.unit_assignments(unit, subtree=subtree, within=within), TODAY)


def table(found):
    return {(n.person.username, n.course.code): n.standing for n in found}


def test_it_asks_each_role_for_its_course_and_lab_work_for_the_lab_courses(cast):
    found = table(needs(cast.unit_a))
    lab = {"lab-safety", "fire-safety"}
    expected = {
        "leader": {"leader-hse"} | lab, "safety_rep": {"safety-rep-basic"} | lab,
        "deputy": {"safety-rep-basic"} | lab, "handler": {"deviation-handler"} | lab,
        "lab_leader": lab, "employee": lab, "student": lab}
    assert {person: {c for p, c in found if p == person} for person in expected} == expected
    assert set(found.values()) == {Standing.MISSING}
    assert table(needs(cast.faculty_f)) == {("coordinator", "hse-coordinator"): Standing.MISSING}


def test_it_asks_for_no_lab_course_outside_high_risk_areas(cast):
    cast.area.risk_level = RiskLevel.NORMAL
    cast.area.save()
    found = table(needs(cast.unit_a))
    assert ("lab_leader", "lab-safety") in found  # the lab leader's role asks for it anyway
    assert ("lab_leader", "fire-safety") not in found
    assert not any(person in {"employee", "student"} for person, _course in found)


def test_it_asks_for_a_course_once_however_many_roles_need_it(cast, english):
    lab = [n for n in needs(cast.unit_a) if n.person == cast.lab_leader and n.course.code == "lab-safety"]
    assert len(lab) == 1 and lab[0].roles == {"lab_leader"}
    RoleAssignment.objects.create(person=cast.lab_leader, org_unit=cast.unit_a, role="employee")
    lab = [n for n in needs(cast.unit_a) if n.person == cast.lab_leader and n.course.code == "lab-safety"]
    assert len(lab) == 1 and lab[0].roles == {"lab_leader", "employee"}
    assert lab[0].reasons() == ["Employee", "Lab leader"]


@pytest.mark.parametrize(("expires_in", "expected"), [
    (-1, Standing.EXPIRED), (0, Standing.EXPIRING), (60, Standing.EXPIRING), (61, Standing.VALID),
    (None, Standing.VALID)])
def test_it_tells_expired_from_expiring_from_valid(cast, expires_in, expected):
    expires = TODAY + dt.timedelta(days=expires_in) if expires_in is not None else None
    completed = TODAY - dt.timedelta(days=400)
    record(cast.safety_rep, "safety-rep-basic", completed, expires)
    found = table(needs(cast.unit_a))
    assert found[("safety_rep", "safety-rep-basic")] == expected


def test_it_follows_the_warning_window_setting(cast, settings):
    settings.HMS_TRAINING_WARN_DAYS = 10
    record(cast.employee, "lab-safety", TODAY - dt.timedelta(days=30), TODAY + dt.timedelta(days=11))
    assert table(needs(cast.unit_a))[("employee", "lab-safety")] == Standing.VALID


def test_a_newer_record_supersedes_an_expired_one(cast):
    record(cast.employee, "lab-safety", TODAY - dt.timedelta(days=2000))
    assert table(needs(cast.unit_a))[("employee", "lab-safety")] == Standing.EXPIRED
    newer = record(cast.employee, "lab-safety", TODAY - dt.timedelta(days=10))
    found = [n for n in needs(cast.unit_a) if n.person == cast.employee and n.course.code == "lab-safety"]
    assert found[0].record == newer and found[0].standing == Standing.VALID


def test_it_counts_students_among_the_people(cast):
    from hms.accounts.models import User

    for i in range(5):
        student = User.objects.create_user(f"s{i}", f"s{i}@example.org", "pw")
        RoleAssignment.objects.create(person=student, org_unit=cast.unit_a, role="student")
        if i < 2:
            record(student, "lab-safety", TODAY - dt.timedelta(days=3))
    found = needs(cast.unit_a)
    students = [n for n in found if "student" in n.roles]
    assert len(students) == 12  # six students, two lab courses each
    assert gaps.counts(students) == {"missing": 10, "expired": 0, "expiring": 0, "valid": 2}


def test_it_covers_sub_units_only_on_request_and_only_in_scope(cast):
    RoleAssignment.objects.create(person=cast.outsider, org_unit=cast.section_a1, role="lab_leader")
    assert ("outsider", "lab-safety") not in table(needs(cast.unit_a))
    assert ("outsider", "lab-safety") in table(needs(cast.unit_a, subtree=True, user=cast.coordinator))
    # the leader of A holds no role over its sub-units: the subtree adds nothing for them
    assert ("outsider", "lab-safety") not in table(needs(cast.unit_a, subtree=True, user=cast.leader))


def test_an_accepted_delegated_task_asks_for_its_course(cast, english):
    from hms.governance.tests.factories import accepted, delegation, expire

    warden = accepted(cast, code="fire_warden", to=cast.employee)
    delegation(cast, code="first_aid", to=cast.handler)  # awaiting acceptance: not yet
    found = {(n.person.username, n.course.code): n for n in needs(cast.unit_a)}
    need = found[("employee", "fire-warden")]
    assert need.standing == Standing.MISSING and need.reasons() == ["Fire warden (branninstruktør)"]
    assert ("handler", "first-aid") not in found
    assert not any(course == "fire-warden" for person, course in found if person != "employee")
    record(cast.employee, "fire-warden", TODAY - dt.timedelta(days=30))
    assert table(needs(cast.unit_a))[("employee", "fire-warden")] == Standing.VALID
    expire(warden)
    assert ("employee", "fire-warden") not in table(needs(cast.unit_a))
