from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskConfig(AppConfig):
    name = "hms.risk"
    label = "risk"
    verbose_name = _("Risk")

    def ready(self) -> None:
        from hms.core import digest, seeding
        from hms.core.cards import register_unit_card
        from hms.points.evidence import register
        from hms.risk import documents  # noqa: F401  (registers the assessment PDF's maker)
        from hms.risk.cards import unit_card
        from hms.risk.demo import seed_demo
        from hms.risk.digest import ReviewSection
        from hms.risk.points import detailed_assessments_evidence, overall_mapping_evidence
        from hms.risk.scale import bench_targets, seed_scale

        seeding.DEMO.register("risk", 30, seed_demo)
        seeding.SCALE.register("risk", 30, seed_scale)
        seeding.BENCH_TARGETS.register("risk", 30, bench_targets)
        seeding.REFERENCE_DATA.add("risk.RiskMatrix")
        register_unit_card(10, unit_card)
        digest.register(20, ReviewSection)
        register("overall_mapping", overall_mapping_evidence)
        register("detailed_assessments", detailed_assessments_evidence)
