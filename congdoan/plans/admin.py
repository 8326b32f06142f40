from django.contrib import admin

from .models import KeyTask


@admin.register(KeyTask)
class KeyTaskAdmin(admin.ModelAdmin):
    """Read-only: key tasks are written through the services (validated and audited)."""

    list_display = ("title", "unit", "assigned_by", "deadline", "status")
    list_filter = ("status", "source")
    search_fields = ("title", "unit__code", "unit__name")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
