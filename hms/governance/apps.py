from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "hms.governance"
    label = "governance"
    verbose_name = _("HSE goals and delegated tasks")

    def ready(self) -> None:
        from hms.core import calendar, digest, seeding
        from hms.core.cards import register_home_card, register_unit_card
        from hms.governance import calendar as governance_calendar
        from hms.governance import cards
        from hms.governance.demo import seed_demo
        from hms.governance.digest import DelegationSection
        from hms.governance.points import delegations_evidence, goals_evidence
        from hms.governance.scale import seed_scale
        from hms.points.evidence import register

        seeding.DEMO.register("governance", 60, seed_demo)
        seeding.SCALE.register("governance", 70, seed_scale)
        register_unit_card(50, cards.unit_card)
        register_home_card(50, cards.home_card)
        calendar.register(40, governance_calendar.entries)
        digest.register(60, DelegationSection)
        register("goals", goals_evidence)
        register("delegations", delegations_evidence)
