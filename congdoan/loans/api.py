"""API of the loan fund: funds, products, projects and loans (read-only, scoped) and one write, a
repayment (``POST /api/v1/loans/{id}/repayments/``) through the same service as the page."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from congdoan.accounts.permissions import WritableScope
from congdoan.core.lookups import ID_IN_URL

from . import selectors, services
from .models import Fund, Instalment, Loan, Product, Project, Repayment


class FundSerializer(serializers.ModelSerializer):
    owner: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Fund
        fields = ["id", "code", "name", "owner"]


class ProductSerializer(serializers.ModelSerializer):
    fund: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Product
        fields = [
            "id",
            "code",
            "name",
            "fund",
            "min_amount",
            "max_amount",
            "rate",
            "rate_period",
            "min_term",
            "max_term",
            "frequency",
            "method",
            "grace",
            "late_fee",
            "late_after_days",
            "one_active_loan",
            "active",
        ]


class ProjectSerializer(serializers.ModelSerializer):
    cdcs: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="code", read_only=True)
    district: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="code", read_only=True)
    product: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Project
        fields = ["id", "code", "name", "cdcs", "district", "product", "submitted_on"]


class InstalmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Instalment
        fields = [
            "number",
            "due_on",
            "principal",
            "interest",
            "fee",
            "principal_paid",
            "interest_paid",
            "fee_paid",
            "paid_on",
        ]


class RepaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Repayment
        fields = ["id", "paid_on", "amount", "fee", "interest", "principal"]


class LoanSerializer(serializers.ModelSerializer):
    cdcs: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="code", read_only=True)
    borrower = serializers.CharField(source="person.full_name", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Loan
        fields = [
            "id",
            "project",
            "cdcs",
            "borrower",
            "amount",
            "term",
            "rate",
            "rate_period",
            "frequency",
            "method",
            "state",
            "state_display",
            "applied_on",
            "approved_on",
            "disbursed_on",
            "closed_on",
            "arrears_on",
            "days_past_due",
            "outstanding_on",
        ]
        # the stored arrears (``congdoan loans recompute-arrears``): null/0 until first computed
        read_only_fields = ["arrears_on", "days_past_due", "outstanding_on"]


class LoanDetailSerializer(LoanSerializer):
    instalments = InstalmentSerializer(many=True, read_only=True)
    repayments = RepaymentSerializer(many=True, read_only=True)

    class Meta(LoanSerializer.Meta):
        fields = [*LoanSerializer.Meta.fields, "instalments", "repayments"]


class RepaymentWriteSerializer(serializers.Serializer):
    amount = serializers.IntegerField(min_value=1)
    paid_on = serializers.DateField()


def _pk(kwargs: dict[str, Any]) -> int:
    try:
        return int(kwargs["pk"])
    except ValueError as exc:
        raise Http404 from exc


class FundViewSet(viewsets.ReadOnlyModelViewSet):
    """Funds the caller's units own or are served by."""

    serializer_class = FundSerializer
    lookup_value_regex = ID_IN_URL

    def get_queryset(self) -> QuerySet[Fund]:
        return selectors.fund_list(user=self.request.user)

    def get_object(self) -> Fund:
        return selectors.fund_get(user=self.request.user, pk=_pk(self.kwargs))


class ProductViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ProductSerializer
    lookup_value_regex = ID_IN_URL

    def get_queryset(self) -> QuerySet[Product]:
        return selectors.product_list(user=self.request.user)

    def get_object(self) -> Product:
        return selectors.product_get(user=self.request.user, pk=_pk(self.kwargs))


class ProjectViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ProjectSerializer
    lookup_value_regex = ID_IN_URL

    def get_queryset(self) -> QuerySet[Project]:
        return selectors.project_list(user=self.request.user)

    def get_object(self) -> Project:
        return selectors.project_get(user=self.request.user, pk=_pk(self.kwargs))


class LoanViewSet(viewsets.ReadOnlyModelViewSet):
    """Loans of the CĐCS in the caller's subtrees (the detail with its schedule and repayments)."""

    lookup_value_regex = ID_IN_URL
    permission_classes = [IsAuthenticated, WritableScope]

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return LoanDetailSerializer if self.action == "retrieve" else LoanSerializer

    def get_queryset(self) -> QuerySet[Loan]:
        qs = selectors.loan_list(user=self.request.user)
        state = self.request.query_params.get("state", "")
        return qs.filter(state=state) if state else qs

    def get_object(self) -> Loan:
        return selectors.loan_get(user=self.request.user, pk=_pk(self.kwargs))

    @extend_schema(request=RepaymentWriteSerializer, responses={201: RepaymentSerializer})
    @action(detail=True, methods=["post"])
    def repayments(self, request: Request, pk: str | None = None) -> Response:
        loan = self.get_object()
        data = RepaymentWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            repayment = services.repayment_post(actor=request.user, loan=loan, **data.validated_data)
        except DjangoValidationError as exc:
            raise ValidationError(
                exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
            ) from None
        return Response(RepaymentSerializer(repayment).data, status=status.HTTP_201_CREATED)
