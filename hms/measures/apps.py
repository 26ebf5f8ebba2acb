from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "hms.measures"
    label = "measures"
    verbose_name = _("Action plan")

    def ready(self) -> None:
        from hms.core import calendar, digest, seeding
        from hms.core.cards import register_home_card
        from hms.measures import calendar as measure_calendar
        from hms.measures import exports  # noqa: F401  (registers the plan's document makers)
        from hms.measures.cards import home_card
        from hms.measures.demo import seed_department
        from hms.measures.digest import MeasureSection
        from hms.measures.points import action_plan_evidence
        from hms.measures.scale import bench_targets, seed_scale
        from hms.points.evidence import register

        seeding.DEMO_DEPARTMENT.register("measures", 20, seed_department)
        seeding.SCALE.register("measures", 20, seed_scale)
        seeding.BENCH_TARGETS.register("measures", 20, bench_targets)
        register_home_card(10, home_card)
        calendar.register(20, measure_calendar.entries)
        digest.register(10, MeasureSection)
        register("action_plan", action_plan_evidence)
