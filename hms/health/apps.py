from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthConfig(AppConfig):
    name = "hms.health"
    label = "health"
    verbose_name = _("Occupational health service")

    def ready(self) -> None:
        from hms.core import seeding
        from hms.core.cards import register_home_card, register_unit_card
        from hms.health import cards, services
        from hms.health.demo import seed_demo
        from hms.health.points import occupational_health_evidence
        from hms.meetings.signals import minutes_completed
        from hms.points.evidence import register

        seeding.DEMO.register("health", 90, seed_demo)
        register_unit_card(30, cards.unit_card)
        register_home_card(30, cards.home_card)
        minutes_completed.connect(services.log_meeting, dispatch_uid="hms_health_meeting_log")
        register("occupational_health", occupational_health_evidence)
