"""The organisation: the unit tree, safety areas and who holds which role where, when."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager

from hms.core.roles import Role
from hms.org import access


class UnitKind(models.TextChoices):
    UNIVERSITY = "university", _("University")
    FACULTY = "faculty", _("Faculty")
    DEPARTMENT = "department", _("Department")
    SECTION = "section", _("Section")
    OTHER = "other", _("Other unit")


class OrgUnitManager(MP_NodeManager):
    def visible_to(self, user: object, action: str) -> models.QuerySet[OrgUnit]:
        return self.get_queryset().filter(access.unit_q(user, action))


class OrgUnit(MP_Node):
    """A unit of the organisation (enhet). The materialised path makes a subtree one prefix query."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices,
                            default=UnitKind.DEPARTMENT)
    plan_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("action plan follow-up owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_plans",
    )
    node_order_by = ["name"]

    objects = OrgUnitManager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("org:unit", args=[self.pk])

    def ancestor_paths(self) -> list[str]:
        """The paths of this unit and every unit above it (treebeard paths are fixed-width steps)."""
        step = self.steplen
        return [self.path[:end] for end in range(step, len(self.path) + 1, step)]


class RiskLevel(models.TextChoices):
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High (labs, workshops)")


class SafetyAreaQuerySet(models.QuerySet["SafetyArea"]):
    def serving(self, unit: OrgUnit) -> SafetyAreaQuerySet:
        """The areas an event or record of the unit can belong to: those covering the unit, a unit
        above it (whose areas cover its sub-units too) or a unit in its subtree."""
        covered = Q(units__path__in=unit.ancestor_paths()) | Q(units__path__startswith=unit.path)
        return self.filter(pk__in=SafetyArea.objects.filter(covered).values("pk"))


class SafetyArea(models.Model):
    """A safety area (verneområde): the premises and units one safety representative covers."""

    org_unit = models.ForeignKey(OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT,
                                 related_name="owned_safety_areas")
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    units = models.ManyToManyField(OrgUnit, verbose_name=_("units covered"),
                                   related_name="safety_areas")
    locations = models.TextField(_("locations"), blank=True,
                                 help_text=_("Buildings and rooms, one per line."))
    risk_level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices,
                                  default=RiskLevel.NORMAL)

    objects = SafetyAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("safety area")
        verbose_name_plural = _("safety areas")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def serves(self, unit: OrgUnit) -> bool:
        """Whether a record of the unit can belong to this area (see `SafetyAreaQuerySet.serving`)."""
        return SafetyArea.objects.serving(unit).filter(pk=self.pk).exists()

    def location_list(self) -> list[str]:
        return [line.strip() for line in self.locations.splitlines() if line.strip()]


class AssignmentSource(models.TextChoices):
    MANUAL = "manual", _("Manual")
    IMPORT = "import", _("Import")
    SSO = "sso", _("Single sign-on")


class RoleAssignmentQuerySet(models.QuerySet["RoleAssignment"]):
    def active(self, on: dt.date | None = None) -> RoleAssignmentQuerySet:
        day = on or timezone.localdate()
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def over(self, unit: OrgUnit) -> RoleAssignmentQuerySet:
        """Roles held on the unit itself, or on a unit above it together with its subtree."""
        line = OrgUnit.objects.filter(path__in=unit.ancestor_paths()).values("pk")
        return self.filter(org_unit__in=line).filter(Q(org_unit=unit) | Q(covers_subtree=True))

    def safety_reps_of(self, unit: OrgUnit) -> RoleAssignmentQuerySet:
        """The active safety representatives of the safety areas that cover the unit."""
        from hms.core.roles import Role

        return self.active().filter(role=Role.SAFETY_REP, safety_area__units=unit)


class RoleAssignment(models.Model):
    """A person holds a role in a unit (and, where it says so, its subtree) for a period.
    Safety representatives hold their role for a safety area; their scope is the area's units."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"),
                               on_delete=models.CASCADE, related_name="role_assignments")
    org_unit = models.ForeignKey(OrgUnit, verbose_name=_("unit"), on_delete=models.CASCADE,
                                 related_name="role_assignments")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    safety_area = models.ForeignKey(SafetyArea, verbose_name=_("safety area"), null=True,
                                    blank=True, on_delete=models.CASCADE,
                                    related_name="role_assignments")
    covers_subtree = models.BooleanField(_("covers sub-units"), default=False)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=AssignmentSource.choices,
                              default=AssignmentSource.MANUAL)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["org_unit__path", "role"]
        indexes = [models.Index(fields=["person", "role"])]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "org_unit", "role"],
                condition=Q(safety_area__isnull=True),
                name="unique_unit_role",
            ),
            models.UniqueConstraint(
                fields=["person", "org_unit", "role", "safety_area"],
                condition=Q(safety_area__isnull=False),
                name="unique_safety_area_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()} · {self.org_unit}"
