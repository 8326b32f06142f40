"""API of disputes (with their mediation steps) and of sentiment notes: read-only, scoped."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from congdoan.core.lookups import ID_IN_URL

from . import selectors
from .filters import DisputeFilter, SentimentFilter
from .models import Dispute, MediationStep, SentimentNote


class StepSerializer(serializers.ModelSerializer):
    class Meta:
        model = MediationStep
        fields = ["held_on", "action", "by", "result"]


class DisputeSerializer(serializers.ModelSerializer):
    unit: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    employer_name = serializers.CharField(source="employer.name", read_only=True)
    steps = StepSerializer(many=True, read_only=True)

    class Meta:
        model = Dispute
        fields = [
            "id",
            "unit",
            "unit_name",
            "employer",
            "employer_name",
            "kind",
            "began_on",
            "ended_on",
            "workers",
            "demands",
            "union_role",
            "outcome",
            "result",
            "steps",
        ]


class SentimentSerializer(serializers.ModelSerializer):
    unit: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="code", read_only=True)
    employer_name = serializers.CharField(source="employer.name", read_only=True)

    class Meta:
        model = SentimentNote
        fields = ["id", "unit", "employer", "employer_name", "noted_on", "note", "at_risk"]


PARAMS = [
    OpenApiParameter("unit", OpenApiTypes.STR, description="Mã đơn vị: các đơn vị trực thuộc"),
    OpenApiParameter("from", OpenApiTypes.DATE, description="Từ ngày"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Đến ngày"),
]


def _int_pk(view: viewsets.GenericViewSet) -> int:
    try:
        return int(view.kwargs["pk"])
    except ValueError as exc:
        raise Http404 from exc


@extend_schema_view(list=extend_schema(parameters=PARAMS))
class DisputeViewSet(viewsets.ReadOnlyModelViewSet):
    """Disputes and collective stoppages followed by the units in the caller's subtrees."""

    serializer_class = DisputeSerializer
    lookup_value_regex = ID_IN_URL
    filterset_class = DisputeFilter

    def get_queryset(self) -> QuerySet[Dispute]:
        return selectors.dispute_list(user=self.request.user).prefetch_related("steps")

    def get_object(self) -> Dispute:
        return selectors.dispute_get(user=self.request.user, pk=_int_pk(self))


@extend_schema_view(list=extend_schema(parameters=PARAMS))
class SentimentViewSet(viewsets.ReadOnlyModelViewSet):
    """Worker-sentiment notes per enterprise, with the risk flag."""

    serializer_class = SentimentSerializer
    lookup_value_regex = ID_IN_URL
    filterset_class = SentimentFilter

    def get_queryset(self) -> QuerySet[SentimentNote]:
        return selectors.sentiment_list(user=self.request.user)

    def get_object(self) -> SentimentNote:
        qs = selectors.sentiment_list(user=self.request.user).filter(pk=_int_pk(self))
        found = qs.first()
        if found is None:
            raise Http404
        return found
