from django.contrib import admin
from django.http import Http404, HttpRequest, HttpResponse
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from hms.core.admin import AuditedAdmin
from hms.org.models import OrgUnit, RoleAssignment, SafetyArea


@admin.register(OrgUnit)
class OrgUnitAdmin(AuditedAdmin, TreeAdmin):
    form = movenodeform_factory(OrgUnit)
    list_display = ("name", "code", "kind")
    search_fields = ("name", "code")

    def children_view(self, request: HttpRequest, parent_id: str) -> HttpResponse:
        """treebeard looks the parent up by the URL's text as it is: one that is not a number
        is not found, rather than a server error."""
        if not (parent_id.isascii() and parent_id.isdigit()):
            raise Http404
        return super().children_view(request, parent_id)


@admin.register(SafetyArea)
class SafetyAreaAdmin(AuditedAdmin):
    list_display = ("name", "code", "org_unit", "risk_level")
    filter_horizontal = ("units",)
    search_fields = ("name", "code")


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedAdmin):
    list_display = ("person", "role", "org_unit", "safety_area", "covers_subtree", "valid_from",
                    "valid_to", "source")
    list_filter = ("role", "source")
    search_fields = ("person__username", "person__last_name", "org_unit__name")
    autocomplete_fields = ("person",)
