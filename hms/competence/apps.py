from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetenceConfig(AppConfig):
    name = "hms.competence"
    label = "competence"
    verbose_name = _("Competence and training")

    def ready(self) -> None:
        from hms.competence import exports  # noqa: F401 - registers the gaps workbook's maker
