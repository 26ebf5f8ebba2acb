"""What the records say about the points: each app registers, from its AppConfig.ready, the
computation of the rules it can read (`register("goals", goals_evidence)`), and `evidence_for`
runs them for a set of units and a year.

A computation answers for every unit of a `Units` (one unit, or a subtree: its root and every unit
under it) with a fixed number of queries, whatever the number of units: it filters its records by
`units.filter(queryset, field)` and groups them by unit. It returns an `Evidence` per unit pk: a
state, the figures behind it, links to the records and what is missing with a link to the page
where it is done. Texts are kept as a message id (marked with `gettext_noop`) and its values, and
rendered in the reader's language, so that a closed year's snapshot can be read in either.

The rule of a point is the catalogue's (hms/points/catalogue.py); "by_hand" and "later" need no
app: their points are confirmed by hand, "later" until the module that records them comes.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from hms.core.languages import in_language
from hms.org.models import OrgUnit, SafetyArea
from hms.points.catalogue import RULES, Point

T = TypeVar("T")


class State(models.TextChoices):
    MET = "met", _("Met")
    PARTLY = "partly", _("Partly met")
    NOT_MET = "not_met", _("Not met")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")
    NOT_RECORDED = "not_recorded", _("Not yet recorded")


@dataclass(frozen=True)
class Text:
    """A sentence in no language yet: a message id marked with `gettext_noop` and its values
    (numbers, strings, dates, and names kept in both languages as {"nb": …, "en": …}, such as a
    course's), rendered in the active language."""

    msgid: str
    values: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        shown = {name: _shown(value) for name, value in self.values.items()}
        return gettext(self.msgid) % shown if shown else gettext(self.msgid)

    def as_json(self) -> dict[str, Any]:
        dates = sorted(name for name, value in self.values.items() if isinstance(value, dt.date))
        values = {name: value.isoformat() if name in dates else value
                  for name, value in self.values.items()}
        return {"msgid": self.msgid, "values": values, "dates": dates}

    @classmethod
    def of_json(cls, data: dict[str, Any]) -> Text:
        values = {name: dt.date.fromisoformat(value) if name in data["dates"] else value
                  for name, value in data["values"].items()}
        return cls(data["msgid"], values)


def _shown(value: Any) -> Any:
    if isinstance(value, dt.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, dict):
        return in_language(value["nb"], value["en"])
    return value


def bilingual(nb: str, en: str) -> dict[str, str]:
    """A name kept in both languages, for a value of a `Text`."""
    return {"nb": nb, "en": en}


@dataclass(frozen=True)
class Link:
    """A record behind a figure, or the page where what is missing is done."""

    text: Text
    url: str

    def as_json(self) -> dict[str, Any]:
        return {"text": self.text.as_json(), "url": self.url}

    @classmethod
    def of_json(cls, data: dict[str, Any]) -> Link:
        return cls(Text.of_json(data["text"]), data["url"])


@dataclass(frozen=True)
class Evidence:
    state: State
    figures: tuple[Text, ...] = ()
    records: tuple[Link, ...] = ()
    missing: tuple[Link, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {"state": str(self.state),
                "figures": [text.as_json() for text in self.figures],
                "records": [link.as_json() for link in self.records],
                "missing": [link.as_json() for link in self.missing]}

    @classmethod
    def of_json(cls, data: dict[str, Any]) -> Evidence:
        return cls(State(data["state"]),
                   tuple(Text.of_json(text) for text in data["figures"]),
                   tuple(Link.of_json(link) for link in data["records"]),
                   tuple(Link.of_json(link) for link in data["missing"]))


@dataclass(frozen=True)
class Units:
    """The units a computation answers for: `members` are the root and, for a subtree, every unit
    under it, in tree order, each with its plan owner (`plan_owner`) read. What several rules
    read alike (the safety representatives of the units, the meetings held) they read once for
    these units through `remember`."""

    root: OrgUnit
    members: tuple[OrgUnit, ...]
    _remembered: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    def remember(self, key: Any, read: Callable[[], T]) -> T:
        """`read()` the first time `key` is asked for these units, what it gave after that."""
        if key not in self._remembered:
            self._remembered[key] = read()
        return cast(T, self._remembered[key])

    @classmethod
    def one(cls, unit: OrgUnit) -> Units:
        return cls(unit, (unit,))

    @classmethod
    def subtree(cls, root: OrgUnit) -> Units:
        return cls(root, tuple(OrgUnit.objects.filter(path__startswith=root.path)
                               .select_related("plan_owner").order_by("path")))

    @functools.cached_property
    def ids(self) -> list[int]:
        return [unit.pk for unit in self.members]

    def filter(self, queryset: models.QuerySet[Any], field: str = "org_unit") -> models.QuerySet[Any]:
        """`queryset`'s records whose unit (reached through `field`) is one of the members: by the
        unit itself for one, by the root's path for a subtree (one condition however many)."""
        if len(self.members) == 1:
            return queryset.filter(**{field: self.root})
        return queryset.filter(**{f"{field}__path__startswith": self.root.path})


@dataclass
class Areas:
    """The safety areas of the units: those each unit owns (pk, name, risk_level, org_unit_id;
    by name) and those that cover it (`SafetyArea.units`)."""

    owned: dict[int, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    covering: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    below: set[int] = field(default_factory=set)  # every area owned in the root's subtree

    @property
    def covering_ids(self) -> set[int]:
        return set().union(*self.covering.values())


def safety_areas(units: Units) -> Areas:
    """One query, once for the units whichever rule asks first: the areas owned in the root's
    subtree or covering one of the units, a row per area and unit it covers."""
    return units.remember("points.areas", lambda: _read_areas(units))


def _read_areas(units: Units) -> Areas:
    areas = Areas()
    members = set(units.ids)
    seen: set[int] = set()
    below: models.QuerySet[Any] = SafetyArea.objects.filter(org_unit__path__startswith=units.root.path)
    rows = ((below | units.filter(SafetyArea.objects.all(), "units"))
            .values("pk", "name", "risk_level", "org_unit_id", "org_unit__path", "units")
            .order_by("name", "pk"))
    for row in rows:
        covered = row.pop("units")
        if covered in members:
            areas.covering[covered].add(row["pk"])
        if row.pop("org_unit__path").startswith(units.root.path):
            areas.below.add(row["pk"])
        if row["org_unit_id"] in members and row["pk"] not in seen:
            seen.add(row["pk"])
            areas.owned[row["org_unit_id"]].append(row)
    return areas


def by_record(rows: Iterable[dict[str, Any]], people: tuple[str, ...]) -> list[dict[str, Any]]:
    """The rows of a join (one per participant, say) folded into one record each, in their order,
    with the set of the people named by the `people` keys as "people"."""
    records: dict[int, dict[str, Any]] = {}
    for row in rows:
        record = records.setdefault(row["pk"], {**row, "people": set()})
        record["people"] |= {row[key] for key in people if row[key]}
    return list(records.values())


@dataclass(frozen=True)
class Year:
    """The year a point is judged for, and the day it is judged on: today within the year, its
    last day once it is over."""

    number: int
    today: dt.date

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.number, 1, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.number, 12, 31)

    @property
    def on(self) -> dt.date:
        return min(self.today, self.last_day)

    @property
    def start(self) -> dt.datetime:
        """The first moment of the year, local time."""
        return timezone.make_aware(dt.datetime.combine(self.first_day, dt.time.min))

    @property
    def end(self) -> dt.datetime:
        """The first moment after the day judged, local time: what was stamped before it happened
        on or before that day."""
        return moment_after(self.on)


def moment_after(day: dt.date) -> dt.datetime:
    """The first moment after `day`, local time."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def graded(found: int, needed: int) -> State:
    """Met when `found` reaches `needed`, partly met when there is some, else not met."""
    if found >= needed:
        return State.MET
    return State.PARTLY if found > 0 else State.NOT_MET


def share_state(hits: int, total: int, needed_share: float) -> State:
    """For "`hits` of `total`" against a share (0–1): met at or above it, partly met with some,
    not met with none; not applicable when there is nothing to count."""
    if total == 0:
        return State.NOT_APPLICABLE
    if hits >= needed_share * total:
        return State.MET
    return State.PARTLY if hits > 0 else State.NOT_MET


MAX_RECORD_LINKS = 5  # links to records per unit and point; the figures say how many there are
_SENTINEL = 987654321


def url_for(viewname: str, args: list[Any]) -> str:
    """`reverse(viewname, args=args)` for numeric ids, from a pattern resolved once per view: the
    rules link thousands of records over a university, and resolving each anew took most of the
    matrix's time."""
    return _url_pattern(viewname, len(args)).format(*(int(arg) for arg in args))


@functools.lru_cache(maxsize=256)
def _url_pattern(viewname: str, count: int) -> str:
    return reverse(viewname, args=[_SENTINEL] * count).replace(str(_SENTINEL), "{}")


Computation = Callable[[Units, Year, Point], dict[int, Evidence]]
COMPUTATIONS: dict[str, Computation] = {}


def register(rule: str, computation: Computation) -> None:
    """Let `computation` answer for the catalogue's `rule` (from an AppConfig.ready)."""
    if rule not in RULES:
        raise ImproperlyConfigured(f"No rule {rule!r} in the catalogue's rules.")
    if COMPUTATIONS.setdefault(rule, computation) is not computation:
        raise ImproperlyConfigured(f"Two computations registered for the rule {rule!r}.")


def by_hand(units: Units, year: Year, point: Point) -> dict[int, Evidence]:
    return dict.fromkeys(units.ids, Evidence(State.NOT_RECORDED, (
        Text(gettext_noop("The records cannot show this: the leader and the safety "
                          "representative confirm it by hand.")),)))


def later(units: Units, year: Year, point: Point) -> dict[int, Evidence]:
    return dict.fromkeys(units.ids, Evidence(State.NOT_RECORDED, (
        Text(gettext_noop("Not yet recorded in HMS: the leader and the safety representative "
                          "confirm it by hand until the module that records it comes.")),)))


register("by_hand", by_hand)
register("later", later)


def evidence_for(units: Units, year: Year, points: Iterable[Point]) -> dict[int, dict[int, Evidence]]:
    """Per point number, per unit pk: what the records say. A rule no app has registered (an app
    left out of INSTALLED_APPS) says "not yet recorded"."""
    return {point.number: _complete(units, COMPUTATIONS.get(point.rule, later)(units, year, point))
            for point in points}


def _complete(units: Units, found: dict[int, Evidence]) -> dict[int, Evidence]:
    missing = [pk for pk in units.ids if pk not in found]
    if missing:
        raise ImproperlyConfigured(f"A computation gave no evidence for the units {missing}.")
    return found
