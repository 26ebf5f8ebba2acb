from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "hms.measures"
    label = "measures"
    verbose_name = _("Action plan")

    def ready(self) -> None:
        from hms.measures import exports  # noqa: F401  (registers the plan's document makers)
