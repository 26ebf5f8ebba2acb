from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from hms.accounts.models import User
from hms.core.models import Notification

pytestmark = pytest.mark.django_db
HMS = Path(settings.BASE_DIR) / "hms"


def test_the_language_switch_is_remembered_for_the_user(cast):
    client = Client()
    client.force_login(cast.employee)
    assert "Mine tiltak" in client.get("/").content.decode()
    response = client.post("/me/language/", {"language": "en", "next": "/measures/mine/"})
    assert response["Location"] == "/measures/mine/"
    assert User.objects.get(pk=cast.employee.pk).language == "en"
    other_device = Client()
    other_device.force_login(cast.employee)
    assert "My measures" in other_device.get("/").content.decode()


def test_the_language_switch_refuses_foreign_redirects_and_unknown_languages(cast):
    client = Client()
    client.force_login(cast.employee)
    assert client.post("/me/language/", {"language": "en", "next": "https://evil.example/"})[
        "Location"] == "/"
    client.post("/me/language/", {"language": "xx"})
    assert User.objects.get(pk=cast.employee.pk).language == "en"


def test_anonymous_visitors_can_switch_language_on_the_login_page(db):
    client = Client()
    response = client.post("/me/language/", {"language": "en", "next": "/accounts/login/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Sign in to HMS" in client.get("/accounts/login/").content.decode()


def test_login_by_username_or_email_and_the_demo_logins_in_demo_mode(cast, settings):
    settings.DEMO_MODE = True
    client = Client()
    assert "safetyrep" in client.get("/accounts/login/").content.decode()
    assert client.post("/accounts/login/", {"login": "leader", "password": "pw"}).status_code == 302
    client.logout()
    assert client.post("/accounts/login/", {"login": "leader@example.org", "password": "pw"}
                       ).status_code == 302
    bad = Client().post("/accounts/login/", {"login": "leader", "password": "wrong"})
    assert bad.status_code == 200


def test_the_demo_logins_are_not_shown_outside_demo_mode(db, settings):
    settings.DEMO_MODE = False
    assert "safetyrep" not in Client().get("/accounts/login/").content.decode()


def test_repeated_failed_logins_are_rate_limited(cast):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    pages = [client.post("/accounts/login/", {"login": "leader", "password": f"x{i}"}).content.decode()
             for i in range(6)]
    assert "Too many failed login attempts" not in pages[0]
    assert "Too many failed login attempts" in pages[-1]
    still_blocked = client.post("/accounts/login/", {"login": "leader", "password": "pw"})
    assert still_blocked.status_code == 200


def test_password_reset_sends_an_email(cast, mailoutbox):
    Client().post("/accounts/password/reset/", {"email": "leader@example.org"})
    assert len(mailoutbox) == 1 and "leader" in mailoutbox[0].body


def test_notifications_are_listed_and_marked_read(cast):
    Notification.objects.create(recipient=cast.employee, message="Look here", url="/measures/mine/")
    client = Client()
    client.force_login(cast.employee)
    home = client.get("/").content.decode()
    assert "Look here" in home and 'class="badge"' in home
    client.post("/notifications/read/")
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert 'class="badge"' not in client.get("/").content.decode()


def test_pages_send_a_strict_content_security_policy(cast):
    client = Client()
    client.force_login(cast.employee)
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_templates_have_no_inline_scripts_and_load_nothing_from_elsewhere():
    for path in HMS.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<script>[^<]|\son(click|change|submit|load|input)=", text), path
        assert not re.search(r'(src|href)="(https?:)?//', text), path


def test_the_unit_switcher_lists_my_units_and_goes_there(cast):
    client = Client()
    client.force_login(cast.coordinator)
    assert "Faculty F" in client.get("/").content.decode()
    response = client.get(f"/org/switch/?unit={cast.unit_a.pk}")
    assert response["Location"] == f"/org/units/{cast.unit_a.pk}/"


def test_the_scheduler_command_ticks_once(db, capsys, time_machine):
    time_machine.move_to("2026-11-25 09:00 +01:00")
    call_command("run_scheduler", "--once")
    assert "enqueued measure-digest:2026-11-25" in capsys.readouterr().out
    call_command("run_scheduler", "--once")
    assert capsys.readouterr().out == ""


def test_seed_demo_builds_the_university_once(db, capsys):
    call_command("seed_demo")
    assert User.objects.count() >= 150
    for name in ("leader", "safetyrep", "coordinator", "employee", "student", "outsider", "admin"):
        assert User.objects.get(username=name).check_password("demo")
    call_command("seed_demo")
    assert "no demo data added" in capsys.readouterr().out


@pytest.mark.parametrize(("persona", "unit"), [("employee", "unit_a"), ("coordinator", "faculty_f"),
                                               ("student", None), ("outsider", "unit_b")])
def test_the_navigation_links_to_the_highest_plan_the_person_may_see(cast, persona, unit):
    client = Client()
    client.force_login(cast.users[persona])
    nav = client.get("/").content.decode().split("</nav>")[0]
    links = re.findall(r'href="/measures/units/(\d+)/"', nav)
    assert links == ([str(getattr(cast, unit).pk)] if unit else [])


def test_signing_in_switches_to_the_users_language(cast):
    cast.leader.language = "nb"
    cast.leader.save()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    page = client.post("/accounts/login/", {"login": "leader", "password": "pw"}, follow=True)
    assert "Mine tiltak" in page.content.decode()


def test_the_page_names_its_icon_so_browsers_ask_for_no_favicon_ico(cast):
    client = Client()
    client.force_login(cast.employee)
    assert 'rel="icon"' in client.get("/").content.decode()
