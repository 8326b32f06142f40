"""API of care: campaigns, cases and payments, scoped (others answer 404); cases are proposed,
approved and paid through the services (``POST /care-cases/``, ``…/<id>/approve/``, ``…/<id>/pay/``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from congdoan.accounts.permissions import WritableScope
from congdoan.core.lookups import ID_IN_URL
from congdoan.org.models import OrgUnit

from . import selectors, services
from .models import Campaign, Case, CaseState, Payment, PaymentMethod


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


class CaseWriteSerializer(serializers.Serializer):
    campaign = serializers.CharField(max_length=40, help_text="Mã chương trình")
    unit = serializers.CharField(max_length=40, help_text="Mã đơn vị đề xuất")
    full_name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    cccd = serializers.CharField(max_length=20)
    amount = serializers.IntegerField(min_value=1, max_value=10**12, help_text="Số tiền (đồng)")
    employer_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    reason = serializers.CharField(max_length=255, required=False, allow_blank=True)
    bank_account = serializers.CharField(max_length=30, required=False, allow_blank=True)
    bank_name = serializers.CharField(max_length=80, required=False, allow_blank=True)


class ApproveSerializer(serializers.Serializer):
    approve = serializers.BooleanField(default=True, help_text="false: không duyệt")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class PayWriteSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=PaymentMethod.choices)
    paid_on = serializers.DateField(required=False)
    bank_account = serializers.CharField(max_length=30, required=False, allow_blank=True)
    bank_name = serializers.CharField(max_length=80, required=False, allow_blank=True)
    items = serializers.CharField(max_length=255, required=False, allow_blank=True)


def _service_errors(exc: DjangoValidationError) -> ValidationError:
    return ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages})


class CaseViewSet(viewsets.ReadOnlyModelViewSet):
    """Cases of the units in the caller's subtrees (``?campaign=CODE&state=…``); ``POST`` proposes a
    case, ``…/approve/`` is the next level's decision, ``…/pay/`` records the payment (the services'
    rules and Vietnamese messages; out of scope is 404)."""

    serializer_class = CaseSerializer
    lookup_value_regex = ID_IN_URL
    permission_classes = [IsAuthenticated, WritableScope]

    @extend_schema(request=CaseWriteSerializer, responses={201: CaseSerializer})
    def create(self, request: Request) -> Response:
        data = CaseWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        given = dict(data.validated_data)
        campaign = (
            selectors.campaign_list(user=request.user).filter(code=given.pop("campaign").upper()).first()
        )
        if campaign is None:
            raise ValidationError({"campaign": "Không có chương trình này trong phạm vi của bạn."})
        unit = OrgUnit.objects.filter(code=given.pop("unit")).first()
        if unit is None:
            raise ValidationError({"unit": "Không có đơn vị này."})
        try:
            case = services.case_propose(
                actor=request.user, campaign=campaign, given=services.CaseInput(unit=unit, **given)
            )
        except DjangoValidationError as exc:
            raise _service_errors(exc) from None
        return Response(CaseSerializer(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ApproveSerializer, responses={200: CaseSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        data = ApproveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        chain = services.approval_chain(case)
        if case.state != CaseState.PROPOSED or case.approved_levels >= len(chain):
            raise ValidationError({"state": f"Hồ sơ đang ở trạng thái «{case.get_state_display()}»."})
        unit = OrgUnit.objects.get(pk=chain[case.approved_levels])
        try:
            case = services.case_approve(actor=request.user, case=case, unit=unit, **data.validated_data)
        except DjangoValidationError as exc:
            raise _service_errors(exc) from None
        return Response(CaseSerializer(case).data)

    @extend_schema(request=PayWriteSerializer, responses={201: PaymentSerializer})
    @action(detail=True, methods=["post"])
    def pay(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        data = PayWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            payment = services.case_pay(actor=request.user, case=case, **data.validated_data)
        except DjangoValidationError as exc:
            raise _service_errors(exc) from None
        return Response(PaymentSerializer(payment).data, status=status.HTTP_201_CREATED)

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
