from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeviationsConfig(AppConfig):
    name = "hms.deviations"
    label = "deviations"
    verbose_name = _("Deviations")

    def ready(self) -> None:
        from hms.core import scheduler
        from hms.deviations import tasks

        scheduler.register(scheduler.DailyJob("injury-details", 4, tasks.enqueue_injury_retention))
