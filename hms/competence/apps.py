from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetenceConfig(AppConfig):
    name = "hms.competence"
    label = "competence"
    verbose_name = _("Competence and training")

    def ready(self) -> None:
        from hms.competence import calendar as training_calendar
        from hms.competence import exports  # noqa: F401 - registers the gaps workbook's maker
        from hms.competence.cards import home_card, unit_card
        from hms.competence.demo import seed_demo
        from hms.competence.digest import TrainingSection, TrainingSummarySection
        from hms.competence.points import competence_evidence, deviations_evidence
        from hms.competence.scale import bench_targets, seed_scale
        from hms.core import calendar, digest, seeding
        from hms.core.cards import register_home_card, register_unit_card
        from hms.points.evidence import register

        seeding.DEMO.register("competence", 80, seed_demo)
        seeding.SCALE.register("competence", 80, seed_scale)
        seeding.BENCH_TARGETS.register("competence", 80, bench_targets)
        register_unit_card(40, unit_card)
        register_home_card(40, home_card)
        calendar.register(30, training_calendar.entries)
        digest.register(40, TrainingSection)
        digest.register(50, TrainingSummarySection)
        register("competence", competence_evidence)
        register("deviations", deviations_evidence)
