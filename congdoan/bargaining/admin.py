from django.contrib import admin

from .models import CollectiveAgreement, GradingRule


@admin.register(GradingRule)
class GradingRuleAdmin(admin.ModelAdmin):
    list_display = ("year", "grade", "min_favourable_clauses", "description")
    list_filter = ("year",)


@admin.register(CollectiveAgreement)
class CollectiveAgreementAdmin(admin.ModelAdmin):
    """Read-only: agreements are written through the services (validated and audited)."""

    list_display = ("signed_on", "number", "cdcs", "kind", "effective_on", "expires_on", "grade")
    list_filter = ("kind", "grade", "scope")
    search_fields = ("number", "cdcs__code", "cdcs__name")
    raw_id_fields = ("cdcs", "renewal_of")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
