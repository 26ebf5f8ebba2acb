"""Deviations and unwanted events (HMS-avvik, uønskede hendelser): reported by anyone, handled to
closure by the unit's case handler, and counted so the unit can learn from them."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hms.core.languages import BilingualNamed
from hms.core.models import StoredUpload
from hms.core.roles import Action
from hms.deviations import access


class DeviationType(BilingualNamed, models.Model):
    """A kind of event a person can report. The list is data (data/deviation_types.json), loaded by
    a migration and editable in the admin."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_nb = models.CharField(_("name (bokmål)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    description_nb = models.CharField(_("description (bokmål)"), max_length=300, blank=True)
    description_en = models.CharField(_("description (English)"), max_length=300, blank=True)
    is_injury = models.BooleanField(
        _("personal injury"), default=False,
        help_text=_("Reports of this type show the duty to file an injury report."))
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("deviation type")
        verbose_name_plural = _("deviation types")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    REPORTED = "reported", _("Reported")
    REJECTED = "rejected", _("Rejected")
    ACCEPTED = "accepted", _("Accepted")
    UNDER_TREATMENT = "under_treatment", _("Under treatment")
    MEASURES_DONE = "measures_done", _("Measures done")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (Status.REPORTED, Status.ACCEPTED, Status.UNDER_TREATMENT, Status.MEASURES_DONE)

# The handling workflow: (from, to) → the step's name. Anything not listed is not allowed; every
# step needs the right to handle the case. A transfer keeps a reported case reported, elsewhere.
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.REPORTED, Status.ACCEPTED): "accept",
    (Status.REPORTED, Status.REJECTED): "reject",
    (Status.ACCEPTED, Status.UNDER_TREATMENT): "treat",
    (Status.UNDER_TREATMENT, Status.MEASURES_DONE): "measures_done",
    (Status.MEASURES_DONE, Status.UNDER_TREATMENT): "reopen",
    (Status.UNDER_TREATMENT, Status.CLOSED): "close",
    (Status.MEASURES_DONE, Status.CLOSED): "close",
    (Status.CLOSED, Status.UNDER_TREATMENT): "reopen",
    (Status.REJECTED, Status.REPORTED): "reopen",
}


class CauseCategory(models.TextChoices):
    HUMAN = "human", _("Human factors (attention, fatigue, habit)")
    TRAINING = "training", _("Training or information missing")
    PROCEDURE = "procedure", _("Procedure missing, unclear or not followed")
    EQUIPMENT = "equipment", _("Equipment, machine or material")
    PREMISES = "premises", _("Premises, building or indoor climate")
    ORGANISATION = "organisation", _("Organisation, workload or staffing")
    EXTERNAL = "external", _("External conditions (weather, third parties)")
    UNKNOWN = "unknown", _("Unknown")


# The people consequence levels at and above which an injury is serious (serious injury, death).
SERIOUS_CONSEQUENCE = 4


class DeviationQuerySet(models.QuerySet["Deviation"]):
    def visible_to(self, user: Any, action: str = Action.VIEW) -> DeviationQuerySet:
        return self.filter(access.deviation_q(user, action))

    def in_unit(self, user: Any, unit: Any, *, subtree: bool = True) -> DeviationQuerySet:
        """The unit's cases (and its sub-units') that the user may see. The subtree is a prefix of
        the unit path, so a page of the newest cases reads the reported_at index and stops."""
        cases = (self.filter(org_unit__path__startswith=unit.path) if subtree
                 else self.filter(org_unit=unit))
        return cases.filter(access.deviation_q(user, Action.VIEW))

    def open(self) -> DeviationQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, on: dt.date | None = None) -> DeviationQuerySet:
        return self.open().filter(close_deadline__lt=on or timezone.localdate())

    def stalled(self, on: dt.datetime | None = None) -> DeviationQuerySet:
        """Open cases nobody has touched for HMS_DEVIATION_STALE_DAYS days."""
        since = (on or timezone.now()) - dt.timedelta(days=settings.HMS_DEVIATION_STALE_DAYS)
        return self.open().filter(last_activity_at__lt=since)

    def needing_attention(self, day: dt.date) -> DeviationQuerySet:
        """Overdue or stalled: what the digest reminds handlers and leaders of."""
        now = timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59)))
        since = now - dt.timedelta(days=settings.HMS_DEVIATION_STALE_DAYS)
        return self.open().filter(Q(close_deadline__lt=day) | Q(last_activity_at__lt=since))


