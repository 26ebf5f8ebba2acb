from __future__ import annotations

from django.contrib import admin

from hms.core.admin import AuditedAdmin
from hms.health.models import HealthServiceContact, Involvement


@admin.register(HealthServiceContact)
class HealthServiceContactAdmin(AuditedAdmin):
    list_display = ("service", "org_unit", "contact_person", "phone", "email")
    search_fields = ("service", "contact_person", "org_unit__name")
    readonly_fields = ("version", "updated_by")


@admin.register(Involvement)
class InvolvementAdmin(AuditedAdmin):
    list_display = ("date", "kind", "org_unit", "recorded_by")
    list_filter = ("kind",)
    search_fields = ("description", "org_unit__name")
    date_hierarchy = "date"
    readonly_fields = ("version", "recorded_by", "record_type", "record_id")
