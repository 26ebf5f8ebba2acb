"""Meetings where HSE is on the agenda: the leader–safety representative meeting (at least four a
year, seed point 4), the local and central working environment committees (LAMU/AMU) and staff
meetings with an HSE item. A meeting is planned (alone or as one of a recurring series), gets an
agenda suggested from the unit's records, is held with attendance and minutes, and its decisions
become measures in the action plan."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hms.core.roles import Action
from hms.meetings import access

# Internkontrollforskriften § 5 as NTNU reads it: fixed leader–VO meetings, at least four a year.
LEADER_VO_MINIMUM = 4


class Kind(models.TextChoices):
    LEADER_VO = "leader_vo", _("Leader–safety representative meeting")
    LAMU = "lamu", _("Local working environment committee (LAMU)")
    AMU = "amu", _("Working environment committee (AMU)")
    STAFF = "staff", _("Staff meeting with an HSE item")


class Status(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held, minutes written")
    CANCELLED = "cancelled", _("Cancelled")


class Interval(models.IntegerChoices):
    MONTHLY = 1, _("Every month")
    BIMONTHLY = 2, _("Every second month")
    QUARTERLY = 3, _("Every quarter")
    HALF_YEARLY = 6, _("Every half year")


class MeetingSeries(models.Model):
    """A recurring schedule: its meetings are planned up front and can each be moved or cancelled."""

    org_unit = models.ForeignKey("org.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT,
                                 related_name="meeting_series")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    interval = models.PositiveSmallIntegerField(_("how often"), choices=Interval.choices)
    first_at = models.DateTimeField(_("first meeting"))
    count = models.PositiveSmallIntegerField(
        _("number of meetings"), validators=[MinValueValidator(2), MaxValueValidator(24)])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")

    def __str__(self) -> str:
        return self.title


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def visible_to(self, user: Any, action: str = Action.VIEW) -> MeetingQuerySet:
        return self.filter(access.meeting_q(user, action))

    def held_in(self, year: int) -> MeetingQuerySet:
        return self.filter(status=Status.HELD, starts_at__year=year)


class Meeting(models.Model):
    org_unit = models.ForeignKey("org.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT,
                                 related_name="meetings")
    series = models.ForeignKey(MeetingSeries, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="meetings")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    safety_area = models.ForeignKey(
        "org.SafetyArea", verbose_name=_("safety area"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="meetings",
        help_text=_("For a leader–safety representative meeting: the area whose representative takes part."))
    starts_at = models.DateTimeField(_("starts"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=60, validators=[MinValueValidator(5), MaxValueValidator(600)])
    location = models.CharField(_("place"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.PLANNED)
    summary = models.TextField(_("minutes: summary"), blank=True, max_length=10_000)
    minutes_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("minutes written by"),
                                   null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    minutes_at = models.DateTimeField(_("minutes completed"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = MeetingQuerySet.as_manager()

    AUDITED_FIELDS = ["kind", "title", "safety_area", "starts_at", "duration_minutes", "location",
                      "status", "summary", "minutes_by", "minutes_at"]
    EDITABLE_FIELDS = ["kind", "title", "safety_area", "starts_at", "duration_minutes", "location"]

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["org_unit", "kind", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.title} {timezone.localtime(self.starts_at):%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", args=[self.pk])

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)

    @property
    def is_open(self) -> bool:
        """Agenda, attendance and minutes can still be written."""
        return self.status == Status.PLANNED


class Attendee(models.Model):
    """Someone invited: a person with an account, or a named guest (the occupational health
    service, a union representative). `present` is recorded when the meeting is held."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.CASCADE, related_name="meeting_invitations")
    guest_name = models.CharField(_("guest"), max_length=200, blank=True)
    is_health_service = models.BooleanField(_("from the occupational health service"), default=False)
    present = models.BooleanField(_("present"), default=False)

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        ordering = ["guest_name", "person__last_name", "person__first_name", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="invited_once")]

    def __str__(self) -> str:
        if self.person_id:
            return str(self.person)
        return self.guest_name or str(_("Occupational health service"))


class Source(models.TextChoices):
    MANUAL = "manual", _("Added by hand")
    STANDING = "standing", _("Standing item")
    DEVIATION = "deviation", _("New deviation")
    MEASURE = "measure", _("Overdue measure")
    RISK_REVIEW = "risk_review", _("Risk review due")
    ROUND = "round", _("HSE round due")


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("item"), max_length=300)
    description = models.TextField(_("background"), blank=True, max_length=5_000)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices,
                              default=Source.MANUAL)
    record_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    record_id = models.PositiveBigIntegerField(null=True, blank=True)
    record = GenericForeignKey("record_type", "record_id")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("raised by"), null=True,
                                  on_delete=models.SET_NULL, related_name="+")
    raised_by_safety_rep = models.BooleanField(_("raised by the safety representative"), default=False)
    minutes = models.TextField(_("minutes"), blank=True, max_length=10_000)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "id"]

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    """What the meeting decided; a decision to act becomes a measure in the unit's action plan."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    item = models.ForeignKey(AgendaItem, verbose_name=_("agenda item"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="decisions")
    text = models.TextField(_("decision"), max_length=2_000)
    measure = models.OneToOneField("measures.Measure", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="meeting_decision")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", args=[self.meeting_id]) + f"#decision-{self.pk}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The secret address of a person's calendar feed: calendar programs cannot sign in, so the
    token is the key. A new token makes the old address stop working."""

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.person)
