"""Competence (domain 0.1 points 12 and 13): the courses, which of them each role (and lab work)
requires, and who has completed what. Courses and requirements are data (data/*.json, editable in
the admin); training records are entered per unit or imported from a spreadsheet."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hms.competence import access
from hms.core.dates import add_months
from hms.core.languages import BilingualNamed
from hms.core.roles import Action, Role


class Course(BilingualNamed, models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_nb = models.CharField(_("name (bokmål)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_nb = models.TextField(_("description (bokmål)"), blank=True, max_length=2_000)
    description_en = models.TextField(_("description (English)"), blank=True, max_length=2_000)
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months)"), null=True, blank=True,
        help_text=_("Empty: the training does not expire."))
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


    def expiry_from(self, completed_on: dt.date) -> dt.date | None:
        return add_months(completed_on, self.validity_months) if self.validity_months else None


class Requirement(models.Model):
    """A course required of the holders of a role, of everyone working in labs (anyone with a role
    in a unit that a high-risk safety area covers), of holders of a role who work in labs, or of
    those a delegated HSE task was given to (the fire warden, the first aider)."""

    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.CASCADE,
                               related_name="requirements")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, blank=True,
                            help_text=_("Empty: any role."))
    lab_work = models.BooleanField(
        _("only for lab work"), default=False,
        help_text=_("Required of people with a role in a unit covered by a high-risk safety area."))
    task = models.ForeignKey(
        "governance.DelegationTask", verbose_name=_("delegated task"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="training_requirements",
        help_text=_("Required of those this HSE task is delegated to (accepted, in force) instead "
                    "of the holders of a role."))

    class Meta:
        verbose_name = _("training requirement")
        verbose_name_plural = _("training requirements")
        ordering = ["course__order", "role"]
        constraints = [models.UniqueConstraint(fields=["course", "role", "lab_work", "task"],
                                               name="one_requirement_per_course_and_condition")]

    def __str__(self) -> str:
        if self.task_id:
            return f"{self.course}: {self.task}"
        who = self.get_role_display() if self.role else _("everyone")
        lab = _("lab work")
        return f"{self.course}: {who} ({lab})" if self.lab_work else f"{self.course}: {who}"

    def applies(self, role: str, in_lab: bool) -> bool:
        """Whether a role held (in a lab or not) falls under it; a task's requirement is met
        through the task's delegations instead (`gaps.needs_of`)."""
        if self.task_id:
            return False
        return (not self.role or self.role == role) and (in_lab or not self.lab_work)


class Source(models.TextChoices):
    ENTERED = "entered", _("Entered")
    IMPORTED = "imported", _("Imported")


class TrainingRecordQuerySet(models.QuerySet["TrainingRecord"]):
    def visible_to(self, user: Any, action: str = Action.VIEW) -> TrainingRecordQuerySet:
        return self.filter(access.training_record_q(user, action))


class TrainingRecord(models.Model):
    """A person completed a course on a day; valid until `expires_on` (None: for good)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"),
                               on_delete=models.CASCADE, related_name="training_records")
    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.PROTECT,
                               related_name="records")
    completed_on = models.DateField(_("completed"))
    expires_on = models.DateField(_("expires"), null=True, blank=True,
                                  help_text=_("Empty: from the course's validity."))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices,
                              default=Source.ENTERED)
    note = models.CharField(_("note"), max_length=500, blank=True)
    org_unit = models.ForeignKey("org.OrgUnit", verbose_name=_("recorded for unit"), null=True,
                                 blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = TrainingRecordQuerySet.as_manager()

    AUDITED_FIELDS = ["person", "course", "completed_on", "expires_on", "source", "note"]

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["-completed_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["person", "course", "completed_on"],
                                               name="one_record_per_completion")]
        indexes = [models.Index(fields=["expires_on"])]

    def __str__(self) -> str:
        return f"{self.course} · {self.person} · {self.completed_on:%d.%m.%Y}"


class TrainingReminder(models.Model):
    """Something was in a person's digest on a day: a record expiring (to its person) or a unit's
    summary (to its leader). The unique keys keep either from being sent twice a day."""

    record = models.ForeignKey(TrainingRecord, null=True, on_delete=models.CASCADE,
                               related_name="reminders")
    org_unit = models.ForeignKey("org.OrgUnit", null=True, on_delete=models.CASCADE,
                                 related_name="+")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="+")
    day = models.DateField()

    class Meta:
        verbose_name = _("training reminder sent")
        verbose_name_plural = _("training reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["record", "recipient", "day"],
                                    name="one_training_reminder_a_day"),
            models.UniqueConstraint(fields=["org_unit", "recipient", "day"],
                                    name="one_training_summary_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.record or self.org_unit}"
