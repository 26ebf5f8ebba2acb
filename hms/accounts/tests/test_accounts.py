"""Signing in and out, password reset, rate limits, and the remembered language."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from hms.accounts.models import User

pytestmark = pytest.mark.django_db


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


def test_signing_in_switches_to_the_users_language(cast):
    cast.leader.language = "nb"
    cast.leader.save()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    page = client.post("/accounts/login/", {"login": "leader", "password": "pw"}, follow=True)
    assert "Mine tiltak" in page.content.decode()
