"""Entering, correcting and deleting training records, and importing them from a spreadsheet."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from hms.competence import services
from hms.competence.catalogue import load_catalogue
from hms.competence.models import Course, Requirement, Source, TrainingRecord
from hms.competence.tests.factories import course, csv_file, record, xlsx_file
from hms.core.dates import add_months
from hms.core.errors import ServiceError, StaleEdit
from hms.core.models import AuditEvent
from hms.governance.models import DelegationTask
from hms.org.models import RoleAssignment

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = TODAY - dt.timedelta(days=100)


def data(person, code="lab-safety", completed=DAY, **more):
    return {"person": person, "course": course(code), "completed_on": completed, **more}


def state():
    return (TrainingRecord.objects.count(), AuditEvent.objects.count(),
            sorted(TrainingRecord.objects.values_list("expires_on", flat=True), key=str))


# --- Catalogue -----------------------------------------------------------------------------------


def test_it_ships_the_courses_and_requirements():
    assert set(Course.objects.values_list("code", flat=True)) == {
        "leader-hse", "safety-rep-basic", "deviation-handler", "hse-coordinator", "lab-safety",
        "fire-safety", "fire-warden", "first-aid"}
    assert course("lab-safety").validity_months == 36
    assert set(Requirement.objects.filter(course__code="safety-rep-basic")
               .values_list("role", flat=True)) == {"safety_rep", "deputy_safety_rep"}
    assert Requirement.objects.filter(lab_work=True, role="").count() == 2
    assert set(Requirement.objects.filter(task__isnull=False).values_list(
        "task__code", "course__code")) == {("fire_warden", "fire-warden"), ("first_aid", "first-aid")}


def test_it_loads_the_catalogue_only_once_and_keeps_an_administrators_changes():
    Course.objects.filter(code="lab-safety").update(validity_months=24)
    assert load_catalogue(Course, Requirement, DelegationTask) == 0
    assert course("lab-safety").validity_months == 24
    Course.objects.filter(code="fire-safety").delete()
    assert load_catalogue(Course, Requirement, DelegationTask) == 1
    assert Requirement.objects.filter(course__code="fire-safety", lab_work=True).exists()


def test_a_requirement_of_a_task_not_in_the_catalogue_is_left_out():
    Course.objects.filter(code="first-aid").delete()
    DelegationTask.objects.filter(code="first_aid").delete()
    assert load_catalogue(Course, Requirement, DelegationTask) == 1
    assert not Requirement.objects.filter(course__code="first-aid").exists()


def test_it_adds_months_to_the_end_of_a_shorter_month():
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2025, 11, 15), 36) == dt.date(2028, 11, 15)
    assert add_months(dt.date(2025, 3, 10), -3) == dt.date(2024, 12, 10)


def test_it_names_courses_and_requirements_in_the_active_language(english):
    lab = course("lab-safety")
    assert str(lab) == "HSE introduction for laboratory work"
    assert lab.description.startswith("Working safely")
    rule = Requirement.objects.get(course=lab, lab_work=True)
    assert str(rule) == "HSE introduction for laboratory work: everyone (lab work)"
    assert "Leader" in str(Requirement.objects.get(course__code="leader-hse"))


# --- Entering, correcting, deleting --------------------------------------------------------------


def test_it_records_a_training_with_the_expiry_from_the_course(cast):
    saved = services.record_training(actor=cast.leader, org_unit=cast.unit_a,
                                     data=data(cast.employee, note="  Kurs  "))
    assert saved.expires_on == add_months(DAY, 36)
    assert (saved.source, saved.note, saved.recorded_by, saved.org_unit) == (
        Source.ENTERED, "Kurs", cast.leader, cast.unit_a)
    event = AuditEvent.objects.get(action="create", object_id=str(saved.pk))
    assert event.org_unit == cast.unit_a and event.after["completed_on"] == DAY.isoformat()


def test_it_keeps_a_given_expiry_and_no_expiry_for_a_course_that_does_not_expire(cast):
    given = services.record_training(actor=cast.coordinator, org_unit=cast.unit_a, data=data(
        cast.employee, expires_on=TODAY + dt.timedelta(days=5)))
    assert given.expires_on == TODAY + dt.timedelta(days=5)
    lasting = services.record_training(actor=cast.leader, org_unit=cast.unit_a,
                                       data=data(cast.safety_rep, "safety-rep-basic"))
    assert lasting.expires_on is None


@pytest.mark.parametrize("persona", ["employee", "safety_rep", "lab_leader", "outsider", "student"])
def test_it_refuses_someone_who_does_not_edit_the_unit(cast, persona):
    before = state()
    with pytest.raises(PermissionDenied):
        services.record_training(actor=getattr(cast, persona), org_unit=cast.unit_a,
                                 data=data(cast.employee))
    assert state() == before


@pytest.mark.parametrize(("person", "changes", "message"), [
    ("outsider", {}, "Choose a person of the unit."),
    ("employee", {"completed": TODAY + dt.timedelta(days=1)}, "The completion date is in the future."),
    ("employee", {"expires_on": DAY - dt.timedelta(days=1)},
     "The expiry date is before the completion date."),
])
def test_it_refuses_bad_input_and_changes_nothing(cast, english, person, changes, message):
    before = state()
    with pytest.raises(ServiceError) as error:
        services.record_training(actor=cast.leader, org_unit=cast.unit_a,
                                 data=data(getattr(cast, person), **changes))
    assert str(error.value.message) == message
    assert state() == before


def test_it_refuses_the_same_completion_twice(cast, english):
    record(cast.employee, "lab-safety", DAY)
    before = state()
    with pytest.raises(ServiceError, match="already has this course completed on that day"):
        services.record_training(actor=cast.leader, org_unit=cast.unit_a, data=data(cast.employee))
    assert state() == before


def test_it_corrects_a_record_and_audits_the_change(cast):
    saved = record(cast.employee, "lab-safety", DAY, org_unit=cast.unit_a)
    fresh = services.update_training(actor=cast.leader, record=saved, version=saved.version,
                                     data=data(cast.employee, "fire-safety", DAY, note="Rettet"))
    assert (fresh.course.code, fresh.expires_on, fresh.note, fresh.version) == (
        "fire-safety", add_months(DAY, 24), "Rettet", 2)
    event = AuditEvent.objects.get(action="update", object_id=str(saved.pk))
    assert event.before["course"] != event.after["course"]


def test_a_corrected_date_moves_the_expiry_the_course_gave_but_not_one_typed(cast):
    saved = record(cast.employee, "lab-safety", DAY, org_unit=cast.unit_a)
    later = DAY + dt.timedelta(days=30)
    # the edit form sends back the stored expiry with the corrected date
    fresh = services.update_training(actor=cast.leader, record=saved, version=saved.version,
                                     data={**data(cast.employee, "lab-safety", later),
                                           "expires_on": saved.expires_on})
    assert fresh.expires_on == add_months(later, 36)
    typed = DAY + dt.timedelta(days=400)
    fresh = services.update_training(actor=cast.leader, record=fresh, version=fresh.version,
                                     data={**data(cast.employee, "lab-safety", DAY),
                                           "expires_on": typed})
    assert fresh.expires_on == typed


def test_it_refuses_a_stale_correction_and_shows_the_other_one(cast):
    saved = record(cast.employee, "lab-safety", DAY)
    services.update_training(actor=cast.leader, record=saved, version=1,
                             data=data(cast.employee, note="First"))
    with pytest.raises(StaleEdit) as error:
        services.update_training(actor=cast.coordinator, record=saved, version=1,
                                 data=data(cast.employee, note="Second"))
    assert error.value.current.note == "First"
    assert TrainingRecord.objects.get(pk=saved.pk).note == "First"


def test_it_refuses_a_correction_onto_another_record_and_by_others(cast):
    record(cast.employee, "lab-safety", DAY)
    other = record(cast.employee, "lab-safety", DAY - dt.timedelta(days=5))
    with pytest.raises(ServiceError):
        services.update_training(actor=cast.leader, record=other, version=1,
                                 data=data(cast.employee))
    with pytest.raises(PermissionDenied):
        services.update_training(actor=cast.safety_rep, record=other, version=1,
                                 data=data(cast.employee, note="x"))
    assert TrainingRecord.objects.get(pk=other.pk).version == 1


def test_it_deletes_a_wrong_record_and_keeps_what_it_said(cast):
    saved = record(cast.employee, "lab-safety", DAY, org_unit=cast.unit_a)
    with pytest.raises(PermissionDenied):
        services.delete_training(actor=cast.outsider, record=saved)
    services.delete_training(actor=cast.leader, record=saved)
    assert not TrainingRecord.objects.exists()
    event = AuditEvent.objects.get(action="delete")
    assert event.before["completed_on"] == DAY.isoformat() and event.org_unit == cast.unit_a


# --- Import --------------------------------------------------------------------------------------

GOOD = """person,course,completed,expires
safety_rep@example.org,safety-rep-basic,2025-09-15,
employee,HMS-introduksjon for laboratoriearbeid,01.02.2025,01.02.2027
Lab_Leader,Fire safety training with extinguisher drill,2025-03-01,
"""


def test_it_imports_a_file_and_importing_it_again_changes_nothing(cast):
    report = services.import_trainings(actor=cast.leader, org_unit=cast.unit_a, upload=csv_file(GOOD))
    assert (report.ok, report.created, report.updated, report.unchanged) == (True, 3, 0, 0)
    basic = TrainingRecord.objects.get(person=cast.safety_rep)
    assert (basic.course.code, basic.expires_on, basic.source, basic.org_unit) == (
        "safety-rep-basic", None, Source.IMPORTED, cast.unit_a)
    assert TrainingRecord.objects.get(person=cast.employee).expires_on == dt.date(2027, 2, 1)
    assert TrainingRecord.objects.get(person=cast.lab_leader).expires_on == dt.date(2027, 3, 1)
    before = state()
    again = services.import_trainings(actor=cast.leader, org_unit=cast.unit_a, upload=csv_file(GOOD))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert state() == before


def test_it_updates_a_changed_expiry_on_reimport(cast):
    services.import_trainings(actor=cast.leader, org_unit=cast.unit_a, upload=csv_file(GOOD))
    changed = GOOD.replace("01.02.2027", "01.06.2027")
    report = services.import_trainings(actor=cast.leader, org_unit=cast.unit_a,
                                       upload=csv_file(changed))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    saved = TrainingRecord.objects.get(person=cast.employee)
    assert (saved.expires_on, saved.version) == (dt.date(2027, 6, 1), 2)
    assert AuditEvent.objects.filter(action="import:update", object_id=str(saved.pk)).exists()


def test_it_reads_bokmal_headers_and_excel(cast):
    upload = xlsx_file([["Person", "Kurs", "Fullført", "Utløper"],
                        ["handler", "deviation-handler", dt.date(2025, 5, 2), None]])
    report = services.import_trainings(actor=cast.coordinator, org_unit=cast.unit_a, upload=upload)
    assert report.ok and report.created == 1
    assert TrainingRecord.objects.get(person=cast.handler).completed_on == dt.date(2025, 5, 2)


BROKEN = """person,course,completed,expires
nobody,lab-safety,2025-01-01,
outsider,lab-safety,2025-01-01,
employee,knitting,2025-01-01,
employee,lab-safety,31.02.2025,
employee,lab-safety,2025-01-01,2024-12-31
employee,fire-safety,,
employee,fire-safety,2099-01-01,
employee,leader-hse,2025-01-01,soon
safety_rep,lab-safety,2025-01-01,
safety_rep,lab-safety,2025-01-01,2026-01-01
"""


def test_it_refuses_a_broken_file_whole_with_an_error_for_each_row(cast, english):
    before = state()
    report = services.import_trainings(actor=cast.leader, org_unit=cast.unit_a,
                                       upload=csv_file(BROKEN))
    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [
        (2, "person"), (3, "person"), (4, "course"), (5, "completed"), (6, "expires"),
        (7, "completed"), (8, "completed"), (9, "expires"), (11, "person")]
    messages = [e.message for e in report.errors]
    assert messages[0] == "No person has the username or e-mail “nobody”."
    assert messages[1] == "outsider has no role in a unit where you may record training."
    assert messages[2] == "No course has the code or name “knitting”."
    assert messages[3] == "“31.02.2025” is not a date (use 2026-03-01 or 01.03.2026)."
    assert messages[4] == "The expiry date is before the completion date."
    assert messages[5] == "The completion date is required."
    assert messages[6] == "The completion date is in the future."
    assert messages[8] == "The same training is on row 10."
    assert state() == before


def test_it_lets_a_superuser_import_for_anyone_and_refuses_others(cast):
    upload = csv_file("person,course,completed\noutsider,lab-safety,2025-01-01\n")
    assert services.import_trainings(actor=cast.admin, org_unit=cast.unit_b, upload=upload).created == 1
    with pytest.raises(PermissionDenied):
        services.import_trainings(actor=cast.safety_rep, org_unit=cast.unit_a, upload=csv_file(GOOD))


def test_it_refuses_an_import_of_a_person_whose_role_has_ended(cast):
    RoleAssignment.objects.filter(person=cast.employee).update(valid_to=TODAY - dt.timedelta(days=1))
    report = services.import_trainings(actor=cast.leader, org_unit=cast.unit_a, upload=csv_file(GOOD))
    assert [(e.row, e.column) for e in report.errors] == [(3, "person")]
    assert not TrainingRecord.objects.exists()


def test_it_refuses_a_file_without_the_required_columns(cast, english):
    with pytest.raises(ServiceError, match="lacks the column"):
        services.import_trainings(actor=cast.leader, org_unit=cast.unit_a,
                                  upload=csv_file("person,when\nemployee,2025-01-01\n"))
    assert not TrainingRecord.objects.exists()
