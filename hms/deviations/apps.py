from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeviationsConfig(AppConfig):
    name = "hms.deviations"
    label = "deviations"
    verbose_name = _("Deviations")

    def ready(self) -> None:
        from hms.core import context_processors, digest, scheduler, seeding
        from hms.core.cards import register_unit_flag
        from hms.deviations import access, cards, tasks
        from hms.deviations.demo import seed_demo
        from hms.deviations.digest import DeviationSection
        from hms.deviations.scale import bench_targets, seed_scale

        scheduler.register(scheduler.DailyJob("injury-details", 4, tasks.enqueue_injury_retention))
        seeding.DEMO.register("deviations", 40, seed_demo)
        seeding.SCALE.register("deviations", 40, seed_scale)
        seeding.BENCH_TARGETS.register("deviations", 40, bench_targets)
        context_processors.register("deviation_link", cards.navigation_link)
        register_unit_flag("may_see_deviations", access.may_list_deviations)
        digest.register(30, DeviationSection)
