"""HSE rounds (HMS-runde): planned per safety area at the frequency its risk level asks for,
prepared from the records, walked with checklists on a phone, summarised into measures and
deviations, and signed by the leader and the safety representative."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hms.core.languages import BilingualNamed, in_language
from hms.core.models import StoredUpload
from hms.core.roles import Action
from hms.rounds import access


class ChecklistKind(models.TextChoices):
    OFFICE = "office", _("Office")
    LABORATORY = "laboratory", _("Laboratory")
    WORKSHOP = "workshop", _("Workshop")
    FIRE = "fire", _("Fire safety")
    ERGONOMICS = "ergonomics", _("Ergonomics")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial and organisational")


class ChecklistTemplateQuerySet(models.QuerySet["ChecklistTemplate"]):
    def current(self) -> ChecklistTemplateQuerySet:
        """The version in use of each template."""
        return self.filter(is_current=True).order_by("order", "code")


class ChecklistTemplate(BilingualNamed, models.Model):
    """One version of a checklist. A version a round has used never changes: an administrator
    edits a template by making a new version, and rounds keep the one they were walked with."""

    code = models.SlugField(_("code"), max_length=40)
    version = models.PositiveIntegerField(_("version"), default=1)
    kind = models.CharField(_("kind"), max_length=20, choices=ChecklistKind.choices)
    name_nb = models.CharField(_("name (bokmål)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    description_nb = models.CharField(_("description (bokmål)"), max_length=300, blank=True)
    description_en = models.CharField(_("description (English)"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_current = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ChecklistTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        ordering = ["order", "code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="one_checklist_version"),
            models.UniqueConstraint(fields=["code"], condition=Q(is_current=True),
                                    name="one_current_checklist_version"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


    def is_used(self) -> bool:
        return self.rounds.exists()


class ChecklistItem(models.Model):
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("position"))
    text_nb = models.CharField(_("checkpoint (bokmål)"), max_length=300)
    text_en = models.CharField(_("checkpoint (English)"), max_length=300)
    help_nb = models.TextField(_("help (bokmål)"), blank=True, max_length=2_000)
    help_en = models.TextField(_("help (English)"), blank=True, max_length=2_000)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["template", "position"]
        constraints = [models.UniqueConstraint(fields=["template", "position"],
                                               name="one_item_per_position")]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return in_language(self.text_nb, self.text_en)

    @property
    def help(self) -> str:
        return in_language(self.help_nb, self.help_en)


class Status(models.TextChoices):
    PLANNED = "planned", _("Planned")
    PREPARED = "prepared", _("Prepared")
    CONDUCTED = "conducted", _("Conducted")
    SUMMARISED = "summarised", _("Summarised")
    CLOSED = "closed", _("Closed")


# A round moves forward one state at a time; (from, to) → what it needs, checked by the service.
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.PLANNED, Status.PREPARED): "prepare",
    (Status.PREPARED, Status.CONDUCTED): "conduct",
    (Status.CONDUCTED, Status.SUMMARISED): "summarise",
    (Status.SUMMARISED, Status.CLOSED): "close",
    (Status.CONDUCTED, Status.PREPARED): "reopen_walk",
}
DONE_STATUSES = (Status.SUMMARISED, Status.CLOSED)
WALKED_STATUSES = (Status.CONDUCTED, *DONE_STATUSES)  # the round was walked


def rounds_per_year(risk_level: str) -> int:
    """How many rounds a year a safety area of this risk level needs (HMS_ROUNDS_PER_YEAR)."""
    return int(settings.HMS_ROUNDS_PER_YEAR.get(risk_level, 1))


class RoundQuerySet(models.QuerySet["Round"]):
    def visible_to(self, user: Any, action: str = Action.VIEW) -> RoundQuerySet:
        return self.filter(access.round_q(user, action))

    def done(self) -> RoundQuerySet:
        return self.filter(status__in=DONE_STATUSES)


class Round(models.Model):
    org_unit = models.ForeignKey("org.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT,
                                 related_name="rounds")
    safety_area = models.ForeignKey("org.SafetyArea", verbose_name=_("safety area"),
                                    on_delete=models.PROTECT, related_name="rounds")
    planned_on = models.DateField(_("planned date"))
    conducted_on = models.DateField(_("conducted"), null=True, blank=True)
    themes = models.TextField(_("themes"), blank=True, max_length=2_000)
    participants = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("participants"),
                                          blank=True, related_name="rounds")
    other_participants = models.CharField(
        _("other participants"), max_length=500, blank=True,
        help_text=_("People without an account, e.g. the occupational health service or operations."))
    templates = models.ManyToManyField(ChecklistTemplate, verbose_name=_("checklists"),
                                       related_name="rounds")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.PLANNED)
    summary = models.TextField(_("summary"), blank=True, max_length=10_000)
    new_assessment_needed = models.BooleanField(_("a new risk assessment is needed"), default=False)
    leader_signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("signed by the leader"),
                                         null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="+")
    leader_signed_at = models.DateTimeField(_("leader signed"), null=True, blank=True)
    rep_signed_by = models.ForeignKey(settings.AUTH_USER_MODEL,
                                      verbose_name=_("signed by the safety representative"),
                                      null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    rep_signed_at = models.DateTimeField(_("safety representative signed"), null=True, blank=True)
    signing_asked_at = models.DateTimeField(
        _("asked to sign"), null=True, blank=True,
        help_text=_("When those who sign the summary were told that it awaits them (once)."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = RoundQuerySet.as_manager()

    AUDITED_FIELDS = ["safety_area", "planned_on", "conducted_on", "themes", "other_participants",
                      "status", "summary", "new_assessment_needed", "leader_signed_by",
                      "leader_signed_at", "rep_signed_by", "rep_signed_at"]

    class Meta:
        verbose_name = _("HSE round")
        verbose_name_plural = _("HSE rounds")
        ordering = ["-planned_on", "-id"]
        indexes = [models.Index(fields=["safety_area", "status", "conducted_on"]),
                   models.Index(fields=["org_unit", "planned_on"])]

    def __str__(self) -> str:
        return f"{self.safety_area} {self.planned_on:%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return reverse("rounds:detail", args=[self.pk])

    @property
    def is_signed(self) -> bool:
        return self.leader_signed_at is not None and self.rep_signed_at is not None

    @property
    def walk_open(self) -> bool:
        return self.status in (Status.PLANNED, Status.PREPARED, Status.CONDUCTED)


class Result(models.TextChoices):
    OK = "ok", _("OK")
    NOT_OK = "not_ok", _("Not OK")
    NOT_RELEVANT = "na", _("Not relevant")


class Answer(models.Model):
    """One checkpoint answered on the walk. Saved the moment it is given; the latest wins, and
    the version lets the phone tell a stale answer from a fresh one."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="answers")
    result = models.CharField(_("answer"), max_length=10, choices=Result.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True, max_length=5_000)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    answered_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("checklist answer")
        verbose_name_plural = _("checklist answers")
        constraints = [models.UniqueConstraint(fields=["round", "item"], name="one_answer_per_item")]

    def __str__(self) -> str:
        return f"{self.item}: {self.get_result_display()}"


