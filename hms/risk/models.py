"""The risk matrix, kept as versioned data: a version never changes once saved, so every
assessment can keep the matrix it was made with."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from hms.core.languages import BilingualNamed


class RiskMatrixQuerySet(models.QuerySet["RiskMatrix"]):
    def current(self) -> RiskMatrix | None:
        return self.filter(is_current=True).first()


class RiskMatrix(BilingualNamed, models.Model):
    version = models.PositiveIntegerField(_("version"), unique=True)
    name_nb = models.CharField(_("name (bokmål)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    source = models.TextField(_("source"), blank=True)
    definition = models.JSONField(_("definition"))
    is_current = models.BooleanField(_("in use for new assessments"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = RiskMatrixQuerySet.as_manager()

    class Meta:
        verbose_name = _("risk matrix")
        verbose_name_plural = _("risk matrices")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True),
                                    name="one_current_risk_matrix")
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Only `is_current` may change on a saved version: its definition is fixed for good."""
        if self.pk is not None and kwargs.get("update_fields") != ["is_current"]:
            raise PermissionDenied("A risk matrix version cannot be changed; load a new version.")
        super().save(*args, **kwargs)

    @staticmethod
    def names(definition: dict[str, Any]) -> tuple[str, str]:
        """A definition's (bokmål, English) name: its "name" in both languages, or one text that
        serves both (a definition from before names had two)."""
        name = definition.get("name") or ""
        texts = name if isinstance(name, dict) else {"nb": str(name), "en": str(name)}
        nb, en = str(texts.get("nb") or ""), str(texts.get("en") or "")
        return (nb or en)[:200], (en or nb)[:200]

    @staticmethod
    def text(texts: dict[str, str]) -> str:
        """A {language: text} value in the active language (English if it is missing)."""
        return texts.get(translation.get_language() or "", texts.get("en", ""))

    def colour(self, probability: int, consequence: int) -> str:
        return str(self.definition["cells"][str(consequence)][probability - 1])

    def colour_info(self, code: str) -> dict[str, Any]:
        return next(c for c in self.definition["colours"] if c["code"] == code)

    def areas(self) -> list[dict[str, Any]]:
        return list(self.definition["areas"])

    def score_problems(self, probability: int | None, consequences: dict[str, Any]) -> list[str]:
        """What is wrong with a probability and consequences (by area code) on this matrix."""
        problems = []
        top_p, top_c = len(self.definition["probability"]), len(self.definition["consequence"])
        if probability is not None and not 1 <= probability <= top_p:
            problems.append(_("The probability must be from 1 to %(top)d.") % {"top": top_p})
        codes = {area["code"] for area in self.areas()}
        for area, level in consequences.items():
            if area not in codes:
                problems.append(_("There is no consequence area “%(area)s”.") % {"area": area})
            elif level is not None and not (isinstance(level, int) and 1 <= level <= top_c):
                problems.append(_("A consequence must be from 1 to %(top)d.") % {"top": top_c})
        return problems

    def letter(self, level: int) -> str:
        """A consequence level's letter (A–E), or its number when the matrix names none."""
        found = self.definition["consequence"][level - 1]
        return str(found.get("letter") or level)

    def required_areas(self) -> list[str]:
        return [area["code"] for area in self.areas() if area.get("required")]

    def worst_colour(self, probability: int, consequences: dict[str, int | None]) -> str:
        """The worst colour over the areas assessed: the one that asks the most."""
        from hms.risk.matrix import NEEDS

        colours = [self.colour(probability, level) for level in consequences.values() if level]
        return max(colours, key=lambda code: NEEDS.index(self.colour_info(code)["needs"]))


class AssessmentKind(models.TextChoices):
    OVERALL = "overall", _("Overall risk mapping")
    DETAILED = "detailed", _("Detailed risk assessment")


class Trigger(models.TextChoices):
    NEW_ACTIVITY = "new_activity", _("New activity")
    CHANGED_ACTIVITY = "changed_activity", _("Changed activity")
    NEW_EQUIPMENT = "new_equipment", _("New equipment")
    REORGANISATION = "reorganisation", _("Reorganisation")
    PERIODIC_REVIEW = "periodic_review", _("Periodic review")
    AFTER_DEVIATION = "after_deviation", _("After a deviation")
    AFTER_ROUND_FINDING = "after_round_finding", _("After an HSE round finding")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    UNDER_REVISION = "under_revision", _("Under revision")
    ARCHIVED = "archived", _("Archived")


