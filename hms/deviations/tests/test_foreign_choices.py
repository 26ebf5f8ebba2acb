"""A report names only a safety area of the unit it is reported in (issue 12): another faculty's
area is refused with a message, nothing is saved and nobody is told."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hms.core.roles import Role
from hms.deviations.models import Deviation
from hms.deviations.tests.factories import deviation_type
from hms.org.models import RoleAssignment, SafetyArea

pytestmark = pytest.mark.django_db


def test_a_report_with_another_facultys_safety_area_is_refused_and_tells_nobody(cast):
    area_b = SafetyArea.objects.create(org_unit=cast.unit_b, code="b-lab", name="B labs")
    area_b.units.add(cast.unit_b)
    RoleAssignment.objects.create(person=cast.outsider, org_unit=cast.unit_b, role=Role.SAFETY_REP,
                                  safety_area=area_b)
    client = Client()
    client.force_login(cast.employee)
    typed = {"deviation_type": deviation_type().pk, "title": "Wet floor", "description": "Slippery",
             "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
             "org_unit": cast.unit_a.pk, "safety_area": area_b.pk}
    response = client.post(reverse("deviations:report"), typed)
    assert response.status_code == 200
    assert "safety_area" in response.context["form"].errors
    assert "Slippery" in response.content.decode()
    assert not Deviation.objects.exists() and not mail.outbox
    typed["safety_area"] = cast.area.pk
    assert client.post(reverse("deviations:report"), typed).status_code == 302
    assert Deviation.objects.get().safety_area == cast.area


def test_an_area_of_a_sub_unit_or_of_the_unit_above_fits_the_report(cast):
    section_area = SafetyArea.objects.create(org_unit=cast.section_a1, code="a1-lab", name="A1 lab")
    section_area.units.add(cast.section_a1)
    assert set(SafetyArea.objects.serving(cast.unit_a)) == {cast.area, section_area}
    assert set(SafetyArea.objects.serving(cast.section_a1)) == {cast.area, section_area}
    assert set(SafetyArea.objects.serving(cast.unit_b)) == set()


def test_the_service_refuses_an_area_of_another_unit_whatever_the_caller(cast):
    from django.core.exceptions import PermissionDenied

    from hms.deviations.tests.factories import report

    with pytest.raises(PermissionDenied):
        report(cast, by=cast.employee, org_unit=cast.unit_b)
    assert not Deviation.objects.exists()
    assert report(cast, by=cast.employee, safety_area=None, org_unit=cast.unit_b).org_unit == cast.unit_b
