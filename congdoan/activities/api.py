"""API of activities: read-only, scoped, with the list page's filters; and the configured kinds."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from congdoan.core.lookups import ID_IN_URL

from . import selectors
from .filters import ActivityFilter
from .models import Activity, ActivityKind


class ActivityKindSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActivityKind
        fields = ["id", "code", "name", "phrase", "sort_order", "active"]


class ActivitySerializer(serializers.ModelSerializer):
    kind: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="code", read_only=True)
    kind_name = serializers.CharField(source="kind.name", read_only=True)
    unit: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "kind",
            "kind_name",
            "unit",
            "unit_name",
            "held_on",
            "title",
            "place",
            "sessions",
            "participants",
            "women",
            "cost",
        ]


PARAMS = [
    OpenApiParameter("unit", OpenApiTypes.STR, description="Mã đơn vị: các đơn vị trực thuộc"),
    OpenApiParameter("from", OpenApiTypes.DATE, description="Tổ chức từ ngày"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Tổ chức đến ngày"),
    OpenApiParameter("kind", OpenApiTypes.STR, description="Mã loại hoạt động"),
    OpenApiParameter("q", OpenApiTypes.STR, description="Tìm trong nội dung, địa điểm"),
]


@extend_schema_view(list=extend_schema(parameters=PARAMS))
class ActivityViewSet(viewsets.ReadOnlyModelViewSet):
    """Activities of the units in the caller's subtrees; others answer 404."""

    serializer_class = ActivitySerializer
    lookup_value_regex = ID_IN_URL
    filterset_class = ActivityFilter

    def get_queryset(self) -> QuerySet[Activity]:
        return selectors.activity_list(user=self.request.user)

    def get_object(self) -> Activity:
        try:
            pk = int(self.kwargs["pk"])
        except ValueError as exc:
            raise Http404 from exc
        return selectors.activity_get(user=self.request.user, pk=pk)


class ActivityKindViewSet(viewsets.ReadOnlyModelViewSet):
    """The kinds of activity (configured by the administrator)."""

    serializer_class = ActivityKindSerializer
    lookup_value_regex = ID_IN_URL
    queryset = ActivityKind.objects.all()
