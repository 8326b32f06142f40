"""API of inspections: read-only, scoped, with the list page's filters."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from congdoan.core.lookups import ID_IN_URL

from . import selectors
from .filters import InspectionFilter
from .models import Inspection


class InspectionSerializer(serializers.ModelSerializer):
    unit: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    employer_name = serializers.CharField(source="employer.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "unit",
            "unit_name",
            "employer",
            "employer_name",
            "kind",
            "kind_display",
            "held_on",
            "ends_on",
            "team",
            "findings",
            "violations",
            "recommendations",
            "follow_up",
            "state",
            "closed_on",
        ]


PARAMS = [
    OpenApiParameter("unit", OpenApiTypes.STR, description="Mã đơn vị: các đơn vị trực thuộc"),
    OpenApiParameter("from", OpenApiTypes.DATE, description="Bắt đầu từ ngày"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Bắt đầu đến ngày"),
]


@extend_schema_view(list=extend_schema(parameters=PARAMS))
class InspectionViewSet(viewsets.ReadOnlyModelViewSet):
    """Inspections made by the units in the caller's subtrees; others answer 404."""

    serializer_class = InspectionSerializer
    lookup_value_regex = ID_IN_URL
    filterset_class = InspectionFilter

    def get_queryset(self) -> QuerySet[Inspection]:
        return selectors.inspection_list(user=self.request.user)

    def get_object(self) -> Inspection:
        try:
            pk = int(self.kwargs["pk"])
        except ValueError as exc:
            raise Http404 from exc
        return selectors.inspection_get(user=self.request.user, pk=pk)
