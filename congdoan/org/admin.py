"""Org records in the admin, for administrators to look up.

Read-only on purpose: every change to units, links, employers and clusters goes through
``congdoan.org.services`` (validated, dated, audited) — use the app's pages or the CLI.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import ClusterMember, Employer, EmulationCluster, OrgLink, OrgUnit


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ParentLinkInline(ReadOnlyMixin, admin.TabularInline):
    model = OrgLink
    fk_name = "child"
    extra = 0
    verbose_name = "đơn vị cấp trên"
    verbose_name_plural = "lịch sử trực thuộc"
    fields = ["parent", "valid_from", "valid_to", "reason"]


@admin.register(OrgUnit)
class OrgUnitAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["code", "name", "type", "sector", "founded_on", "dissolved_on"]
    list_filter = ["type", "sector"]
    search_fields = ["code", "name", "short_name", "search_key"]
    inlines = [ParentLinkInline]


@admin.register(OrgLink)
class OrgLinkAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["child", "parent", "valid_from", "valid_to", "reason"]
    search_fields = ["child__code", "child__name", "parent__code", "parent__name"]
    list_select_related = ["child", "parent"]


@admin.register(Employer)
class EmployerAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "tax_code", "sector", "workforce", "pays_union_funding", "unit", "cdcs"]
    list_filter = ["sector", "pays_union_funding"]
    search_fields = ["name", "tax_code", "search_key"]
    list_select_related = ["unit", "cdcs"]


class ClusterMemberInline(ReadOnlyMixin, admin.TabularInline):
    model = ClusterMember
    extra = 0
    fields = ["unit", "role"]


@admin.register(EmulationCluster)
class EmulationClusterAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "year", "organiser"]
    list_filter = ["year"]
    search_fields = ["name", "organiser__name"]
    inlines = [ClusterMemberInline]
