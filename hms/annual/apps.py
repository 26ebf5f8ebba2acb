from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnualConfig(AppConfig):
    """The annual cycle (issue 17): the annual HSE report's questionnaire as data."""

    name = "hms.annual"
    label = "annual"
    verbose_name = _("The annual HSE report")

    def ready(self) -> None:
        from hms.core import seeding

        seeding.REFERENCE_DATA.add("annual.Questionnaire")  # seed_scale --force keeps it
