"""The audit trail in the admin: read-only (entries are written by the services only)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "object_type", "object_id", "object_repr", "unit", "note"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "object_repr", "note", "actor__username"]
    date_hierarchy = "at"
    list_select_related = ["actor", "unit"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
