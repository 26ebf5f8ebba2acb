"""Definitions kept as data and versioned by year: the catalogue of the points (hms/points), the
questionnaire of the annual HSE report (hms/annual). A saved version never changes; each year is
judged by the version in force in it, the newest whose first year is not after it; a new version
starts this year or later, so a past year keeps what it was judged by."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hms.core import audit, authz
from hms.core.errors import ServiceError
from hms.core.languages import BilingualNamed

V = TypeVar("V", bound="VersionedDefinition")


class VersionedQuerySet(models.QuerySet[V]):
    def for_year(self, year: int) -> V | None:
        """The version a year is judged by: the newest that holds from that year or before."""
        return self.for_years([year])[year]

    def for_years(self, years: list[int]) -> dict[int, V | None]:
        """`for_year` of each of the years, in one query."""
        versions = list(self.filter(first_year__lte=max(years)).order_by("-first_year", "-version"))
        return {year: next((version for version in versions if version.first_year <= year), None)
                for year in years}


class VersionedDefinition(BilingualNamed, models.Model):
    version = models.PositiveIntegerField(gettext_lazy("version"), unique=True)
    first_year = models.PositiveSmallIntegerField(gettext_lazy("in force from the year"))
    name_nb = models.CharField(gettext_lazy("name (bokmål)"), max_length=200)
    name_en = models.CharField(gettext_lazy("name (English)"), max_length=200)
    definition = models.JSONField(gettext_lazy("definition"))
    created_at = models.DateTimeField(gettext_lazy("created"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("created by"),
                                   null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        abstract = True
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version}, {self.first_year})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A saved version is fixed for good: a change is a new version."""
        if self.pk is not None:
            raise PermissionDenied("A saved version cannot be changed; load a new version.")
        super().save(*args, **kwargs)


def load_version(model: type[V], *, actor: Any, definition: dict[str, Any],
                 problems: Callable[[Any], list[str]], first_year: int | None,
                 first_year_ever: int) -> V:
    """Save a definition as a new version of `model`, in force from `first_year` (the current
    year by default; every year from `first_year_ever` for the first version). A year already
    begun under another version keeps it unless the new one starts in it. Loading what is in
    force from that year already changes nothing. `actor` None: the system."""
    authz.require(actor is None or actor.is_superuser)
    errors = problems(definition)
    if errors:
        raise ServiceError(" ".join(errors))
    objects: VersionedQuerySet[V] = model.objects  # type: ignore[attr-defined]
    with transaction.atomic():
        latest = objects.select_for_update().order_by("-version").first()
        year = first_year or (timezone.localdate().year if latest else first_year_ever)
        if latest is not None and year < timezone.localdate().year:
            raise ServiceError(_("A new version can start this year or later: past years keep the "
                                 "version they were judged by."))
        in_force = objects.for_year(year)
        if in_force is not None and in_force.definition == definition:
            return in_force
        version = (objects.aggregate(top=Max("version"))["top"] or 0) + 1
        name = definition["name"]
        made = objects.create(version=version, first_year=year, name_nb=name["nb"][:200],
                              name_en=name["en"][:200], definition=definition, created_by=actor)
        audit.record(actor=actor, action="load", obj=made,
                     before={"in_force": str(in_force or "")}, after={"in_force": str(made)})
    return made


class LoadVersionCommand(BaseCommand):
    """A command that loads a definition (JSON) as a new version, in force from --first-year
    (default: this year); the shipped one (`shipped`) if no file is given."""

    shipped: Path
    what: str  # what is loaded, for the line the command prints
    load: Callable[..., VersionedDefinition]  # the service: load(actor=, definition=, first_year=)

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", nargs="?", default=str(self.shipped))
        parser.add_argument("--first-year", type=int, default=None)

    def handle(self, *args: Any, path: str, first_year: int | None, **options: Any) -> None:
        try:
            definition = json.loads(Path(path).read_text(encoding="utf-8"))
            loaded = self.load(actor=None, definition=definition, first_year=first_year)
        except (OSError, json.JSONDecodeError, ServiceError) as error:
            raise CommandError(f"{path}: {error}") from error
        self.stdout.write(f"{self.what}: {loaded}")
