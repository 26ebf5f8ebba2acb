"""The catalogue of the points, versioned: a saved version never changes, and each year is judged
by the version in force in it (the newest whose first year is not after it)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

from hms.core.languages import BilingualNamed
from hms.points.catalogue import Point


class PointCatalogueQuerySet(models.QuerySet["PointCatalogue"]):
    def for_year(self, year: int) -> PointCatalogue | None:
        """The version a year is judged by: the newest that holds from that year or before."""
        return self.filter(first_year__lte=year).order_by("-first_year", "-version").first()


class PointCatalogue(BilingualNamed, models.Model):
    version = models.PositiveIntegerField(_("version"), unique=True)
    first_year = models.PositiveSmallIntegerField(_("in force from the year"))
    name_nb = models.CharField(_("name (bokmål)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    definition = models.JSONField(_("definition"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = PointCatalogueQuerySet.as_manager()

    class Meta:
        verbose_name = _("catalogue of the points")
        verbose_name_plural = _("catalogues of the points")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version}, {self.first_year})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A saved version is fixed for good: a change is a new version."""
        if self.pk is not None:
            raise PermissionDenied("A catalogue version cannot be changed; load a new version.")
        super().save(*args, **kwargs)

    def points(self) -> list[Point]:
        return [Point.of(entry) for entry in self.definition["points"]]

    def point(self, number: int) -> Point:
        return self.points()[number - 1]
