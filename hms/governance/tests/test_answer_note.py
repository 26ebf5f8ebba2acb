"""Only the delegate accepts or declines a delegated task, and the page says so (issue 14): the
leader and others who see an awaiting delegation read who answers it and that they were told; the
delegate answers, or, when its period ended first, reads whom to ask."""

from __future__ import annotations

import html

import pytest
from django.test import Client
from django.urls import reverse

from hms.accounts.models import User
from hms.core.models import Notification
from hms.governance.tests.factories import accepted, delegation, expire

pytestmark = pytest.mark.django_db


def page_for(user, found, language="en"):
    User.objects.filter(pk=user.pk).update(language=language)
    client = Client()
    client.force_login(user)
    return html.unescape(client.get(reverse("governance:delegation", args=[found.pk])).content.decode())


def test_those_who_see_an_awaiting_delegation_read_that_only_the_delegate_answers(cast):
    found = delegation(cast)
    text = page_for(cast.leader, found)
    assert ("Only Employee Tester, to whom the task is delegated, can accept or decline it. They "
            "were told when it was delegated, and the daily e-mail reminds them after 3 days.") in text
    assert 'id="accept-' not in text
    assert Notification.objects.filter(recipient=cast.employee, url=found.get_absolute_url()).exists()
    assert "Bare Employee Tester, som oppgaven er delegert til, kan godta eller avslå den." in (
        page_for(cast.coordinator, found, "nb"))
    mine = page_for(cast.employee, found)
    assert 'id="accept-' in mine and 'id="who-answers"' not in mine


def test_the_delegate_of_a_delegation_that_ended_unanswered_reads_whom_to_ask(cast):
    found = expire(delegation(cast))
    text = page_for(cast.employee, found)
    assert ("The period of this delegation ended before you answered: ask Leader Tester for a new "
            "one if the task still applies.") in text
    assert 'id="accept-' not in text


def test_an_answered_delegation_says_nothing_of_who_answers(cast):
    assert 'id="who-answers"' not in page_for(cast.leader, accepted(cast))
