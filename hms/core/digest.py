"""The daily reminder digest: one e-mail per person a day, with a section from every part of the
product that has something due for them (measures, risk reviews, deviations, training, delegations
and rounds).

Each section finds what is due per recipient and claims it in its own reminder table, whose unique
key (record, recipient, day) lets a record into a person's digest at most once a day however many
runs there are. Each app registers its sections in its AppConfig.ready (`register`, at an order
number that places them in the mail). A person's claims are made together, before the mail is
sent: a clash with a concurrent run means that run has them, and this one sends that person
nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from hms.core import registry


class Section(Protocol):
    template: str  # renders `records` (and `day`, `site_url`) as plain text

    def due(self, day: dt.date) -> dict[int, list[Any]]:
        """Records due, by the pk of the person to remind."""

    def claim(self, recipient: Any, records: list[Any], day: dt.date) -> None:
        """Note the records as sent today; IntegrityError when another run already did."""


SECTIONS: dict[int, type[Section]] = {}


def register(order: int, section: type[Section]) -> None:
    registry.register(SECTIONS, order, section)


def sections() -> list[Section]:
    return [section() for section in registry.in_order(SECTIONS)]


def send_digests(*, day: dt.date) -> int:
    """Mail everyone who has something due; returns how many e-mails were sent."""
    found = [(section, section.due(day)) for section in sections()]
    recipient_ids = sorted({pk for _section, due in found for pk in due})
    people = get_user_model().objects.filter(pk__in=recipient_ids, is_active=True).exclude(email="").in_bulk()
    sent = 0
    for pk in recipient_ids:
        recipient = people.get(pk)
        if recipient is None:
            continue
        parts = [(section, due[pk]) for section, due in found if due.get(pk)]
        try:
            with transaction.atomic():
                for section, records in parts:
                    section.claim(recipient, records, day)
        except IntegrityError:
            continue
        _send(recipient, parts, day)
        sent += 1
    return sent


def _send(recipient: Any, parts: list[tuple[Section, list[Any]]], day: dt.date) -> None:
    with translation.override(recipient.language):
        context = {"day": day, "site_url": settings.SITE_URL}
        body = render_to_string("core/email/digest.txt", {
            "recipient": recipient,
            "sections": [render_to_string(section.template, {**context, "records": records})
                         for section, records in parts],
        })
        subject = _("HSE reminders: %(count)d") % {
            "count": sum(len(records) for _section, records in parts)}
    send_mail(subject, body, None, [recipient.email])
