from django.contrib import admin

from hms.core.admin import ReadOnlyAdmin
from hms.measures.models import Measure


@admin.register(Measure)
class MeasureAdmin(ReadOnlyAdmin):
    """Measures are changed in the app, where the workflow, versioning and audit apply."""

    list_display = ("title", "org_unit", "responsible", "deadline", "status")
    list_filter = ("status", "origin", "priority")
    search_fields = ("title",)
