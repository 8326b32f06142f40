"""API of care: campaigns, cases and payments, read-only and scoped (others answer 404)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from congdoan.core.lookups import ID_IN_URL

from . import selectors
from .models import Campaign, Case, Payment


def _pk(kwargs: dict[str, str]) -> int:
    try:
        return int(kwargs["pk"])
    except ValueError as exc:
        raise Http404 from exc


class CampaignSerializer(serializers.ModelSerializer):
    owner: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="code", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "kind_display",
            "owner",
            "parent",
            "starts_on",
            "ends_on",
            "cap_per_person",
            "cap_per_year",
            "allows_non_members",
            "approval_levels",
        ]


class SourceSpendingSerializer(serializers.Serializer):
    kind = serializers.CharField()
    kind_display = serializers.CharField(source="label")
    contributor = serializers.CharField()
    amount = serializers.IntegerField(help_text="Số tiền dự kiến của nguồn (đồng).")
    spent = serializers.IntegerField(
        help_text="Đã chi (trừ hoàn) từ nguồn này, phân theo tỷ lệ số tiền các nguồn (đồng)."
    )


class CampaignDetailSerializer(CampaignSerializer):
    """One campaign, with its funding sources and what was spent from each (the cases the caller sees)."""

    funding = serializers.SerializerMethodField()

    class Meta(CampaignSerializer.Meta):
        fields = [*CampaignSerializer.Meta.fields, "funding"]

    @extend_schema_field(SourceSpendingSerializer(many=True))
    def get_funding(self, campaign: Campaign) -> list[dict[str, object]]:
        rows = selectors.campaign_funding(user=self.context["request"].user, campaign=campaign)
        return SourceSpendingSerializer(rows, many=True).data  # type: ignore[return-value]


class CaseSerializer(serializers.ModelSerializer):
    campaign: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="code", read_only=True)
    cccd = serializers.SerializerMethodField()
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "campaign",
            "unit",
            "full_name",
            "cccd",
            "employer_name",
            "amount",
            "state",
            "state_display",
            "approved_levels",
            "proposed_on",
            "paid_on",
        ]

    def get_cccd(self, case: Case) -> str:
        """Masked but the last four digits (personal data)."""
        return "•" * max(0, len(case.cccd) - 4) + case.cccd[-4:]


class PaymentSerializer(serializers.ModelSerializer):
    case_unit = serializers.CharField(source="case.unit.code", read_only=True)
    campaign = serializers.CharField(source="case.campaign.code", read_only=True)

    class Meta:
        model = Payment
        fields = ["id", "case", "case_unit", "campaign", "method", "paid_on", "amount", "items"]


class CampaignViewSet(viewsets.ReadOnlyModelViewSet):
    """Campaigns the caller runs, or that allocate to or have cases in the caller's subtrees."""

    serializer_class = CampaignSerializer
    lookup_value_regex = ID_IN_URL

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return CampaignDetailSerializer if self.action == "retrieve" else CampaignSerializer

    def get_queryset(self) -> QuerySet[Campaign]:
        return selectors.campaign_list(user=self.request.user)

    def get_object(self) -> Campaign:
        return selectors.campaign_get(user=self.request.user, pk=_pk(self.kwargs))


class CaseViewSet(viewsets.ReadOnlyModelViewSet):
    """Cases of the units in the caller's subtrees (``?campaign=CODE&state=…``)."""

    serializer_class = CaseSerializer
    lookup_value_regex = ID_IN_URL

    def get_queryset(self) -> QuerySet[Case]:
        qs = selectors.case_list(user=self.request.user)
        code = self.request.query_params.get("campaign")
        state = self.request.query_params.get("state")
        if code:
            qs = qs.filter(campaign__code=code.upper())
        if state:
            qs = qs.filter(state=state)
        return qs

    def get_object(self) -> Case:
        return selectors.case_get(user=self.request.user, pk=_pk(self.kwargs))


class PaymentViewSet(viewsets.ReadOnlyModelViewSet):
    """Payments of cases in the caller's subtrees."""

    serializer_class = PaymentSerializer
    lookup_value_regex = ID_IN_URL

    def get_queryset(self) -> QuerySet[Payment]:
        return selectors.payment_list(user=self.request.user)

    def get_object(self) -> Payment:
        return selectors.payment_get(user=self.request.user, pk=_pk(self.kwargs))
