from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hms.core.admin import AuditedAdmin
from hms.governance.models import DelegationTask


@admin.register(DelegationTask)
class DelegationTaskAdmin(AuditedAdmin):
    """The catalogue a leader delegates from. Delegations are made in the app, not here; a task in
    use is retired (not in use) rather than deleted."""

    list_display = ("code", "name_nb", "name_en", "order", "active")
    list_filter = ("active",)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is not None and not obj.delegations.exists()
