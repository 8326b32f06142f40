"""API of recommendations: read-only, scoped (raised by or addressed to the caller's units)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from congdoan.core.lookups import ID_IN_URL

from . import selectors
from .filters import RecFilter
from .models import Recommendation


class RecommendationSerializer(serializers.ModelSerializer):
    unit: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    to_unit: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    addressee = serializers.CharField(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "unit",
            "unit_name",
            "to_unit",
            "to_body",
            "addressee",
            "conference",
            "topic",
            "title",
            "content",
            "raised_on",
            "due_on",
            "status",
            "status_display",
            "routed_on",
            "answered_on",
            "answer",
            "closed_on",
        ]


PARAMS = [
    OpenApiParameter(
        "unit", OpenApiTypes.STR, description="Mã đơn vị kiến nghị: đơn vị và các đơn vị trực thuộc"
    ),
    OpenApiParameter("addressed", OpenApiTypes.STR, description="Mã đơn vị nhận kiến nghị"),
    OpenApiParameter("from", OpenApiTypes.DATE, description="Gửi từ ngày"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Gửi đến ngày"),
    OpenApiParameter(
        "status", OpenApiTypes.STR, description="raised, routed, answered, closed, waiting, overdue"
    ),
    OpenApiParameter("q", OpenApiTypes.STR, description="Tìm trong nội dung, nơi nhận, tên đơn vị"),
]


@extend_schema_view(list=extend_schema(parameters=PARAMS))
class RecommendationViewSet(viewsets.ReadOnlyModelViewSet):
    """Recommendations raised by or addressed to the caller's units; others answer 404."""

    serializer_class = RecommendationSerializer
    lookup_value_regex = ID_IN_URL
    filterset_class = RecFilter

    def get_queryset(self) -> QuerySet[Recommendation]:
        return selectors.rec_list(user=self.request.user)

    def get_object(self) -> Recommendation:
        try:
            pk = int(self.kwargs["pk"])
        except ValueError as exc:
            raise Http404 from exc
        return selectors.rec_get(user=self.request.user, pk=pk)
