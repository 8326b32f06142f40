"""API of org units and employers: thin viewsets over the scoped selectors."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.dateparse import parse_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from congdoan.core.lookups import ID_IN_URL

from . import selectors
from .models import Employer, OrgUnit, Sector, UnitType


class UnitSerializer(serializers.ModelSerializer):
    type_display = serializers.CharField(source="get_type_display", read_only=True)
    sector_display = serializers.CharField(source="get_sector_display", read_only=True)

    class Meta:
        model = OrgUnit
        fields = [
            "code",
            "name",
            "short_name",
            "type",
            "type_display",
            "sector",
            "sector_display",
            "address",
            "phone",
            "email",
            "founded_on",
            "dissolved_on",
        ]


class UnitDetailSerializer(UnitSerializer):
    parent = serializers.SerializerMethodField()  # type: ignore[assignment]  # DRF's Field.parent
    history = serializers.SerializerMethodField()

    class Meta(UnitSerializer.Meta):
        fields = [*UnitSerializer.Meta.fields, "parent", "history"]

    def get_parent(self, unit: OrgUnit) -> str | None:
        parent = selectors.parent_of(unit, unit.last_day or self.context["today"])
        return parent.code if parent else None

    def get_history(self, unit: OrgUnit) -> list[dict]:
        return [
            {
                "parent": link.parent.code,
                "valid_from": link.valid_from,
                "valid_to": link.valid_to,
                "reason": link.reason,
            }
            for link in selectors.unit_links(unit)
        ]


class UnitFilter(django_filters.FilterSet):
    type = django_filters.MultipleChoiceFilter(choices=UnitType.choices)
    sector = django_filters.MultipleChoiceFilter(choices=Sector.choices)

    class Meta:
        model = OrgUnit
        fields = ["type", "sector"]


SEARCH = OpenApiParameter("search", OpenApiTypes.STR, description="Tìm không dấu theo tên hoặc mã")
ON = OpenApiParameter("on", OpenApiTypes.DATE, description="Cây tổ chức vào ngày (mặc định: hôm nay)")


@extend_schema_view(list=extend_schema(parameters=[SEARCH, ON]))
class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    """Org units in the caller's subtrees; ``/units/<code>/`` answers 404 outside them."""

    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    filterset_class = UnitFilter

    def get_queryset(self) -> QuerySet[OrgUnit]:
        on = parse_date(self.request.query_params.get("on", "") or "") or None
        qs = selectors.unit_list(
            user=self.request.user, on=on, search=self.request.query_params.get("search", "")
        )
        return qs.order_by("code")

    def get_object(self) -> OrgUnit:
        return selectors.unit_get(user=self.request.user, code=self.kwargs["code"])

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return UnitDetailSerializer if self.action == "retrieve" else UnitSerializer

    def get_serializer_context(self) -> dict:
        from django.utils import timezone

        return {**super().get_serializer_context(), "today": timezone.localdate()}


class EmployerSerializer(serializers.ModelSerializer):
    unit: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="code", read_only=True)
    cdcs: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Employer
        fields = [
            "id",
            "name",
            "tax_code",
            "sector",
            "address",
            "workforce",
            "pays_union_funding",
            "unit",
            "cdcs",
        ]


class EmployerFilter(django_filters.FilterSet):
    sector = django_filters.MultipleChoiceFilter(choices=Sector.choices)
    has_cdcs = django_filters.BooleanFilter(field_name="cdcs", lookup_expr="isnull", exclude=True)
    unit = django_filters.CharFilter(field_name="unit__code")

    class Meta:
        model = Employer
        fields = ["sector", "pays_union_funding", "has_cdcs", "unit"]


@extend_schema_view(list=extend_schema(parameters=[SEARCH]))
class EmployerViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = EmployerSerializer
    lookup_value_regex = ID_IN_URL
    filterset_class = EmployerFilter

    def get_queryset(self) -> QuerySet[Employer]:
        return selectors.employer_list(
            user=self.request.user, search=self.request.query_params.get("search", "")
        ).order_by("name", "id")

    def get_object(self) -> Employer:
        try:
            pk = int(self.kwargs["pk"])
        except ValueError as exc:
            from django.http import Http404

            raise Http404 from exc
        return selectors.employer_get(user=self.request.user, pk=pk)
