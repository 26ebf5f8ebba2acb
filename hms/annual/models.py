"""The questionnaire of the annual HSE report, versioned like the catalogue of the points: a
saved version never changes, and each year is answered by the version in force in it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hms.annual.questionnaire import Question
from hms.core.versions import VersionedDefinition, VersionedQuerySet


class Questionnaire(VersionedDefinition):
    objects = VersionedQuerySet.as_manager()

    class Meta(VersionedDefinition.Meta):
        verbose_name = _("questionnaire of the annual HSE report")
        verbose_name_plural = _("questionnaires of the annual HSE report")

    def questions(self) -> list[Question]:
        return [Question.of(entry) for entry in self.definition["questions"]]
