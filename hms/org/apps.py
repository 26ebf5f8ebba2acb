from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "hms.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from hms.core import context_processors, seeding
        from hms.org import access
        from hms.org.demo import seed_demo, seed_more_people
        from hms.org.scale import bench_targets, seed_scale, tree_problems

        seeding.DEMO.register("org", 10, seed_demo)
        seeding.DEMO.register("org.more_people", 100, seed_more_people)
        seeding.SCALE.register("org", 10, seed_scale)
        seeding.BENCH_TARGETS.register("org", 10, bench_targets)
        seeding.CHECKS.register("org.tree", 10, tree_problems)
        seeding.ROOTS.add("org.OrgUnit")
        context_processors.register("my_units", access.my_units)
        context_processors.register("is_org_admin", access.is_org_admin)
        context_processors.register("plan_unit", access.plan_unit)