class Finding(models.Model):
    """Something to act on: every "not OK" answer is one, and free findings outside the checklist.
    Each ends with a measure in the action plan, a deviation, or a reason why neither is needed."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="findings")
    answer = models.OneToOneField(Answer, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="finding")
    title = models.CharField(_("finding"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=5_000)
    probability = models.PositiveSmallIntegerField(_("probability"), null=True, blank=True)
    consequence = models.PositiveSmallIntegerField(_("consequence"), null=True, blank=True)
    deviation = models.ForeignKey("deviations.Deviation", verbose_name=_("deviation"), null=True,
                                  blank=True, on_delete=models.SET_NULL, related_name="findings")
    no_action_reason = models.TextField(_("why no measure is needed"), blank=True, max_length=2_000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def risk_value(self) -> int | None:
        if self.probability and self.consequence:
            return self.probability * self.consequence
        return None


class RoundPhoto(StoredUpload):
    """A photo of an answer or a finding."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="photos")
    answer = models.ForeignKey(Answer, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="photos")
    finding = models.ForeignKey(Finding, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="photos")
    file = models.FileField(upload_to="rounds/%Y/%m/", max_length=200)

    class Meta(StoredUpload.Meta):
        verbose_name = _("round photo")
        verbose_name_plural = _("round photos")


class SurveyQuestion(models.TextChoices):
    """The short questionnaire to the area's employees before a round (answers 1–5)."""

    WORKPLACE = "workplace", _("My workplace (desk, bench, machine) is set up well for my work.")
    INDOOR = "indoor", _("Air, temperature, light and noise are good where I work.")
    SAFE = "safe", _("I know the risks of my work and how to protect myself.")
    EMERGENCY = "emergency", _("I know what to do if there is a fire or an accident.")
    WORKLOAD = "workload", _("My workload is manageable.")


SURVEY_MIN_ANSWERS = 3


class SurveyResponse(models.Model):
    """One employee's answers to a round's questionnaire. Who answered is kept only as a keyed
    hash (to count each person once); the answers are shown only summed up, from three answers."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="survey_responses")
    respondent_digest = models.CharField(max_length=64)
    answers = models.JSONField(default=dict)
    comment = models.TextField(_("comment"), blank=True, max_length=2_000)

    class Meta:
        verbose_name = _("questionnaire answer")
        verbose_name_plural = _("questionnaire answers")
        constraints = [models.UniqueConstraint(fields=["round", "respondent_digest"],
                                               name="one_survey_answer_per_person")]

    def __str__(self) -> str:
        return str(_("Questionnaire answer"))


def due_date(last: dt.date | None, risk_level: str, today: dt.date) -> dt.date:
    """When the area's next round is due: a year divided by the rounds it needs, after the last
    one; today when there never was one."""
    if last is None:
        return today
    return last + dt.timedelta(days=365 // rounds_per_year(risk_level))


class RoundReminder(models.Model):
    """A safety area's round falling due was in a person's digest on a day (`rounds.digest`: at
    most once a week per area)."""

    safety_area = models.ForeignKey("org.SafetyArea", on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="+")
    day = models.DateField()

    class Meta:
        verbose_name = _("round reminder sent")
        verbose_name_plural = _("round reminders sent")
        constraints = [models.UniqueConstraint(fields=["safety_area", "recipient", "day"],
                                               name="one_round_reminder_a_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.safety_area_id}"
