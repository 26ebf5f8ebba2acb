"""Who signs a round's summary, said where it matters and told once (issue 14).

The leader of the round's unit and the safety representative (or deputy) of its area sign. A
person who cannot give a signature that is still missing reads on the summary page who can, by
name; a safety representative planning a round outside their own unit reads whose the leader's
signature is; and those who give the missing signatures are notified once, when the walk is done
(or at the first signature of a round walked before this was told)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from hms.core.languages import either
from hms.core.notifications import notify
from hms.core.roles import Role
from hms.org import access as org_access
from hms.rounds import access
from hms.rounds.models import Round

LEADER, SAFETY_REP = "leader", "safety_rep"


def leaders(unit: Any) -> list[Any]:
    return org_access.holders_over(unit, (Role.LEADER,))


def to_tell(round_: Round) -> dict[str, list[Any]]:
    """Who is told that a signature awaits them: the nearest leaders of the unit, and the area's
    safety representatives (its deputies only when it has none)."""
    area = round_.safety_area_id
    return {LEADER: leaders(round_.org_unit),
            SAFETY_REP: org_access.representatives_of(area, deputies=False)
            or org_access.representatives_of(area)}


def missing(round_: Round) -> list[str]:
    """The signatures the round still needs."""
    return [role for role, at in ((LEADER, round_.leader_signed_at),
                                  (SAFETY_REP, round_.rep_signed_at)) if at is None]


@dataclass(frozen=True)
class Note:
    text: str
    named: bool  # someone is registered who can sign (and was told, once the walk was done)


def notes_for(user: Any, round_: Round) -> list[Note]:
    """For each missing signature the user cannot give: who gives it (names, in the reader's
    language), or that nobody is registered who can."""
    notes = []
    for role in missing(round_):
        if role == LEADER and not access.may_sign_round_as_leader(user, round_):
            people = leaders(round_.org_unit)
            notes.append(Note(_leader_note(round_.org_unit, people), bool(people)))
        elif role == SAFETY_REP and not org_access.represents_area(user, round_.safety_area_id):
            people = org_access.representatives_of(round_.safety_area_id)
            notes.append(Note(_rep_note(round_.safety_area, people), bool(people)))
    return notes


def _leader_note(unit: Any, people: list[Any]) -> str:
    if not people:
        return _("%(unit)s has no leader registered, so nobody can sign as its leader yet: ask the "
                 "administrator to register the unit's leader.") % {"unit": unit.name}
    return _("Only the leader of %(unit)s can sign as the leader: %(people)s.") % {
        "unit": unit.name, "people": either(people)}


def _rep_note(area: Any, people: list[Any]) -> str:
    if not people:
        return _("%(area)s has no safety representative registered, so nobody can sign as its "
                 "safety representative yet: ask the unit's leader to have one registered.") % {
            "area": area.name}
    return _("Only the safety representative of %(area)s (or the deputy) can sign as the safety "
             "representative: %(people)s.") % {"area": area.name, "people": either(people)}


def plan_note(user: Any, unit: Any) -> str:
    """For the planning form of someone who will not sign as the unit's leader: whose the
    leader's signature is (a safety representative planning in a unit above their area's units
    reads that it belongs to that unit's leader)."""
    if org_access.may_sign_as_leader(user, unit):
        return ""
    people = leaders(unit)
    if not people:
        return _("%(unit)s has no leader registered: nobody can sign a round there as its leader. "
                 "Ask the administrator to register the leader before the summary.") % {
            "unit": unit.name}
    return _("A round in %(unit)s is signed by its leader, %(people)s, together with the safety "
             "representative of the round's area.") % {"unit": unit.name, "people": either(people)}


def ask(round_: Round, actor: Any) -> int:
    """Tell each person who can give a missing signature (not the one acting) that the summary
    awaits it, in their own language. The caller makes sure this happens once a round."""
    told: set[int] = {actor.pk}
    who = to_tell(round_)
    url = reverse("rounds:summary", args=[round_.pk]) + "#sign"
    for role in missing(round_):
        for person in who[role]:
            if person.pk in told:
                continue
            told.add(person.pk)
            with translation.override(person.language):
                notify(person, _message(role, round_), url)
    return len(told) - 1


def _message(role: str, round_: Round) -> str:
    values = {"area": round_.safety_area.name, "unit": round_.org_unit.name}
    if role == LEADER:
        return _("The HSE round in %(area)s (%(unit)s) has been walked: its summary awaits your "
                 "signature as the leader.") % values
    return _("The HSE round in %(area)s (%(unit)s) has been walked: its summary awaits your "
             "signature as the safety representative.") % values
