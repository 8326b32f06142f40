from django.contrib import admin

from .models import Recommendation


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    """Read-only: recommendations are written through the services (validated and audited)."""

    list_display = ("title", "unit", "to_unit", "to_body", "raised_on", "status")
    list_filter = ("status", "topic")
    search_fields = ("title", "unit__code", "unit__name")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
