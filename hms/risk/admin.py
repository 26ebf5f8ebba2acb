from __future__ import annotations

import json
from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from hms.risk import services
from hms.risk.forms import RiskMatrixForm
from hms.risk.models import RiskMatrix


@admin.register(RiskMatrix)
class RiskMatrixAdmin(admin.ModelAdmin):
    """Versions are never edited: "add" starts from the version in use, and saving makes a new one."""

    form = RiskMatrixForm
    list_display = ("version", "name_nb", "name_en", "is_current", "created_at", "created_by")
    actions = ["put_in_use"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ["upload", "definition"]
        return ["version", "name_nb", "name_en", "source", "is_current", "created_at", "created_by",
                "pretty"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [] if obj is None else self.get_fields(request, obj)

    @admin.display(description=_("definition"))
    def pretty(self, obj: RiskMatrix) -> str:
        return json.dumps(obj.definition, ensure_ascii=False, indent=2)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        current = RiskMatrix.objects.current()
        return {"definition": current.definition} if current else {}

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        matrix = services.load_matrix(actor=request.user, definition=form.cleaned_data["definition"])
        obj.pk, obj.version, obj.name_nb, obj.name_en = (matrix.pk, matrix.version, matrix.name_nb,
                                                          matrix.name_en)

    @admin.action(description=_("Use for new assessments"))
    def put_in_use(self, request: HttpRequest, queryset: Any) -> None:
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one version."), messages.ERROR)
            return
        matrix = services.make_current(actor=request.user, matrix=queryset.get())
        self.message_user(request, _("%(matrix)s is now used for new assessments.") % {"matrix": matrix})
