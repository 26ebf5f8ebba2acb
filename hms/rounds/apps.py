from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoundsConfig(AppConfig):
    name = "hms.rounds"
    label = "rounds"
    verbose_name = _("HSE rounds")

    def ready(self) -> None:
        from hms.core import digest, seeding
        from hms.points.evidence import register
        from hms.rounds.demo import seed_demo
        from hms.rounds.digest import RoundSection
        from hms.rounds.points import rounds_evidence

        seeding.DEMO.register("rounds", 50, seed_demo)
        digest.register(70, RoundSection)
        register("rounds", rounds_evidence)
