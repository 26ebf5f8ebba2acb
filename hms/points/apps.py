from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PointsConfig(AppConfig):
    """The 19 characteristics of a unit that works systematically with HSE (issue 16)."""

    name = "hms.points"
    label = "points"
    verbose_name = _("Systematic HSE work: the 19 points")

    def ready(self) -> None:
        from hms.core import seeding

        seeding.REFERENCE_DATA.add("points.PointCatalogue")  # seed_scale --force keeps it
