from django.contrib import admin

from .models import Conference


@admin.register(Conference)
class ConferenceAdmin(admin.ModelAdmin):
    """Read-only: conferences are written through the services (validated and audited)."""

    list_display = ("held_on", "kind", "unit", "employer", "employer_side", "employee_side")
    list_filter = ("kind", "year")
    search_fields = ("unit__code", "unit__name")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
