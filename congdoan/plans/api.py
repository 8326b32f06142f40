"""API of key tasks: read-only, scoped, with the list page's filters."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from congdoan.core.lookups import ID_IN_URL

from . import selectors
from .filters import TaskFilter
from .models import KeyTask


class KeyTaskSerializer(serializers.ModelSerializer):
    unit: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    assigned_by: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    source_display = serializers.CharField(source="get_source_display", read_only=True)

    class Meta:
        model = KeyTask
        fields = [
            "id",
            "unit",
            "unit_name",
            "assigned_by",
            "parent",
            "title",
            "description",
            "source",
            "source_display",
            "owner",
            "start_on",
            "deadline",
            "status",
            "status_display",
            "done_on",
            "evidence",
        ]


PARAMS = [
    OpenApiParameter("unit", OpenApiTypes.STR, description="Mã đơn vị: đơn vị và các đơn vị trực thuộc"),
    OpenApiParameter("from", OpenApiTypes.DATE, description="Hạn hoàn thành từ ngày"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Hạn hoàn thành đến ngày"),
    OpenApiParameter(
        "status", OpenApiTypes.STR, description="pending, overdue, open, in_progress, done, cancelled"
    ),
    OpenApiParameter(
        "q", OpenApiTypes.STR, description="Tìm trong tên nhiệm vụ, người phụ trách, tên đơn vị"
    ),
]


@extend_schema_view(list=extend_schema(parameters=PARAMS))
class KeyTaskViewSet(viewsets.ReadOnlyModelViewSet):
    """Key tasks of the units in the caller's subtrees; others answer 404."""

    serializer_class = KeyTaskSerializer
    lookup_value_regex = ID_IN_URL
    filterset_class = TaskFilter

    def get_queryset(self) -> QuerySet[KeyTask]:
        return selectors.task_list(user=self.request.user)

    def get_object(self) -> KeyTask:
        try:
            pk = int(self.kwargs["pk"])
        except ValueError as exc:
            raise Http404 from exc
        return selectors.task_get(user=self.request.user, pk=pk)
