"""Issue 12, item 2: an anonymous report leaves nothing that links it to the person or the device
that sent it. A signed-in person reports anonymously through the form, and through a public
form; then every table, the application's log, the server's access log (as ./run configures it)
and the response headers are read back. docs/security.md, "What an anonymous report leaves
behind", lists what is kept."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from gunicorn.config import Config

from hms import gunicorn_conf
from hms.accounts.models import User
from hms.core import ratelimit
from hms.core.models import AuditEvent
from hms.core.roles import Role
from hms.deviations import services
from hms.deviations.models import Deviation, receipt_digest
from hms.deviations.tests.factories import deviation_type, photo
from hms.deviations.tests.traces import every_row, traces
from hms.org.models import RoleAssignment

pytestmark = pytest.mark.django_db

CLIENT_REQUEST_ID = "client-chosen-id-4711"
USER_AGENT = "Fingerprint/9.1 (reporter-device-55)"
ADDRESS = "203.0.113.77"
# What a report may write to (docs/security.md, "What an anonymous report leaves behind").
KEPT_TABLES = {"deviations_deviation", "deviations_attachment", "deviations_injurydetails",
               "core_auditevent", "core_notification", "hms_cache"}


@pytest.fixture
def reporter(cast: Any) -> User:
    person = User.objects.create_user("kari.nordbakken", "kari.nordbakken@example.net", "pw",
                                      first_name="Kari", last_name="Nordbakken")
    RoleAssignment.objects.create(person=person, org_unit=cast.unit_a, role=Role.EMPLOYEE)
    return person


class Device:
    """The reporter's browser, signed in: every request carries the same address, user agent and
    request id, and every response is kept."""

    def __init__(self, person: User) -> None:
        self.client = Client(HTTP_USER_AGENT=USER_AGENT, REMOTE_ADDR=ADDRESS,
                             HTTP_X_REQUEST_ID=CLIENT_REQUEST_ID)
        self.client.force_login(person)
        self.responses: list[Any] = []

    def get(self, url: str) -> Any:
        self.responses.append(self.client.get(url))
        return self.responses[-1]

    def post(self, url: str, data: dict[str, Any] | None = None) -> Any:
        self.responses.append(self.client.post(url, data or {}))
        return self.responses[-1]


def report_through_the_form(cast: Any, device: Device) -> Any:
    """Open the signed-in form; return what sends it, with anonymity chosen."""
    device.get(reverse("deviations:report"))
    return lambda: device.post(reverse("deviations:report"), {
        **_report(), "org_unit": cast.unit_a.pk, "safety_area": cast.area.pk, "anonymous": "on",
        "photos": [photo("kari.nordbakken.jpg")]})


def report_through_a_public_form(cast: Any, device: Device) -> Any:
    """Open a safety area's public form (signed in all the same); return what sends it."""
    url = reverse("deviations:public_report",
                  args=[services.public_link(actor=cast.safety_rep, area=cast.area).token])
    device.get(url)
    return lambda: device.post(url, _report())


def _report() -> dict[str, Any]:
    return {"deviation_type": deviation_type().pk, "title": "Anonymous tip",
            "description": "Blocked exit", "occurred_at": timezone.localtime().strftime(
                "%Y-%m-%dT%H:%M")}


@pytest.mark.parametrize("prepare", [report_through_the_form, report_through_a_public_form])
def test_an_anonymous_report_leaves_nothing_that_links_it_to_the_reporter(
        cast, reporter, caplog, mailoutbox, tmp_path, prepare):
    for name in ["", *logging.root.manager.loggerDict]:
        caplog.set_level(logging.DEBUG, logger=name)
    device = Device(reporter)
    device.get("/")  # an ordinary page: its access log line is written, without address or agent
    send = prepare(cast, device)
    before = every_row(skip=frozenset())
    response = send()
    assert response.status_code == 302, response.content
    secret = response["Location"].split("/")[3]
    assert device.get(response["Location"]).status_code == 200
    assert device.post(response["Location"]).status_code == 405  # Django logs this one
    written = every_row(skip=frozenset()) - before

    case = Deviation.objects.get()
    assert case.anonymous and case.reporter is None and case.receipt_digest == receipt_digest(secret)
    assert AuditEvent.objects.get(action="report").request_id == ""
    assert {row[0] for row in written} <= KEPT_TABLES  # the session, for one, is not written
    marks = (CLIENT_REQUEST_ID, USER_AGENT, ADDRESS, reporter.username, reporter.email,
             reporter.get_full_name(), secret)
    # The redirect's Location takes the receipt link to the reporter, and every response its
    # fresh request id; no other header has a mark …
    headers = str([[h for h in r.items() if h[0] != "Location"] for r in device.responses])
    assert not _marked(headers, marks)
    marks += tuple(r["X-Request-ID"] for r in device.responses)  # … and nothing else has those
    assert any("Anonymous tip" in str(row) for row in written)  # the report is there …
    assert traces(written, reporter, marks) == []  # … and nothing of who sent it, in any table
    assert caplog.records and not _marked(caplog.text, marks)
    assert not _marked(str([r.getMessage() for r in caplog.records]), marks)
    assert not _marked(str([(m.subject, m.body) for m in mailoutbox]), marks)
    lines = access_log(device.responses, tmp_path / "access.log").splitlines()
    assert len(lines) == 1 and '"GET / HTTP/1.1"' in lines[0]  # nothing of the report paths
    assert not _marked(lines[0], marks)


