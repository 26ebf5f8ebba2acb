"""Admin: audit rows are read-only, and admin edits of domain records are audited like any write."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest

from hms.core import audit
from hms.core.models import AuditEvent, Notification, ScheduledRun


def _all_fields(obj: models.Model) -> list[str]:
    return [f.name for f in obj._meta.concrete_fields if f.name not in {"id", "password"}]


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            before = (audit.snapshot(type(obj).objects.get(pk=obj.pk), _all_fields(obj))
                      if change else {})
            super().save_model(request, obj, form, change)
            audit.record(actor=request.user, action="admin:change" if change else "admin:create",
                         obj=obj, before=before, after=audit.snapshot(obj, _all_fields(obj)),
                         org_unit=getattr(obj, "org_unit", None))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            audit.record(actor=request.user, action="admin:delete", obj=obj,
                         before=audit.snapshot(obj, _all_fields(obj)),
                         org_unit=getattr(obj, "org_unit", None))
            super().delete_model(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "action", "object_repr", "org_unit", "request_id")
    list_filter = ("action",)
    search_fields = ("object_repr", "actor__username", "request_id")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "recipient", "message", "read_at")


@admin.register(ScheduledRun)
class ScheduledRunAdmin(ReadOnlyAdmin):
    list_display = ("key", "claimed_at")
