from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from hms.core.admin import AuditedAdmin
from hms.rounds import services
from hms.rounds.models import ChecklistItem, ChecklistTemplate


class ItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 1
    fields = ("position", "text_nb", "text_en", "help_nb", "help_en")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or not obj.is_used()

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or not obj.is_used()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or not obj.is_used()


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(AuditedAdmin):
    """Templates are data. A version that a round has used never changes: "make a new version"
    copies it, and the copy is the one new rounds use."""

    list_display = ("name_nb", "name_en", "kind", "version", "is_current")
    list_filter = ("kind", "is_current")
    inlines = [ItemInline]
    actions = ["make_new_version"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and (obj is None or not obj.is_used())

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and (obj is None or not obj.is_used())

    @admin.action(description=_("Make a new version (to edit a template rounds have used)"))
    def make_new_version(self, request: HttpRequest, queryset: Any) -> None:
        for template in queryset:
            copy = services.new_template_version(actor=request.user, template=template)
            messages.success(request, _("%(name)s: version %(version)d is in use now.") % {
                "name": copy.name, "version": copy.version})