EDITABLE_STATUSES = (AssessmentStatus.DRAFT, AssessmentStatus.UNDER_REVISION)
# Before approval, the page and the PDF list what stands in the approval's way.
STATUSES_BEFORE_APPROVAL = (*EDITABLE_STATUSES, AssessmentStatus.IN_REVIEW)
REVIEW_INTERVAL_YEARS = 2

# The workflow: (from, to) → the action it takes. Approval goes through `approve_assessment`, which
# also checks the rules; archiving an approved version happens when its revision is approved.
ASSESSMENT_TRANSITIONS: dict[tuple[str, str], str] = {
    (AssessmentStatus.DRAFT, AssessmentStatus.IN_REVIEW): "edit",
    (AssessmentStatus.UNDER_REVISION, AssessmentStatus.IN_REVIEW): "edit",
    (AssessmentStatus.IN_REVIEW, AssessmentStatus.DRAFT): "edit",
    (AssessmentStatus.IN_REVIEW, AssessmentStatus.APPROVED): "manage",
    (AssessmentStatus.APPROVED, AssessmentStatus.ARCHIVED): "manage",
}


class RiskAssessmentQuerySet(models.QuerySet["RiskAssessment"]):
    def visible_to(self, user: Any, action: str = "view") -> RiskAssessmentQuerySet:
        from hms.risk import access

        return self.filter(access.assessment_q(user, action))

    def in_unit(self, user: Any, unit: Any, *, subtree: bool = True) -> RiskAssessmentQuerySet:
        """A unit's assessments (with its sub-units') that the user may see."""
        from hms.org import access as org_access
        from hms.org.models import OrgUnit
        from hms.risk import access

        units = (OrgUnit.objects.filter(path__startswith=unit.path).values("pk") if subtree
                 else [unit.pk])
        return self.filter(org_unit__in=units).filter(
            org_access.q_below(access.assessment_q, user, "view", unit))

    def with_counts(self) -> RiskAssessmentQuerySet:
        """Annotated with the number of rows of each colour that asks for something. The join
        makes it slow over a unit's thousands of assessments: annotate a page of them."""
        return self.annotate(
            red_count=models.Count("rows", filter=Q(rows__colour="red")),
            yellow_count=models.Count("rows", filter=Q(rows__colour="yellow")),
            row_count=models.Count("rows"))

    def review_due(self, by: dt.date) -> RiskAssessmentQuerySet:
        """Approved assessments whose review falls due on or before `by`."""
        return self.filter(status=AssessmentStatus.APPROVED, review_due__lte=by)

    def summary(self, unit: Any, today: dt.date, days_ahead: int) -> dict[str, Any]:
        """What the unit page shows of a unit's own assessments: the overall mapping in force,
        reviews overdue or falling due within `days_ahead` days, and work under way. One query:
        the unit's assessments that are not archived, counted here."""
        kept = list(self.filter(org_unit=unit).exclude(status=AssessmentStatus.ARCHIVED)
                    .only("pk", "kind", "title", "status", "review_due", "approved_at").order_by())
        approved = [found for found in kept if found.status == AssessmentStatus.APPROVED]
        soon = today + dt.timedelta(days=days_ahead)
        mappings = [found for found in approved if found.kind == AssessmentKind.OVERALL]
        mapping = max(mappings, key=lambda found: (found.approved_at is not None, found.approved_at,
                                                   found.pk), default=None)
        return {"overdue": sum(1 for found in approved if found.review_due and found.review_due < today),
                "due_soon": sum(1 for found in approved
                                if found.review_due and today <= found.review_due <= soon),
                "under_way": sum(1 for found in kept
                                 if found.status in (*EDITABLE_STATUSES, AssessmentStatus.IN_REVIEW)),
                "total": len(kept), "mapping": mapping,
                "mapping_overdue": bool(mapping and mapping.is_review_overdue(today))}


