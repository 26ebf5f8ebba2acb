"""Issue 14, item 5: an anonymous report's reported time is shown by its date alone, to handlers
and on the receipt, in the case's history and in the notifications it causes; a named report keeps
its time, and the time it happened stays as the reporter gave it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hms.core.models import AuditEvent, Notification
from hms.deviations import services
from hms.deviations.tests.factories import deviation_type

pytestmark = pytest.mark.django_db


def reported(cast, *, anonymous: bool):
    occurred = timezone.localtime().replace(second=0, microsecond=0) - dt.timedelta(hours=3)
    data = {"org_unit": cast.unit_a, "safety_area": cast.area, "deviation_type": deviation_type(),
            "title": "Spill by the fume hood", "description": "Acid on the floor.",
            "occurred_at": occurred}
    deviation, secret = services.report_deviation(actor=cast.employee, data=data,
                                                  anonymous=anonymous)
    return deviation, secret, occurred


def minute(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%H:%M}"


def page(user, url: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("anonymous", [True, False])
def test_the_handler_sees_an_anonymous_reports_date_and_a_named_reports_time(cast, anonymous):
    deviation, _secret, occurred = reported(cast, anonymous=anonymous)
    event = AuditEvent.objects.for_object(deviation).get(action="report")
    shown = page(cast.handler, reverse("deviations:detail", args=[deviation.pk]))
    assert (minute(deviation.reported_at) in shown) is not anonymous
    assert (minute(event.at) in shown) is not anonymous
    assert f"{timezone.localtime(deviation.reported_at):%d.%m.%Y}" in shown
    assert minute(occurred) in shown  # when it happened, as the reporter gave it


def test_the_receipt_shows_the_date_of_the_report_only(cast):
    deviation, secret, _occurred = reported(cast, anonymous=True)
    shown = Client().get(reverse("deviations:receipt", args=[secret])).content.decode()
    assert f"{timezone.localtime(deviation.reported_at):%d.%m.%Y}" in shown
    assert minute(deviation.reported_at) not in shown


@pytest.mark.parametrize("anonymous", [True, False])
def test_the_notifications_of_an_anonymous_report_show_their_date_only(cast, anonymous):
    reported(cast, anonymous=anonymous)
    note = Notification.objects.get(recipient=cast.handler)
    assert note.date_only is anonymous
    shown = page(cast.handler, reverse("core:notifications"))
    assert f"{timezone.localtime(note.created_at):%d.%m.%Y}" in shown
    assert (minute(note.created_at) in shown) is not anonymous
