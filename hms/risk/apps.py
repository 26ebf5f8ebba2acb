from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskConfig(AppConfig):
    name = "hms.risk"
    label = "risk"
    verbose_name = _("Risk")

    def ready(self) -> None:
        from hms.risk import documents  # noqa: F401  (registers the assessment PDF's maker)
