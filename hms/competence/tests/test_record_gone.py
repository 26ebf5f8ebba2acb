"""A training record deleted while someone corrects it (issue 12): the correction is refused with
a clear message and the form keeps what was typed; a second delete is refused as well, leaving
one delete in the audit trail; and a real delete and save at once never fail."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from hms.competence import services
from hms.competence.models import Course, TrainingRecord
from hms.competence.tests.factories import course, record
from hms.core.errors import RecordGone
from hms.core.models import AuditEvent
from hms.core.tests.races import race

DAY = timezone.localdate() - dt.timedelta(days=100)
GONE = "Someone else deleted this record while you were working on it"
DELETE = services.delete_training  # the service itself, also while a test replaces it


def client_for(user) -> Client:
    user.language = "en"
    user.save(update_fields=["language"])
    client = Client()
    client.force_login(user)
    return client


def deleted_first(cast, call):
    """The service, with the record deleted by someone else just before it runs: after the
    view's access check, before the write."""
    def run(**kwargs):
        DELETE(actor=cast.coordinator, record=kwargs["record"])
        return call(**kwargs)
    return run


@pytest.mark.django_db
def test_the_edit_page_of_a_record_deleted_meanwhile_says_so_and_keeps_what_was_typed(cast):
    saved = record(cast.employee, "lab-safety", DAY, org_unit=cast.unit_a)
    typed = {"course": course("fire-safety").pk, "completed_on": DAY.isoformat(),
             "note": "Typed with care", "version": 1}
    with mock.patch.object(services, "update_training",
                           deleted_first(cast, services.update_training)):
        response = client_for(cast.leader).post(f"/competence/records/{saved.pk}/", typed)
    assert response.status_code == 200
    page = response.content.decode()
    assert GONE in page and "Typed with care" in page
    assert response.context["form"].data["note"] == "Typed with care"
    assert not TrainingRecord.objects.exists()
    assert not AuditEvent.objects.filter(action="update").exists()


@pytest.mark.django_db
def test_a_record_deleted_meanwhile_is_not_deleted_twice(cast):
    saved = record(cast.employee, "lab-safety", DAY, org_unit=cast.unit_a)
    loaded = TrainingRecord.objects.get(pk=saved.pk)
    services.delete_training(actor=cast.coordinator, record=saved)
    with pytest.raises(RecordGone):
        services.delete_training(actor=cast.leader, record=loaded)
    assert AuditEvent.objects.filter(action="delete").count() == 1


@pytest.mark.django_db
def test_the_delete_button_of_a_record_deleted_meanwhile_says_so(cast):
    saved = record(cast.employee, "lab-safety", DAY, org_unit=cast.unit_a)
    with mock.patch.object(services, "delete_training",
                           deleted_first(cast, services.delete_training)):
        response = client_for(cast.leader).post(f"/competence/records/{saved.pk}/delete/",
                                                follow=True)
    assert "Someone else deleted this training record already." in response.content.decode()
    assert AuditEvent.objects.filter(action="delete").count() == 1


@pytest.mark.django_db
def test_the_audit_trail_keeps_what_the_record_said_last(cast):
    saved = record(cast.employee, "lab-safety", DAY, org_unit=cast.unit_a)
    loaded = TrainingRecord.objects.get(pk=saved.pk)
    services.update_training(actor=cast.coordinator, record=saved, version=1, data={
        "person": cast.employee, "course": course("lab-safety"), "completed_on": DAY,
        "note": "Corrected meanwhile"})
    services.delete_training(actor=cast.leader, record=loaded)
    assert AuditEvent.objects.get(action="delete").before["note"] == "Corrected meanwhile"


@pytest.mark.django_db(transaction=True)
def test_a_delete_and_a_correction_at_once_never_fail(cast):
    # A transactional test may follow another one, whose flush took the migrations' courses.
    Course.objects.get_or_create(code="lab-safety", defaults={
        "name_nb": "Laboratoriesikkerhet", "name_en": "Laboratory safety", "validity_months": 36})
    for attempt in range(12):
        saved = record(cast.employee, "lab-safety", DAY - dt.timedelta(days=attempt),
                       org_unit=cast.unit_a)
        loaded = TrainingRecord.objects.get(pk=saved.pk)
        unexpected = race(
            lambda saved=saved: services.delete_training(actor=cast.coordinator, record=saved),
            lambda loaded=loaded: services.update_training(
                actor=cast.leader, record=loaded, version=1,
                data={"person": cast.employee, "course": loaded.course,
                      "completed_on": loaded.completed_on, "note": "Typed"}))
        assert unexpected == []
        assert not TrainingRecord.objects.filter(pk=saved.pk).exists()
