"""API of conferences and dialogues: read-only, scoped, with the list page's filters."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from congdoan.core.lookups import ID_IN_URL

from . import selectors
from .filters import ConferenceFilter
from .models import Conference


class ConferenceSerializer(serializers.ModelSerializer):
    unit: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    employer_name = serializers.CharField(
        source="employer.name", read_only=True, default=None, allow_null=True
    )  # null for a conference without an employer (CB,CC,VC conferences)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Conference
        fields = [
            "id",
            "unit",
            "unit_name",
            "employer",
            "employer_name",
            "kind",
            "kind_display",
            "year",
            "held_on",
            "employer_side",
            "employee_side",
        ]


PARAMS = [
    OpenApiParameter("unit", OpenApiTypes.STR, description="Mã đơn vị: các CĐCS trực thuộc"),
    OpenApiParameter("from", OpenApiTypes.DATE, description="Tổ chức từ ngày"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Tổ chức đến ngày"),
    OpenApiParameter(
        "kind", OpenApiTypes.STR, description="workers, civil, dialogue_*, hoặc dialogue (mọi đối thoại)"
    ),
]


@extend_schema_view(list=extend_schema(parameters=PARAMS))
class ConferenceViewSet(viewsets.ReadOnlyModelViewSet):
    """Conferences and dialogues of the units in the caller's subtrees; others answer 404."""

    serializer_class = ConferenceSerializer
    lookup_value_regex = ID_IN_URL
    filterset_class = ConferenceFilter

    def get_queryset(self) -> QuerySet[Conference]:
        return selectors.conference_list(user=self.request.user)

    def get_object(self) -> Conference:
        try:
            pk = int(self.kwargs["pk"])
        except ValueError as exc:
            raise Http404 from exc
        return selectors.conference_get(user=self.request.user, pk=pk)
