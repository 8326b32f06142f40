from django.contrib import admin

from .models import FigureMapping


@admin.register(FigureMapping)
class FigureMappingAdmin(admin.ModelAdmin):
    """The phrases the figure checker reads as indicators: administrators add and correct them."""

    list_display = ("phrase", "indicator", "kind", "active", "note")
    list_filter = ("kind", "active", "indicator")
    list_editable = ("active",)
    search_fields = ("phrase", "indicator__code", "indicator__name")
