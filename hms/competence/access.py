"""Who sees and records training."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

from hms.core.authz import NOTHING, Scope, is_active_user, one_or_404
from hms.core.roles import Action
from hms.org.access import holds, role_scope, scope

if TYPE_CHECKING:
    from hms.org.models import OrgUnit

# The unit's training records, recorded by its leaders and coordinators: a role's reach alone.
may_record_training = holds(Action.EDIT)


def training_scope(user: Any) -> Scope:
    """Where the user sees training gaps and records: the units where they are a leader, an HSE
    coordinator or a lab leader, and those their safety areas cover."""
    from hms.core.roles import TRAINING_OVERVIEW_ROLES

    return role_scope(user, TRAINING_OVERVIEW_ROLES)


def training_record_q(user: Any, action: str) -> Q:
    """VIEW: the records of people with an active role in the user's training scope, and the
    user's own. EDIT (correct, delete): of people with an active role in the user's EDIT scope."""
    from hms.org.models import RoleAssignment

    if not is_active_user(user):
        return NOTHING
    units = training_scope(user) if action == Action.VIEW else scope(user, Action.EDIT)
    if units.everything:
        return Q()
    people = RoleAssignment.objects.active().filter(units.unit_q("org_unit")).values("person")
    query = Q(person__in=people)
    if action == Action.VIEW:
        query |= Q(person=user)
    return query


def access_training_record(user: Any, pk: Any, action: str) -> Any:
    from hms.competence.models import TrainingRecord

    return one_or_404(TrainingRecord.objects.visible_to(user, action).select_related(
        "person", "course", "org_unit"), pk)


def may_see_training(user: Any, unit: OrgUnit) -> bool:
    return training_scope(user).contains(unit)


def training_editable_people(user: Any, person_ids: list[int]) -> set[int]:
    """Those of the people whose training the user may record: an active role in the user's EDIT
    scope (everyone, for a superuser)."""
    from hms.org.models import RoleAssignment

    edit = scope(user, Action.EDIT)
    if edit.everything:
        return set(person_ids)
    return set(RoleAssignment.objects.active().filter(edit.unit_q("org_unit"))
               .filter(person_id__in=person_ids).values_list("person_id", flat=True))
