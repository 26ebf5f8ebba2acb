"""Unit governance: the unit's HSE goals for a year (IK-f § 5 pt 4) and the written overview of the
HSE tasks its leader has delegated (IK-f § 5 pt 5). The leader keeps the HSE responsibility; what
is delegated is a task, for a period, accepted by the person who takes it on."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hms.core.languages import BilingualNamed
from hms.core.roles import Action
from hms.governance import access

ENDS_SOON_DAYS = 30


def today() -> dt.date:
    return timezone.localdate()


# --- Goals -----------------------------------------------------------------------------------------


class GoalStatus(models.TextChoices):
    NOT_ASSESSED = "not_assessed", _("Not assessed")
    ACHIEVED = "achieved", _("Achieved")
    PARTLY = "partly", _("Partly achieved")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")


class GoalQuerySet(models.QuerySet["Goal"]):
    def visible_to(self, user: Any, action: str = Action.VIEW) -> GoalQuerySet:
        return self.filter(access.goal_q(user, action))


class Goal(models.Model):
    """One of a unit's HSE goals for a year, measured by its indicator against its target."""

    org_unit = models.ForeignKey("org.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT,
                                 related_name="goals")
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("goal"), max_length=200)
    indicator = models.CharField(
        _("indicator"), max_length=300, blank=True,
        help_text=_("What is measured to see whether the goal is reached, e.g. the share of "
                    "deviations handled within the deadline."))
    target = models.CharField(_("target"), max_length=300, blank=True,
                              help_text=_("The value the indicator should reach, e.g. 90 %."))
    measures = models.ManyToManyField("measures.Measure", verbose_name=_("measures"), blank=True,
                                      related_name="goals")
    status = models.CharField(_("status at year end"), max_length=20, choices=GoalStatus.choices,
                              default=GoalStatus.NOT_ASSESSED)
    status_comment = models.TextField(_("comment on the status"), blank=True, max_length=5_000)
    copied_from = models.ForeignKey("self", verbose_name=_("started from"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="copies")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = GoalQuerySet.as_manager()

    AUDITED_FIELDS = ["year", "title", "indicator", "target", "status", "status_comment"]

    class Meta:
        verbose_name = _("HSE goal")
        verbose_name_plural = _("HSE goals")
        ordering = ["year", "id"]
        indexes = [models.Index(fields=["org_unit", "year"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    def get_absolute_url(self) -> str:
        return (reverse("governance:goals", args=[self.org_unit_id])
                + f"?year={self.year}#goal-{self.pk}")


# --- Delegations -----------------------------------------------------------------------------------


class DelegationTask(BilingualNamed, models.Model):
    """A common HSE task in the catalogue a leader delegates from (data, editable in the admin)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_nb = models.CharField(_("name (bokmål)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_nb = models.TextField(_("description (bokmål)"), blank=True, max_length=2_000)
    description_en = models.TextField(_("description (English)"), blank=True, max_length=2_000)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("delegable HSE task")
        verbose_name_plural = _("delegable HSE tasks")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class DelegationStatus(models.TextChoices):
    AWAITING = "awaiting", _("Awaiting acceptance")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    REVOKED = "revoked", _("Revoked")


CURRENT_STATUSES = (DelegationStatus.AWAITING, DelegationStatus.ACCEPTED)

# (from, to) → who may make the step: the delegate answers, the leader revokes.
TRANSITIONS: dict[tuple[str, str], str] = {
    (DelegationStatus.AWAITING, DelegationStatus.ACCEPTED): "delegate",
    (DelegationStatus.AWAITING, DelegationStatus.DECLINED): "delegate",
    (DelegationStatus.AWAITING, DelegationStatus.REVOKED): "leader",
    (DelegationStatus.ACCEPTED, DelegationStatus.REVOKED): "leader",
}


class DelegationQuerySet(models.QuerySet["Delegation"]):
    def visible_to(self, user: Any, action: str = Action.VIEW) -> DelegationQuerySet:
        return self.filter(access.delegation_q(user, action))

    def current(self) -> DelegationQuerySet:
        """Neither declined nor revoked (expired ones included: they need renewing or revoking)."""
        return self.filter(status__in=CURRENT_STATUSES)

    def in_force(self, on: dt.date | None = None) -> DelegationQuerySet:
        day = on or today()
        return self.current().filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))

    def expired(self, on: dt.date | None = None) -> DelegationQuerySet:
        return self.current().filter(valid_to__lt=on or today())

    def register_order(self, on: dt.date | None = None) -> DelegationQuerySet:
        """In force first (awaiting acceptance at the top), then expired, then the rest."""
        day = on or today()
        return self.annotate(rank=Case(
            When(Q(status=DelegationStatus.AWAITING) & (Q(valid_to__isnull=True)
                                                        | Q(valid_to__gte=day)), then=Value(0)),
            When(Q(status=DelegationStatus.ACCEPTED) & (Q(valid_to__isnull=True)
                                                        | Q(valid_to__gte=day)), then=Value(1)),
            When(status__in=CURRENT_STATUSES, then=Value(2)),
            default=Value(3), output_field=IntegerField(),
        )).order_by("rank", "-valid_from", "-pk")


class Delegation(models.Model):
    """An HSE task the unit's leader delegated to a person for a period, and the person's answer."""

    org_unit = models.ForeignKey("org.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT,
                                 related_name="delegations")
    task = models.ForeignKey(DelegationTask, verbose_name=_("task"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="delegations")
    task_text = models.CharField(_("other task"), max_length=200, blank=True)
    scope = models.TextField(_("scope and description"), blank=True, max_length=5_000)
    delegate = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("delegated to"),
                                 on_delete=models.PROTECT, related_name="delegations")
    delegated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("delegated by"),
                                     null=True, on_delete=models.SET_NULL, related_name="+")
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=DelegationStatus.choices,
                              default=DelegationStatus.AWAITING)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True, max_length=2_000)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = DelegationQuerySet.as_manager()

    AUDITED_FIELDS = ["task", "task_text", "scope", "delegate", "valid_from", "valid_to", "status",
                      "accepted_at", "decline_reason", "revoked_at"]

    class Meta:
        verbose_name = _("delegated HSE task")
        verbose_name_plural = _("delegated HSE tasks")
        ordering = ["-valid_from", "-id"]
        indexes = [models.Index(fields=["org_unit", "status"]),
                   models.Index(fields=["delegate", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(task__isnull=False) | ~Q(task_text=""), name="delegation_names_a_task",
                violation_error_message=_("Choose a task from the list or name another task (one "
                                          "of them).")),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="delegation_ends_after_it_starts",
                violation_error_message=_("The end date has to be after the start date, and not "
                                          "in the past.")),
        ]

    def __str__(self) -> str:
        return f"{self.title}: {self.delegate}"

    def get_absolute_url(self) -> str:
        return reverse("governance:delegation", args=[self.pk])

    @property
    def title(self) -> str:
        return self.task.name if self.task_id and self.task else self.task_text

    @property
    def is_current(self) -> bool:
        return self.status in CURRENT_STATUSES

    @property
    def is_awaiting(self) -> bool:
        return self.status == DelegationStatus.AWAITING

    def is_expired(self, on: dt.date | None = None) -> bool:
        return self.is_current and self.valid_to is not None and self.valid_to < (on or today())

    def ends_soon(self, on: dt.date | None = None) -> bool:
        day = on or today()
        return (self.is_current and self.valid_to is not None
                and day <= self.valid_to <= day + dt.timedelta(days=ENDS_SOON_DAYS))

    def flags(self, on: dt.date | None = None) -> list[tuple[str, Any]]:
        """(css class, label) of what needs attention: awaiting acceptance, expired, ends soon."""
        found: list[tuple[str, Any]] = []
        if self.is_awaiting:
            found.append(("awaiting", _("Awaiting acceptance")))
        if self.is_expired(on):
            found.append(("overdue", _("Expired")))
        elif self.ends_soon(on):
            found.append(("soon", _("Ends soon")))
        return found


def delegates_of(unit: Any) -> Any:
    """Who a task in the unit can be delegated to: staff (not students) with an active role in the
    unit or below it."""
    from hms.accounts.models import User
    from hms.core.roles import Role
    from hms.org.models import RoleAssignment

    roles = RoleAssignment.objects.active().exclude(role=Role.STUDENT).filter(
        org_unit__path__startswith=unit.path)
    return (User.objects.filter(is_active=True, pk__in=roles.values("person"))
            .order_by("last_name", "first_name", "pk"))


class DelegationReminder(models.Model):
    """A delegation was in a person's digest on a day: the unique key keeps it from being sent
    twice."""

    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="reminders")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="+")
    day = models.DateField()

    class Meta:
        verbose_name = _("delegation reminder sent")
        verbose_name_plural = _("delegation reminders sent")
        constraints = [models.UniqueConstraint(fields=["delegation", "recipient", "day"],
                                               name="one_delegation_reminder_a_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.delegation}"
