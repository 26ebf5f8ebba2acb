"""The risk matrix, kept as versioned data: a version never changes once saved, so every
assessment can keep the matrix it was made with."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class RiskMatrixQuerySet(models.QuerySet["RiskMatrix"]):
    def current(self) -> RiskMatrix | None:
        return self.filter(is_current=True).first()


class RiskMatrix(models.Model):
    version = models.PositiveIntegerField(_("version"), unique=True)
    name = models.CharField(_("name"), max_length=200)
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
    def text(texts: dict[str, str]) -> str:
        """A {language: text} value in the active language (English if it is missing)."""
        return texts.get(translation.get_language() or "", texts.get("en", ""))

    def colour(self, probability: int, consequence: int) -> str:
        return str(self.definition["cells"][str(consequence)][probability - 1])

    def colour_info(self, code: str) -> dict[str, Any]:
        return next(c for c in self.definition["colours"] if c["code"] == code)

    def areas(self) -> list[dict[str, Any]]:
        return list(self.definition["areas"])

    def worst_colour(self, probability: int, consequences: dict[str, int | None]) -> str:
        """The worst colour over the areas assessed: the one that asks the most."""
        from hms.risk.matrix import NEEDS

        colours = [self.colour(probability, level) for level in consequences.values() if level]
        return max(colours, key=lambda code: NEEDS.index(self.colour_info(code)["needs"]))