class Deviation(models.Model):
    org_unit = models.ForeignKey("org.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT,
                                 related_name="deviations")
    safety_area = models.ForeignKey("org.SafetyArea", verbose_name=_("safety area"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="deviations")
    location = models.CharField(_("location"), max_length=200, blank=True)
    deviation_type = models.ForeignKey(DeviationType, verbose_name=_("type"),
                                       on_delete=models.PROTECT, related_name="deviations")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what happened"), max_length=10_000)
    immediate_action = models.TextField(_("immediate action taken"), blank=True, max_length=5_000)
    occurred_at = models.DateTimeField(_("when it happened"))
    reported_at = models.DateTimeField(_("reported"), auto_now_add=True, db_index=True)
    # Empty for an anonymous report: then who reported it is stored nowhere.
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reported by"),
                                 null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="deviations_reported")
    anonymous = models.BooleanField(_("reported anonymously"), default=False)
    via_public_form = models.BooleanField(_("reported on the public form"), default=False)
    receipt_digest = models.CharField(max_length=64, blank=True, db_index=True)
    serious_injury = models.BooleanField(_("serious injury or death"), default=False)

    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.REPORTED)
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("case handler"),
                                null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="deviations_handled")
    close_deadline = models.DateField(_("closing deadline"), null=True, blank=True)
    actual_consequence = models.PositiveSmallIntegerField(_("actual consequence"), null=True,
                                                          blank=True)
    potential_consequence = models.PositiveSmallIntegerField(_("potential consequence"),
                                                             null=True, blank=True)
    cause_categories = models.JSONField(_("cause categories"), default=list, blank=True)
    cause = models.TextField(_("cause analysis"), blank=True, max_length=10_000)
    conclusion = models.TextField(_("conclusion"), blank=True, max_length=10_000)
    learning = models.TextField(_("what was learnt"), blank=True, max_length=10_000)
    reject_reason = models.TextField(_("reason for rejecting"), blank=True, max_length=5_000)
    transferred_from = models.ForeignKey("org.OrgUnit", verbose_name=_("transferred from"),
                                         null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="+")
    needs_new_assessment = models.BooleanField(_("a new risk assessment is needed"), default=False)
    risk_rows = models.ManyToManyField("risk.RiskRow", verbose_name=_("risk assessment rows"),
                                       blank=True, related_name="deviations")
    injury_report_filed_on = models.DateField(_("injury report filed"), null=True, blank=True)
    authorities_notified_at = models.DateTimeField(_("Labour Inspection Authority notified"),
                                                   null=True, blank=True)
    police_notified_at = models.DateTimeField(_("police notified"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    objects = DeviationQuerySet.as_manager()

    AUDITED_FIELDS = [
        "org_unit", "safety_area", "location", "deviation_type", "title", "description",
        "immediate_action", "occurred_at", "serious_injury", "status", "handler", "close_deadline",
        "actual_consequence", "potential_consequence", "cause_categories", "cause", "conclusion",
        "learning", "reject_reason", "needs_new_assessment", "injury_report_filed_on",
        "authorities_notified_at", "police_notified_at",
    ]

    class Meta:
        verbose_name = _("deviation")
        verbose_name_plural = _("deviations")
        ordering = ["-reported_at", "-id"]
        indexes = [
            models.Index(fields=["org_unit", "status", "reported_at"]),
            models.Index(fields=["safety_area", "status"]),
            models.Index(fields=["reporter", "reported_at"]),
            models.Index(fields=["status", "last_activity_at"]),
            # Covering indexes for the statistics: their counts read the index alone.
            models.Index(fields=["reported_at", "org_unit", "deviation_type", "status",
                                 "actual_consequence", "potential_consequence"],
                         name="deviation_stats_period"),
            models.Index(fields=["status", "closed_at", "org_unit", "reported_at", "close_deadline"],
                         name="deviation_stats_closing"),
            models.Index(fields=["status", "close_deadline", "org_unit"], name="deviation_overdue"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(anonymous=False) | Q(reporter__isnull=True),
                                   name="anonymous_report_has_no_reporter"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("deviations:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return (self.is_open and self.close_deadline is not None
                and self.close_deadline < timezone.localdate())

    @property
    def is_stalled(self) -> bool:
        limit = dt.timedelta(days=settings.HMS_DEVIATION_STALE_DAYS)
        return self.is_open and timezone.now() - self.last_activity_at > limit

    @property
    def reported_date_only(self) -> bool:
        """An anonymous report's reported time is shown by its date alone, everywhere: in a small
        unit the minute it came in could point at the reporter. The time it happened, which the
        reporter gave, stays as typed."""
        return self.anonymous

    @property
    def history_date_only_action(self) -> str:
        """The action of the case's history shown by its date alone (see reported_date_only)."""
        return "report" if self.reported_date_only else ""

    @property
    def is_injury(self) -> bool:
        return self.deviation_type.is_injury

    @property
    def is_serious(self) -> bool:
        """A serious injury or a death: the Labour Inspection Authority and the police must be
        told at once (Arbeidsmiljøloven § 5-2)."""
        return self.serious_injury or (
            self.is_injury and (self.actual_consequence or 0) >= SERIOUS_CONSEQUENCE)

    @property
    def high_potential(self) -> bool:
        return (self.potential_consequence or 0) >= SERIOUS_CONSEQUENCE or self.is_serious

    def cause_category_labels(self) -> list[str]:
        labels = dict(CauseCategory.choices)
        return [str(labels.get(code, code)) for code in self.cause_categories]

    def allowed_steps(self) -> dict[str, str]:
        """Target status → step name, from the current status."""
        return {to: step for (frm, to), step in TRANSITIONS.items() if frm == self.status}


def receipt_digest(secret: str) -> str:
    """What is stored of a receipt's secret: its SHA-256, so the database alone cannot open it."""
    return hashlib.sha256(secret.encode()).hexdigest()


class InjuryDetails(models.Model):
    """Who was hurt and how. Only the case handler and the leader see it, and every read is in the
    audit trail."""

    deviation = models.OneToOneField(Deviation, on_delete=models.CASCADE, related_name="injury")
    injured_person = models.CharField(_("injured person"), max_length=200, blank=True)
    health_details = models.TextField(_("injury and health details"), blank=True,
                                      max_length=5_000)

    AUDITED_FIELDS = ["injured_person", "health_details"]

    class Meta:
        verbose_name = _("injury details")
        verbose_name_plural = _("injury details")

    def __str__(self) -> str:
        return str(_("Injury details"))


def _attachment_path(instance: Attachment, filename: str) -> str:
    return f"deviations/{timezone.now():%Y/%m}/{filename}"


class Attachment(StoredUpload):
    """A photo or file of a case."""

    deviation = models.ForeignKey(Deviation, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_attachment_path, max_length=200)

    class Meta(StoredUpload.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")


class PublicReportLink(models.Model):
    """The secret address of a safety area's public report form (printed as a QR poster).
    Making a new one retires the old poster."""

    safety_area = models.OneToOneField("org.SafetyArea", on_delete=models.CASCADE,
                                       related_name="public_report_link")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("public report form")
        verbose_name_plural = _("public report forms")

    def __str__(self) -> str:
        return str(self.safety_area)

    def get_absolute_url(self) -> str:
        return reverse("deviations:public_report", args=[self.token])


class DeviationReminder(models.Model):
    """A case was in a person's digest on a day: the unique key keeps it from being sent twice."""

    deviation = models.ForeignKey(Deviation, on_delete=models.CASCADE, related_name="reminders")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="+")
    day = models.DateField()

    class Meta:
        verbose_name = _("deviation reminder sent")
        verbose_name_plural = _("deviation reminders sent")
        constraints = [models.UniqueConstraint(fields=["deviation", "recipient", "day"],
                                               name="one_deviation_reminder_a_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.deviation}"
