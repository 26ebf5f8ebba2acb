"""The occupational health service (bedriftshelsetjeneste, BHT): who the unit's service is and how
to reach it, and a log of when it was involved in the unit's HSE work (domain.md 0.1 point 15,
6.4). A unit without a contact of its own uses the nearest one above it: a university-wide
service registered on the root is the common case, and a faculty may have its own."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from hms.core.roles import Action
from hms.health import access

PHONE_CHARACTERS = re.compile(r"^\+?[\d\s().-]+$", re.ASCII)


def validate_phone(value: str) -> None:
    """Loose on purpose: digits, spaces, brackets, dots and dashes after an optional +, with 5 to
    15 digits (short internal numbers and international ones both pass)."""
    digits = sum(character.isdigit() for character in value)
    if not PHONE_CHARACTERS.match(value) or not 5 <= digits <= 15:
        raise ValidationError(
            _("Enter a phone number: digits, spaces and an optional leading +, e.g. +47 73 00 00 00."),
            code="invalid_phone")


class HealthServiceContact(models.Model):
    """The occupational health service as a unit knows it. Units below it without their own
    contact show this one, saying where it comes from."""

    org_unit = models.OneToOneField("org.OrgUnit", verbose_name=_("unit"), on_delete=models.CASCADE,
                                    related_name="health_contact")
    service = models.CharField(_("occupational health service"), max_length=200,
                               help_text=_("The name of the service, e.g. the company or the "
                                           "university's own health service."))
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True, validators=[validate_phone])
    email = models.EmailField(_("e-mail"), blank=True)
    web = models.URLField(_("web address"), blank=True, max_length=300)
    address = models.TextField(_("office or visiting address"), blank=True, max_length=500)
    booking = models.TextField(_("how to book"), blank=True, max_length=2_000,
                               help_text=_("How employees and leaders get an appointment."))
    note = models.TextField(_("note"), blank=True, max_length=2_000)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("changed by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    version = models.PositiveIntegerField(default=1)

    EDITABLE_FIELDS = ["service", "contact_person", "phone", "email", "web", "address", "booking",
                       "note"]
    AUDITED_FIELDS = EDITABLE_FIELDS

    class Meta:
        verbose_name = _("occupational health service contact")
        verbose_name_plural = _("occupational health service contacts")

    def __str__(self) -> str:
        return self.service


class Kind(models.TextChoices):
    OVERALL_MAPPING = "overall_mapping", _("Overall risk mapping")
    RISK_ASSESSMENT = "risk_assessment", _("Risk assessment")
    HSE_ROUND = "hse_round", _("HSE round")
    MEETING = "meeting", _("Meeting")
    HEALTH_EXAMINATION = "health_examination", _("Targeted health examination")
    DIALOGUE_MEETING = "dialogue_meeting", _("Dialogue meeting (sick-leave follow-up)")
    SURVEY = "survey", _("Work environment survey")
    TRAINING = "training", _("Training")
    OTHER = "other", _("Other")


# Entries about one person's health (a targeted examination, a sick-leave dialogue meeting): in a
# small unit their date alone can name the person, so only the unit's leaders and HSE
# coordinators read them.
PERSONAL_KINDS = (Kind.HEALTH_EXAMINATION, Kind.DIALOGUE_MEETING)


class InvolvementQuerySet(models.QuerySet["Involvement"]):
    def visible_to(self, user: Any, action: str = Action.VIEW) -> InvolvementQuerySet:
        return self.filter(access.involvement_q(user, action))

    def for_record(self, record: models.Model) -> InvolvementQuerySet:
        """The entries that concern `record` (a round, an assessment, a meeting …)."""
        return self.filter(record_type=ContentType.objects.get_for_model(record),
                           record_id=record.pk)


class Involvement(models.Model):
    """One time the occupational health service took part in the unit's HSE work. Dialogue
    meetings are logged without names or health information: the log shows that the service was
    used, not whom it helped."""

    org_unit = models.ForeignKey("org.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT,
                                 related_name="health_involvements")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    description = models.TextField(
        _("description"), max_length=2_000,
        help_text=_("What the service helped with. No names or health information."))
    record_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    record_id = models.PositiveBigIntegerField(null=True, blank=True)
    record = GenericForeignKey("record_type", "record_id")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = InvolvementQuerySet.as_manager()

    AUDITED_FIELDS = ["date", "kind", "description", "record_type", "record_id"]

    class Meta:
        verbose_name = _("occupational health service involvement")
        verbose_name_plural = _("occupational health service involvements")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["org_unit", "date"]),
                   models.Index(fields=["record_type", "record_id"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d.%m.%Y}"
