from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PointsConfig(AppConfig):
    """The 19 characteristics of a unit that works systematically with HSE (issue 16)."""

    name = "hms.points"
    label = "points"
    verbose_name = _("Systematic HSE work: the 19 points")

    def ready(self) -> None:
        from hms.core import digest, scheduler, seeding
        from hms.core.cards import register_unit_card
        from hms.points import evidence  # noqa: F401 - registers the rules no app computes
        from hms.points.cards import unit_card
        from hms.points.demo import seed_demo
        from hms.points.digest import PointSection
        from hms.points.freeze import enqueue_freeze
        from hms.points.scale import seed_scale

        seeding.REFERENCE_DATA.add("points.PointCatalogue")  # seed_scale --force keeps it
        seeding.DEMO.register("points", 110, seed_demo)  # last: it reads every app's records
        seeding.SCALE.register("points", 110, seed_scale)
        register_unit_card(5, unit_card)
        digest.register(80, PointSection)
        scheduler.register(scheduler.DailyJob("points-freeze", 2, enqueue_freeze))
