from __future__ import annotations

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory

from hms.core import audit
from hms.core.middleware import request_id_var
from hms.core.models import AuditEvent
from hms.org.models import SafetyArea

pytestmark = pytest.mark.django_db


def test_audit_rows_cannot_be_changed_or_deleted(cast):
    event = audit.record(actor=cast.leader, action="test", obj=cast.unit_a, after={"a": 1})
    event.action = "forged"
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.filter(pk=event.pk).update(action="forged")
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get().action == "test"


def test_the_admin_offers_no_way_to_edit_audit_rows(cast):
    request = RequestFactory().get("/")
    request.user = cast.admin
    model_admin = site._registry[AuditEvent]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    client = Client()
    client.force_login(cast.admin)
    assert client.get("/admin/core/auditevent/").status_code == 200
    event = audit.record(actor=cast.leader, action="test", obj=cast.unit_a)
    assert client.post(f"/admin/core/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_it_records_the_request_id(cast):
    token = request_id_var.set("req-123")
    try:
        event = audit.record(actor=None, action="test", obj=cast.unit_a)
    finally:
        request_id_var.reset(token)
    assert event.request_id == "req-123" and event.actor is None


def test_every_response_carries_a_request_id(client, settings):
    settings.HMS_TRUST_REQUEST_ID = True  # behind a proxy that sets it
    response = client.get("/health/", HTTP_X_REQUEST_ID="abc")
    assert response["X-Request-ID"] == "abc"
    assert len(client.get("/health/")["X-Request-ID"]) == 32


def test_admin_edits_of_domain_records_are_audited(cast):
    client = Client()
    client.force_login(cast.admin)
    area = SafetyArea.objects.get()
    response = client.post(f"/admin/org/safetyarea/{area.pk}/change/", {
        "org_unit": cast.unit_a.pk, "code": "a-lab", "name": "A laboratories", "units": [cast.unit_a.pk],
        "locations": "", "risk_level": "high"})
    assert response.status_code == 302
    event = AuditEvent.objects.for_object(area).get()
    assert event.before["name"] == "A labs" and event.after["name"] == "A laboratories"
    assert event.actor == cast.admin


def test_the_unit_page_shows_its_history(cast, client):
    audit.record(actor=cast.admin, action="import:update", obj=cast.unit_a,
                 before={"name": "Old A"}, after={"name": "Department A"})
    client.force_login(cast.leader)
    page = client.get(f"/org/units/{cast.unit_a.pk}/").content.decode()
    assert "Old A" in page and "Endret ved import" in page and "import:update" not in page


def test_admin_changes_to_covered_units_bulk_deletes_and_user_rights_are_audited(cast):
    client = Client()
    client.force_login(cast.admin)
    area = SafetyArea.objects.get()
    client.post(f"/admin/org/safetyarea/{area.pk}/change/", {
        "org_unit": cast.unit_a.pk, "code": "a-lab", "name": "A labs",
        "units": [cast.unit_a.pk, cast.section_a1.pk], "locations": "", "risk_level": "high"})
    event = AuditEvent.objects.for_object(area).get()
    assert event.before["units"] == ["Department A"]
    assert event.after["units"] == ["Department A", "Section A1"]

    spare = SafetyArea.objects.create(org_unit=cast.unit_b, code="b-x", name="B spare")
    client.post("/admin/org/safetyarea/", {"action": "delete_selected", "_selected_action": [spare.pk],
                                           "post": "yes"})
    assert not SafetyArea.objects.filter(pk=spare.pk).exists()
    assert AuditEvent.objects.for_object(spare).get().action == "admin:delete"

    user = cast.employee
    data = {"username": user.username, "email": user.email, "first_name": user.first_name,
            "last_name": user.last_name, "is_active": "on", "is_superuser": "on", "language": "nb",
            "date_joined_0": "2026-01-01", "date_joined_1": "08:00:00"}
    assert client.post(f"/admin/accounts/user/{user.pk}/change/", data).status_code == 302
    granted = AuditEvent.objects.for_object(user).get()
    assert granted.before["is_superuser"] is False and granted.after["is_superuser"] is True
    assert "password" not in granted.after


def test_the_admin_sign_in_goes_through_the_rate_limited_form(db):
    response = Client().get("/admin/login/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
