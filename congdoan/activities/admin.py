from django.contrib import admin

from .models import ActivityKind


@admin.register(ActivityKind)
class ActivityKindAdmin(admin.ModelAdmin):
    """The kinds of activity are configured here (the eight seeded ones can be renamed or retired)."""

    list_display = ("code", "name", "phrase", "sort_order", "active")
    list_editable = ("name", "phrase", "sort_order", "active")
    search_fields = ("code", "name")
