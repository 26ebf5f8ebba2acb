"""The catalogue of the points, versioned: a saved version never changes, and each year is judged
by the version in force in it (the newest whose first year is not after it)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hms.core.versions import VersionedDefinition, VersionedQuerySet
from hms.points.catalogue import Point


class PointCatalogue(VersionedDefinition):
    objects = VersionedQuerySet.as_manager()

    class Meta(VersionedDefinition.Meta):
        verbose_name = _("catalogue of the points")
        verbose_name_plural = _("catalogues of the points")

    def points(self) -> list[Point]:
        return [Point.of(entry) for entry in self.definition["points"]]

    def point(self, number: int) -> Point:
        return self.points()[number - 1]


class ConfirmingRole(models.TextChoices):
    LEADER = "leader", _("Leader")
    SAFETY_REP = "safety_rep", _("Safety representative")


class Verdict(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirms that the point is met")
    NOT_MET = "not_met", _("Says that the point is not met")
    COMMENT = "comment", _("Comments only")


class PointConfirmation(models.Model):
    """The leader's or the safety representative's word on one point of one unit for one year:
    one each, changed by saying it again (the audit trail keeps what it said before). It stands
    beside the computed figure and never hides it."""

    org_unit = models.ForeignKey("org.OrgUnit", verbose_name=_("unit"), on_delete=models.CASCADE,
                                 related_name="point_confirmations")
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("point"))
    role = models.CharField(_("as"), max_length=20, choices=ConfirmingRole.choices)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"),
                               on_delete=models.PROTECT, related_name="+")
    verdict = models.CharField(_("verdict"), max_length=20, choices=Verdict.choices)
    comment = models.TextField(_("comment"), blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"))

    class Meta:
        verbose_name = _("confirmation of a point")
        verbose_name_plural = _("confirmations of the points")
        ordering = ["org_unit", "year", "number", "role"]
        constraints = [models.UniqueConstraint(fields=["org_unit", "year", "number", "role"],
                                               name="one_confirmation_per_role")]

    def __str__(self) -> str:
        return f"{self.org_unit} {self.year} #{self.number} {self.get_role_display()}"


class PointSnapshot(models.Model):
    """A closed year's state and evidence of one point of one unit, as they were computed when the
    year closed: what later edits to the records cannot rewrite."""

    org_unit = models.ForeignKey("org.OrgUnit", verbose_name=_("unit"), on_delete=models.CASCADE,
                                 related_name="point_snapshots")
    year = models.PositiveSmallIntegerField(_("year"))
    catalogue = models.ForeignKey(PointCatalogue, verbose_name=_("catalogue"),
                                  on_delete=models.PROTECT, related_name="snapshots")
    number = models.PositiveSmallIntegerField(_("point"))
    state = models.CharField(_("state"), max_length=20)
    evidence = models.JSONField(_("evidence"))
    frozen_at = models.DateTimeField(_("frozen"))

    class Meta:
        verbose_name = _("snapshot of a point")
        verbose_name_plural = _("snapshots of the points")
        ordering = ["org_unit", "year", "number"]
        constraints = [models.UniqueConstraint(fields=["org_unit", "year", "number"],
                                               name="one_snapshot_per_point")]
        indexes = [models.Index(fields=["year", "number"])]

    def __str__(self) -> str:
        return f"{self.org_unit} {self.year} #{self.number}"


class PointState(models.Model):
    """The state and evidence of one point of one unit in the open year as the daily digest last
    found them: a point that was met and is not any more is then told to the unit's leader and
    safety representative once, and the matrix of a large subtree reads the day's figures from
    here instead of computing every rule over hundreds of units in the request."""

    org_unit = models.ForeignKey("org.OrgUnit", verbose_name=_("unit"), on_delete=models.CASCADE,
                                 related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("point"))
    state = models.CharField(_("state"), max_length=20)
    evidence = models.JSONField(_("evidence"), default=dict)
    seen_on = models.DateField(_("seen"))

    class Meta:
        verbose_name = _("last seen state of a point")
        verbose_name_plural = _("last seen states of the points")
        constraints = [models.UniqueConstraint(fields=["org_unit", "year", "number"],
                                               name="one_state_per_point")]

    def __str__(self) -> str:
        return f"{self.org_unit} {self.year} #{self.number}: {self.state}"


class PointReminder(models.Model):
    """A point of a unit was in a person's digest on a day for a reason: it turned from met (told
    on the day it turned), or it is not met as the year's end comes near (told once a year). The
    unique key keeps a reminder from being sent twice a day however many runs there are."""

    org_unit = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    number = models.PositiveSmallIntegerField()
    reason = models.CharField(max_length=20)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="+")
    day = models.DateField()

    class Meta:
        verbose_name = _("point reminder sent")
        verbose_name_plural = _("point reminders sent")
        constraints = [models.UniqueConstraint(
            fields=["org_unit", "year", "number", "reason", "recipient", "day"],
            name="one_point_reminder_a_day")]

    def __str__(self) -> str:
        return f"{self.org_unit} {self.year} #{self.number} {self.reason} → {self.recipient_id}"
