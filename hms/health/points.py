"""What the occupational health service's records say about point 15 (issue 16),
"occupational_health": the unit has a contact for its service, its own or the nearest one above
it (the one its unit page shows), and the service took part in the unit's HSE work this year.

The log's entries about one person's health (targeted examinations, sick-leave dialogue
meetings) are left out: they belong to points 16 and 18, and in a small unit their date alone
can name the person, so the points' pages, which more people read than the log, do not show
them."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils.translation import gettext_noop

from hms.health.lookup import ContactInUse, contacts_for
from hms.health.models import PERSONAL_KINDS, Involvement, Kind
from hms.points.catalogue import Point
from hms.points.evidence import MAX_RECORD_LINKS, Evidence, Link, State, Text, Units, Year, url_for

# An entry of the log on the points' pages: what the service took part in, and when.
ENTRY_TEXTS = {
    Kind.OVERALL_MAPPING: gettext_noop("The occupational health service took part in the overall "
                                       "risk mapping on %(date)s."),
    Kind.RISK_ASSESSMENT: gettext_noop("The occupational health service took part in a risk "
                                       "assessment on %(date)s."),
    Kind.HSE_ROUND: gettext_noop("The occupational health service took part in an HSE round on "
                                 "%(date)s."),
    Kind.MEETING: gettext_noop("The occupational health service took part in a meeting on "
                               "%(date)s."),
    Kind.SURVEY: gettext_noop("The occupational health service took part in a work environment "
                              "survey on %(date)s."),
    Kind.TRAINING: gettext_noop("The occupational health service gave a training on %(date)s."),
    Kind.OTHER: gettext_noop("The occupational health service took part in the unit's HSE work on "
                             "%(date)s."),
}


def occupational_health_evidence(units: Units, year: Year, point: Point) -> dict[int, Evidence]:
    """Met when the unit has a contact for its occupational health service (its own, or the
    nearest one above it) and the service's involvement in the unit's own HSE work is logged
    from the year's first day to the day judged; partly met with one of the two; not met with
    neither. Two queries."""
    contacts = contacts_for(units.members)
    logged: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for entry in (units.filter(Involvement.objects.filter(date__gte=year.first_day, date__lte=year.on))
                  .exclude(kind__in=PERSONAL_KINDS)
                  .values("pk", "org_unit_id", "kind", "date").order_by("-date", "-pk")):
        logged[entry["org_unit_id"]].append(entry)
    return {unit.pk: _evidence(unit.pk, contacts.get(unit.pk), logged[unit.pk], year.number)
            for unit in units.members}


def _evidence(unit_pk: int, in_use: ContactInUse | None, entries: list[dict[str, Any]],
              number: int) -> Evidence:
    figures = [_contact_figure(in_use)]
    log = url_for("health:unit", args=[unit_pk]) + f"?year={number}"
    records: list[Link] = []
    if in_use is not None:
        records.append(Link(Text(gettext_noop("The unit's occupational health service")),
                            url_for("health:unit", args=[unit_pk])))
    if entries:
        figures.append(Text(gettext_noop("The occupational health service's involvement in the "
                                         "unit's HSE work logged this year: %(count)s, the last on "
                                         "%(last)s."),
                            {"count": len(entries), "last": entries[0]["date"]}))
        records += [Link(Text(ENTRY_TEXTS.get(entry["kind"], ENTRY_TEXTS[Kind.OTHER]),
                              {"date": entry["date"]}), log)
                    for entry in entries[:MAX_RECORD_LINKS - len(records)]]
    else:
        figures.append(Text(gettext_noop("No involvement of the occupational health service in the "
                                         "unit's HSE work is logged this year.")))
    missing: list[Link] = []
    if in_use is None:
        missing.append(Link(Text(gettext_noop("Register the unit's occupational health service")),
                            url_for("health:contact", args=[unit_pk])))
    if not entries:
        missing.append(Link(Text(gettext_noop("Involve the occupational health service in the HSE "
                                              "work and log it")), log))
    state = (State.MET if not missing else State.NOT_MET if len(missing) == 2 else State.PARTLY)
    return Evidence(state, tuple(figures), tuple(records), tuple(missing))


def _contact_figure(in_use: ContactInUse | None) -> Text:
    if in_use is None:
        return Text(gettext_noop("No occupational health service is registered for the unit or a "
                                 "unit above it."))
    contact = in_use.contact
    values = {"service": contact.service}
    if contact.contact_person:
        values["person"] = contact.contact_person
    if in_use.inherited:
        values["source"] = in_use.source.name
    msgid = {
        (True, True): gettext_noop("Occupational health service: %(service)s, contact person "
                                   "%(person)s (registered for %(source)s)."),
        (False, True): gettext_noop("Occupational health service: %(service)s (registered for "
                                    "%(source)s)."),
        (True, False): gettext_noop("Occupational health service: %(service)s, contact person "
                                    "%(person)s."),
        (False, False): gettext_noop("Occupational health service: %(service)s."),
    }[("person" in values, "source" in values)]
    return Text(msgid, values)
