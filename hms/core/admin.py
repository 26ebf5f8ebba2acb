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


def _fields_and_relations(obj: models.Model) -> dict[str, Any]:
    values = audit.snapshot(obj, _all_fields(obj))
    for field in obj._meta.many_to_many:
        values[field.name] = sorted(str(related) for related in getattr(obj, field.name).all())
    return values


class AuditedAdmin(admin.ModelAdmin):
    """Admin writes are audited like service writes: before and after, many-to-many included."""

    def changeform_view(self, request: HttpRequest, object_id: Any = None, *args: Any,
                        **kwargs: Any) -> Any:
        with transaction.atomic():
            if request.method == "POST" and object_id:
                current = self.get_object(request, object_id)
                request._audit_before = _fields_and_relations(current) if current else {}  # type: ignore[attr-defined]
            return super().changeform_view(request, object_id, *args, **kwargs)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        obj = form.instance
        audit.record(actor=request.user, action="admin:change" if change else "admin:create",
                     obj=obj, before=getattr(request, "_audit_before", {}),
                     after=_fields_and_relations(obj), org_unit=getattr(obj, "org_unit", None))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            _record_delete(request, obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        with transaction.atomic():
            for obj in queryset:
                _record_delete(request, obj)
            super().delete_queryset(request, queryset)


def _record_delete(request: HttpRequest, obj: Any) -> None:
    audit.record(actor=request.user, action="admin:delete", obj=obj,
                 before=_fields_and_relations(obj), org_unit=getattr(obj, "org_unit", None))


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
