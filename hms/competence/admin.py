from __future__ import annotations

from django.contrib import admin

from hms.competence.models import Course, Requirement
from hms.core.admin import AuditedAdmin


class RequirementInline(admin.TabularInline):
    model = Requirement
    extra = 1
    fields = ("role", "lab_work")


@admin.register(Course)
class CourseAdmin(AuditedAdmin):
    """Courses and who must take them are data: an administrator adds courses, changes their
    validity and says which roles (or lab work) require them."""

    list_display = ("code", "name_nb", "name_en", "validity_months", "order")
    search_fields = ("code", "name_nb", "name_en")
    inlines = [RequirementInline]