def _marked(text: str, marks: tuple[str, ...]) -> list[str]:
    return [mark for mark in marks if mark in text]


def access_log(responses: list[Any], path: Path) -> str:
    """The access log that gunicorn, configured by hms/gunicorn_conf.py as ./run starts it, writes
    for these responses."""
    config = Config()
    for name in ("access_log_format", "logger_class"):
        config.set(name, getattr(gunicorn_conf, name))
    config.set("accesslog", str(path))
    logger = config.logger_class(config)
    for response in responses:
        environ = dict(response.wsgi_request.environ)
        query = environ.get("QUERY_STRING", "")
        environ["RAW_URI"] = environ["PATH_INFO"] + (f"?{query}" if query else "")
        request = SimpleNamespace(headers=[(key[5:].replace("_", "-"), value)
                                           for key, value in environ.items()
                                           if key.startswith("HTTP_")])
        sent = SimpleNamespace(status=f"{response.status_code} {response.reason_phrase}",
                               sent=len(response.content), headers=list(response.items()))
        logger.access(sent, request, environ, dt.timedelta(milliseconds=12))
    for handler in logger.access_log.handlers:
        handler.close()
    logger.access_log.handlers.clear()
    return path.read_text(encoding="utf-8")


def test_a_client_never_chooses_the_request_id(client, settings):
    assert client.get("/health/", HTTP_X_REQUEST_ID="mine")["X-Request-ID"] != "mine"
    settings.HMS_TRUST_REQUEST_ID = True  # behind a proxy that sets it on every request
    assert client.get("/health/", HTTP_X_REQUEST_ID="proxy-1")["X-Request-ID"] == "proxy-1"
    report_page = client.get(reverse("deviations:public_report", args=["x"]),
                             HTTP_X_REQUEST_ID="proxy-2")
    assert len(report_page["X-Request-ID"]) == 32 and report_page["X-Request-ID"] != "proxy-2"


def test_a_named_report_keeps_its_request_id(cast, settings):
    settings.HMS_TRUST_REQUEST_ID = True
    client = Client(HTTP_X_REQUEST_ID="proxy-3")
    client.force_login(cast.employee)
    response = client.post(reverse("deviations:report"), {
        **_report(), "org_unit": cast.unit_a.pk, "safety_area": cast.area.pk})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="report")
    assert event.actor == cast.employee and event.request_id == response["X-Request-ID"]
    assert event.request_id != "proxy-3"  # the report paths never take one from outside


def test_the_rate_limit_keeps_no_address_and_a_new_hash_each_window(db, time_machine):
    request = RequestFactory().post("/", REMOTE_ADDR=ADDRESS)
    for hour in (10, 11):
        time_machine.move_to(dt.datetime(2030, 1, 7, hour, 30, tzinfo=dt.UTC))
        assert ratelimit.allow(request, "public_report", "5/h")
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM hms_cache")
        keys = [key for (key,) in cursor.fetchall() if "public_report" in key]
    assert len({key.split(":")[-2] for key in keys}) == 2  # the two hours cannot be matched
    assert ADDRESS not in str(keys)


def test_the_rate_limit_lasts_its_whole_window(db, time_machine):
    request = RequestFactory().post("/", REMOTE_ADDR=ADDRESS)
    time_machine.move_to(dt.datetime(2030, 1, 7, 10, 0, tzinfo=dt.UTC))
    assert ratelimit.allow(request, "public_report", "1/h")
    time_machine.move_to(dt.datetime(2030, 1, 7, 10, 50, tzinfo=dt.UTC))
    assert not ratelimit.allow(request, "public_report", "1/h")
    time_machine.move_to(dt.datetime(2030, 1, 7, 11, 0, tzinfo=dt.UTC))
    assert ratelimit.allow(request, "public_report", "1/h")
