from django.contrib import admin

from .models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "kind",
        "original_name",
        "user",
        "status",
        "error_count",
        "created_at",
        "finished_at",
    ]
    list_filter = ["kind", "status"]
    search_fields = ["original_name", "sha256", "user__username"]
    date_hierarchy = "created_at"
    raw_id_fields = ["user", "unit"]
    readonly_fields = [f.name for f in ImportJob._meta.fields]

    def has_add_permission(self, request: object) -> bool:  # jobs come from uploads only
        return False
