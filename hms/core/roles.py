"""Roles and actions: the vocabulary of the access layer, and the role → action table."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    LEADER = "leader", _("Leader")
    SAFETY_REP = "safety_rep", _("Safety representative")
    DEPUTY_SAFETY_REP = "deputy_safety_rep", _("Deputy safety representative")
    HSE_COORDINATOR = "hse_coordinator", _("HSE coordinator")
    DEVIATION_HANDLER = "deviation_handler", _("Deviation handler")
    LAB_LEADER = "lab_leader", _("Lab leader")
    EMPLOYEE = "employee", _("Employee")
    STUDENT = "student", _("Student")


# Roles held for a safety area rather than for a unit: their scope is the units the area covers.
SAFETY_AREA_ROLES = frozenset({Role.SAFETY_REP, Role.DEPUTY_SAFETY_REP})
# Public roles (issue 12), in the order a unit's page lists them: their holders' names and e-mail
# addresses are shown to every signed-in person, or only within the unit (HMS_SHOW_ROLE_HOLDERS).
# Everyone else of a unit is listed only to those who may see its people.
PUBLIC_ROLES = (Role.LEADER, Role.HSE_COORDINATOR, Role.SAFETY_REP, Role.DEPUTY_SAFETY_REP)


class Action(models.TextChoices):
    VIEW = "view", _("View")
    CREATE = "create", _("Create")
    EDIT = "edit", _("Edit")
    PROGRESS = "progress", _("Record progress")
    VERIFY = "verify", _("Verify or cancel")
    MANAGE = "manage", _("Manage the unit")


_READ_AND_PROPOSE = frozenset({Action.VIEW, Action.CREATE})

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.LEADER: frozenset(Action.values),
    Role.HSE_COORDINATOR: frozenset(
        {Action.VIEW, Action.CREATE, Action.EDIT, Action.PROGRESS, Action.VERIFY}
    ),
    Role.SAFETY_REP: _READ_AND_PROPOSE,
    Role.DEPUTY_SAFETY_REP: _READ_AND_PROPOSE,
    Role.DEVIATION_HANDLER: _READ_AND_PROPOSE,
    Role.LAB_LEADER: _READ_AND_PROPOSE,
    Role.EMPLOYEE: frozenset({Action.VIEW}),
    Role.STUDENT: frozenset(),
}

# The named follow-up owner of a unit's action plan runs the plan without being its leader.
PLAN_OWNER_ACTIONS = frozenset(
    {Action.VIEW, Action.CREATE, Action.EDIT, Action.PROGRESS, Action.VERIFY}
)
# The participants of a risk assessment see it and edit its rows, whatever their role.
PARTICIPANT_ACTIONS = frozenset({Action.VIEW, Action.EDIT})
# The person responsible for a measure sees it and records its progress, wherever it lives.
RESPONSIBLE_ACTIONS = frozenset({Action.VIEW, Action.PROGRESS})

# Deviations follow their own rules (issue 4): the unit's leaders and case handlers see and handle
# every case of the unit, safety representatives see the cases in their safety area, the reporter
# their own; nobody else. Only handlers and leaders read who was injured and how.
DEVIATION_CASE_ROLES = frozenset({Role.LEADER, Role.DEVIATION_HANDLER})
# Counts without names: the case roles, the safety representatives and the HSE coordinator.
DEVIATION_STATISTICS_ROLES = DEVIATION_CASE_ROLES | SAFETY_AREA_ROLES | {Role.HSE_COORDINATOR}
# Competence (issue 6): a unit's training gaps and records are seen by its leaders, HSE
# coordinators and lab leaders, and by the safety representatives of the areas covering it.
TRAINING_OVERVIEW_ROLES = frozenset({Role.LEADER, Role.HSE_COORDINATOR, Role.LAB_LEADER}
                                    ) | SAFETY_AREA_ROLES
