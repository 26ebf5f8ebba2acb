from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hms.core.admin import AuditedAdmin
from hms.deviations.models import DeviationType


@admin.register(DeviationType)
class DeviationTypeAdmin(AuditedAdmin):
    """The list of types a reporter picks from. Cases are handled in the app, not here; a type in
    use is retired (not in use) rather than deleted."""

    list_display = ("code", "name_nb", "name_en", "is_injury", "order", "active")
    list_filter = ("active", "is_injury")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is not None and not obj.deviations.exists()