class RiskAssessment(models.Model):
    """An overall risk mapping of a unit, or a detailed assessment of one activity. A revision is a
    new record that copies the last approved one (`revision_of`); the approved one stays readable."""

    org_unit = models.ForeignKey("org.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT,
                                 related_name="risk_assessments")
    kind = models.CharField(_("kind"), max_length=10, choices=AssessmentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    scope = models.TextField(_("scope"), blank=True, max_length=10_000)
    trigger = models.CharField(_("trigger"), max_length=30, choices=Trigger.choices, blank=True)
    mapping_row = models.ForeignKey("RiskRow", verbose_name=_("mapping row it details"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="details")
    responsible_leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("responsible leader"),
                                           null=True, blank=True, on_delete=models.SET_NULL,
                                           related_name="+")
    participants = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("participants"),
                                          blank=True, related_name="risk_assessments")
    assessed_on = models.DateField(_("date"), null=True, blank=True)
    matrix = models.ForeignKey(RiskMatrix, verbose_name=_("risk matrix"), on_delete=models.PROTECT,
                               related_name="assessments")
    status = models.CharField(_("status"), max_length=20, choices=AssessmentStatus.choices,
                              default=AssessmentStatus.DRAFT)
    revision_of = models.ForeignKey("self", verbose_name=_("revision of"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="revisions")
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    review_due = models.DateField(_("review due"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = RiskAssessmentQuerySet.as_manager()

    AUDITED_FIELDS = ["title", "scope", "kind", "trigger", "responsible_leader", "assessed_on",
                      "status", "approved_by", "review_due"]

    class Meta:
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["org_unit", "status", "review_due"])]

    def __str__(self) -> str:
        return self.title

    def approval_problems(self, rows: list[RiskRow] | None = None,
                          live: dict[int, list[Any]] | None = None) -> list[str]:
        """Why the assessment cannot be approved yet: unscored rows, red rows without a measure with
        a responsible person and deadline, yellow rows with neither a measure nor a reason. A page
        that has the rows and their live measures already passes them in."""
        rows = self.rows_with_matrix() if rows is None else rows
        live = RiskRow.live_measures(rows) if live is None else live
        problems = []
        for row in rows:
            measures = live.get(row.pk, [])
            needs = row.needs()
            if needs is None:
                problems.append(_("Row %(n)d has no probability or no consequence for a required "
                                  "area.") % {"n": row.position})
            elif needs == "measure" and not any(m.responsible_id and m.deadline for m in measures):
                problems.append(_("Row %(n)d is red: it needs a measure with a responsible person and "
                                  "a deadline.") % {"n": row.position})
            elif needs == "measure_or_reason" and not (measures or row.accept_reason.strip()):
                problems.append(_("Row %(n)d is yellow: it needs a measure or a written reason for "
                                  "accepting the risk.") % {"n": row.position})
        return problems

    def rows_with_matrix(self) -> list[RiskRow]:
        """The rows, each sharing this assessment (and its matrix) instead of fetching it again."""
        rows = list(self.rows.all())
        for row in rows:
            row.assessment = self
        return rows

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    def is_review_overdue(self, on: dt.date) -> bool:
        return bool(self.status == AssessmentStatus.APPROVED and self.review_due
                    and self.review_due < on)


class HazardType(models.TextChoices):
    PHYSICAL = "physical", _("Physical")
    CHEMICAL = "chemical", _("Chemical")
    BIOLOGICAL = "biological", _("Biological")
    ERGONOMIC = "ergonomic", _("Ergonomic")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial")
    FIRE = "fire", _("Fire")
    ELECTRICAL = "electrical", _("Electrical")
    MECHANICAL = "mechanical", _("Mechanical")
    RADIATION = "radiation", _("Radiation")
    OTHER = "other", _("Other")


class Exposure(models.TextChoices):
    NOISE = "noise", _("Noise")
    CHEMICALS = "chemicals", _("Chemicals")
    BIOLOGICAL = "biological", _("Biological agents")
    RADIATION = "radiation", _("Radiation")
    VIBRATION = "vibration", _("Vibration")
    NIGHT_WORK = "night_work", _("Night work")


class RiskRow(models.Model):
    """One unwanted event: probability, consequence per area, measures, residual risk."""

    assessment = models.ForeignKey(RiskAssessment, on_delete=models.CASCADE, related_name="rows")
    position = models.PositiveIntegerField(_("number"))
    hazard_type = models.CharField(_("hazard type"), max_length=20, choices=HazardType.choices,
                                   default=HazardType.OTHER)
    activity = models.CharField(_("activity"), max_length=300, blank=True)
    unwanted_event = models.CharField(_("unwanted event"), max_length=500, blank=True)
    cause = models.TextField(_("cause"), blank=True, max_length=5_000)
    existing_measures = models.TextField(_("existing measures"), blank=True, max_length=5_000)
    probability = models.PositiveSmallIntegerField(_("probability"), null=True, blank=True)
    consequences = models.JSONField(_("consequence per area"), default=dict, blank=True)
    residual_probability = models.PositiveSmallIntegerField(_("probability after measures"), null=True,
                                                            blank=True)
    residual_consequences = models.JSONField(_("consequence per area after measures"), default=dict,
                                             blank=True)
    accept_reason = models.TextField(_("reason for accepting the risk"), blank=True, max_length=5_000)
    needs_detailed = models.BooleanField(_("needs a detailed assessment"), default=False)
    exposure = models.CharField(_("exposure"), max_length=20, choices=Exposure.choices, blank=True)
    # Derived from the scores by `derive` at every save: stored so lists, counts and heat maps
    # over thousands of assessments are plain indexed queries on both engines.
    consequence_max = models.PositiveSmallIntegerField(_("worst consequence"), null=True, blank=True,
                                                       editable=False)
    colour = models.CharField(_("colour"), max_length=20, blank=True, editable=False)
    residual_consequence_max = models.PositiveSmallIntegerField(
        _("worst consequence after measures"), null=True, blank=True, editable=False)
    residual_colour = models.CharField(_("colour after measures"), max_length=20, blank=True,
                                       editable=False)
    version = models.PositiveIntegerField(default=1)

    COPIED_FIELDS = ["position", "hazard_type", "activity", "unwanted_event", "cause",
                     "existing_measures", "probability", "consequences", "residual_probability",
                     "residual_consequences", "accept_reason", "needs_detailed", "exposure",
                     "consequence_max", "colour", "residual_consequence_max", "residual_colour"]

    class Meta:
        verbose_name = _("risk row")
        verbose_name_plural = _("risk rows")
        ordering = ["assessment", "position", "id"]
        # The list's "with red rows" filter asks this of every assessment of a unit.
        indexes = [models.Index(fields=["assessment", "colour"], name="risk_row_assessment_colour")]

    def __str__(self) -> str:
        return f"{self.position}. {self.unwanted_event or self.activity}"

    def risk_values(self) -> dict[str, int]:
        """Probability × consequence for every area assessed."""
        if not self.probability:
            return {}
        return {area: self.probability * level for area, level in self.consequences.items() if level}

    def derive(self, matrix: RiskMatrix) -> dict[str, Any]:
        """The stored derived values (worst consequence, colour, before and after measures), set on
        the row and returned, so a save through `.update()` can carry them too."""
        values: dict[str, Any] = {
            "consequence_max": _worst_level(self.probability, self.consequences),
            "residual_consequence_max": _worst_level(self.residual_probability,
                                                     self.residual_consequences),
        }
        values["colour"] = (matrix.worst_colour(self.probability or 0, self.consequences)
                            if values["consequence_max"] else "")
        values["residual_colour"] = (
            matrix.worst_colour(self.residual_probability or 0, self.residual_consequences)
            if values["residual_consequence_max"] else "")
        for field, value in values.items():
            setattr(self, field, value)
        return values

    def needs(self) -> str | None:
        """What the row's colour asks for (nothing, measure_or_reason, measure); None while a
        required score is missing."""
        matrix = self.assessment.matrix
        if not self.probability or any(not self.consequences.get(area)
                                       for area in matrix.required_areas()):
            return None
        return str(matrix.colour_info(self.colour)["needs"])

    def scores(self, matrix: RiskMatrix, *, residual: bool = False) -> list[str]:
        """Each assessed area as letter and probability, e.g. "C3" (the old NTNU notation)."""
        probability = self.residual_probability if residual else self.probability
        consequences = self.residual_consequences if residual else self.consequences
        if not probability:
            return []
        return [f"{matrix.letter(consequences[area['code']])}{probability}"
                for area in matrix.areas() if consequences.get(area["code"])]

    @staticmethod
    def measures_of(rows: list[RiskRow]) -> Any:
        """The action-plan measures made for these rows."""
        from django.contrib.contenttypes.models import ContentType

        from hms.measures.models import Measure

        return Measure.objects.filter(origin_type=ContentType.objects.get_for_model(RiskRow),
                                      origin_id__in=[row.pk for row in rows])

    @staticmethod
    def live_measures(rows: list[RiskRow]) -> dict[int, list[Any]]:
        """The rows' measures that are not cancelled, by row, soonest deadline first."""
        from hms.measures.models import Status

        grouped: dict[int, list[Any]] = {}
        for measure in (RiskRow.measures_of(rows).exclude(status=Status.CANCELLED)
                        .select_related("responsible").order_by("deadline", "pk")):
            grouped.setdefault(measure.origin_id, []).append(measure)
        return grouped


def _worst_level(probability: int | None, consequences: dict[str, Any]) -> int | None:
    levels = [level for level in consequences.values() if level]
    return max(levels) if probability and levels else None


class ReviewReminder(models.Model):
    """A review falling due was in a person's digest on a day (at most once a week per person)."""

    assessment = models.ForeignKey(RiskAssessment, on_delete=models.CASCADE,
                                   related_name="reminders")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="+")
    day = models.DateField()

    class Meta:
        verbose_name = _("review reminder sent")
        verbose_name_plural = _("review reminders sent")
        constraints = [models.UniqueConstraint(fields=["assessment", "recipient", "day"],
                                               name="one_review_reminder_a_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.assessment}"
