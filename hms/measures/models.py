"""The HSE action plan (handlingsplan): every measure from every module lives here."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hms.core.roles import Action
from hms.measures import access
from hms.org import access as org_access


class Origin(models.TextChoices):
    MANUAL = "manual", _("Entered directly")
    RISK_ROW = "risk_row", _("Risk assessment row")
    ROUND_FINDING = "round_finding", _("HSE round finding")
    DEVIATION = "deviation", _("Deviation")
    MEETING = "meeting", _("Meeting")
    GOAL = "goal", _("HSE goal")
    SURVEY = "survey", _("Work environment survey")
    ANNUAL_REPORT = "annual_report", _("Annual HSE report")


class Priority(models.IntegerChoices):
    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")
    CRITICAL = 4, _("Critical")


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    VERIFIED = "verified", _("Verified (effect checked)")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

# The workflow: (from, to) → the action it takes. Anything not listed is not allowed.
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.OPEN, Status.IN_PROGRESS): Action.PROGRESS,
    (Status.OPEN, Status.DONE): Action.PROGRESS,
    (Status.IN_PROGRESS, Status.DONE): Action.PROGRESS,
    (Status.IN_PROGRESS, Status.OPEN): Action.PROGRESS,
    (Status.DONE, Status.VERIFIED): Action.VERIFY,
    (Status.DONE, Status.IN_PROGRESS): Action.VERIFY,
    (Status.OPEN, Status.CANCELLED): Action.VERIFY,
    (Status.IN_PROGRESS, Status.CANCELLED): Action.VERIFY,
    (Status.CANCELLED, Status.OPEN): Action.VERIFY,
}


def today() -> dt.date:
    return timezone.localdate()


class MeasureQuerySet(models.QuerySet["Measure"]):
    def visible_to(self, user: Any, action: str = Action.VIEW) -> MeasureQuerySet:
        return self.filter(access.measure_q(user, action))

    def in_plan(self, user: Any, unit: Any, *, subtree: bool = True) -> MeasureQuerySet:
        """The measures of a unit's action plan (with its sub-units) that the user may see."""
        from hms.org.models import OrgUnit

        units = (OrgUnit.objects.filter(path__startswith=unit.path).values("pk") if subtree
                 else [unit.pk])
        return self.filter(org_unit__in=units).filter(
            org_access.q_below(access.measure_q, user, Action.VIEW, unit))

    def open(self) -> MeasureQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, on: dt.date | None = None) -> MeasureQuerySet:
        return self.open().filter(deadline__lt=on or today())

    def due_within(self, days: int, on: dt.date | None = None) -> MeasureQuerySet:
        """Open measures overdue or due within `days` days."""
        day = on or today()
        return self.open().filter(deadline__lte=day + dt.timedelta(days=days))


class Measure(models.Model):
    org_unit = models.ForeignKey("org.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT,
                                 related_name="measures")
    safety_area = models.ForeignKey("org.SafetyArea", verbose_name=_("safety area"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="measures")
    title = models.CharField(_("measure"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=10_000)
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices,
                              default=Origin.MANUAL)
    origin_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    origin_id = models.PositiveBigIntegerField(null=True, blank=True)
    origin_record = GenericForeignKey("origin_type", "origin_id")
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("responsible"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="measures_responsible")
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices,
                                                default=Priority.MEDIUM)
    cost_estimate = models.DecimalField(
        _("cost estimate (NOK)"), max_digits=12, decimal_places=0, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(10**11)],
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.OPEN)
    done_date = models.DateField(_("done date"), null=True, blank=True)
    effect_note = models.TextField(_("effect check"), blank=True, max_length=10_000)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True, max_length=10_000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = MeasureQuerySet.as_manager()

    AUDITED_FIELDS = [
        "title", "description", "safety_area", "responsible", "deadline", "priority",
        "cost_estimate", "status", "done_date", "effect_note", "cancel_reason",
    ]

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["deadline", "-priority", "id"]
        indexes = [
            models.Index(fields=["org_unit", "status", "deadline"]),
            models.Index(fields=["responsible", "status", "deadline"]),
            models.Index(fields=["origin_type", "origin_id"]),
            # The plan's default order: lets a large plan read its first page in index order.
            models.Index(fields=["deadline", "-priority", "id"], name="measure_plan_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=Status.CANCELLED) | ~Q(cancel_reason=""),
                name="cancelled_measure_has_reason",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.deadline is not None and self.deadline < today()

    def allowed_transitions(self) -> dict[str, str]:
        """Target status → the action it needs, from the current status."""
        return {to: action for (frm, to), action in TRANSITIONS.items() if frm == self.status}


class ReminderLog(models.Model):
    """A measure was in a person's digest on a day: the unique key keeps it from being sent twice."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="reminders")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="+")
    day = models.DateField()

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["measure", "recipient", "day"], name="one_reminder_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.measure}"
