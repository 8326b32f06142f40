"""API of collective agreements: read-only, scoped, with the list page's filters."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from congdoan.core.lookups import ID_IN_URL

from . import selectors
from .filters import AgreementFilter
from .models import CollectiveAgreement


class AgreementSerializer(serializers.ModelSerializer):
    cdcs: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="code", read_only=True)
    cdcs_name = serializers.CharField(source="cdcs.name", read_only=True)
    employers = serializers.SerializerMethodField()
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    last_day = serializers.DateField(read_only=True)
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = CollectiveAgreement
        fields = [
            "id",
            "number",
            "cdcs",
            "cdcs_name",
            "employers",
            "scope",
            "kind",
            "kind_display",
            "signed_on",
            "effective_on",
            "expires_on",
            "superseded_on",
            "last_day",
            "grade",
            "approval_share",
            "favourable_clauses",
            "renewal_of",
            "has_file",
        ]

    def get_employers(self, agreement: CollectiveAgreement) -> list[dict]:
        return [{"id": e.pk, "name": e.name, "tax_code": e.tax_code} for e in agreement.employers.all()]

    def get_has_file(self, agreement: CollectiveAgreement) -> bool:
        return bool(agreement.signed_file)


PARAMS = [
    OpenApiParameter(
        "unit", OpenApiTypes.STR, description="Mã đơn vị: các CĐCS trực thuộc (vào ngày to/valid_on)"
    ),
    OpenApiParameter("from", OpenApiTypes.DATE, description="Ký từ ngày"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Ký đến ngày"),
    OpenApiParameter("valid_on", OpenApiTypes.DATE, description="Còn hiệu lực vào ngày"),
    OpenApiParameter("grade", OpenApiTypes.STR, description="A, B, C, D, AB, graded, ungraded"),
    OpenApiParameter("expiring", OpenApiTypes.INT, description="Hết hạn trong số ngày tới, chưa ký lại"),
]


@extend_schema_view(list=extend_schema(parameters=PARAMS))
class AgreementViewSet(viewsets.ReadOnlyModelViewSet):
    """Collective agreements of the CĐCS in the caller's subtrees; others answer 404."""

    serializer_class = AgreementSerializer
    lookup_value_regex = ID_IN_URL
    filterset_class = AgreementFilter

    def get_queryset(self) -> QuerySet[CollectiveAgreement]:
        return selectors.agreement_list(user=self.request.user)

    def get_object(self) -> CollectiveAgreement:
        try:
            pk = int(self.kwargs["pk"])
        except ValueError as exc:
            raise Http404 from exc
        return selectors.agreement_get(user=self.request.user, pk=pk)
