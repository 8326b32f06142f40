"""API of indicators, targets, entered values and achievements: thin viewsets over the scoped
selectors and the services. Units outside the caller's subtrees answer 404."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from congdoan.accounts.permissions import WritableScope
from congdoan.accounts.scope import user_scope
from congdoan.core.lookups import ID_IN_URL
from congdoan.core.periods import PeriodError, parse_period
from congdoan.org import selectors as org_selectors

from . import selectors, services
from .models import DataValue, Indicator, Target
from .rows import figure_row


def _drf_error(exc: DjangoValidationError) -> ValidationError:
    if hasattr(exc, "error_dict"):
        return ValidationError(exc.message_dict)
    return ValidationError({"detail": exc.messages})


# -- catalogue ---------------------------------------------------------------------------------------


class IndicatorSerializer(serializers.ModelSerializer):
    # Only ratio indicators have parts: null for the others.
    numerator: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    denominator: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "unit",
            "aggregation",
            "source",
            "provider",
            "numerator",
            "denominator",
            "decimals",
            "standard",
        ]


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    """The indicator catalogue (standard and the federation's own)."""

    serializer_class = IndicatorSerializer
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> QuerySet[Indicator]:
        return selectors.indicator_list().order_by("sort_order", "code")


# -- targets and entered values ------------------------------------------------------------------------


class _FigureSerializer(serializers.Serializer):
    """Read and write shape of a target or entered value: codes, not ids."""

    id = serializers.IntegerField(read_only=True)
    unit = serializers.CharField(source="unit.code")
    indicator = serializers.CharField(source="indicator.code")
    period = serializers.CharField(max_length=9)
    value = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True, coerce_to_string=False)
    updated_at = serializers.DateTimeField(read_only=True)


@extend_schema_field(
    {
        "oneOf": [{"type": "string"}, {"type": "number"}],
        "nullable": True,
        "description": "Số không âm (chuỗi hoặc số); rỗng hoặc null để xóa chỉ tiêu",
    }
)
class FigureValueField(serializers.Field):
    """A figure as a JSON number or a string: finite, non-negative, storable (the service then checks the
    bounds of the indicator's unit). ``null`` and ``""`` stay ``None`` (clear a target)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Decimal | None:
        if isinstance(data, str) and not data.strip():
            return None
        if not isinstance(data, str | int | float | Decimal) or isinstance(data, bool):
            raise ValidationError("Giá trị phải là một số.")
        try:
            return services.decimal_or_error(data, rounded=True)
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict["value"]) from None

    def to_representation(self, value: Any) -> Any:
        return value


class FigureWriteSerializer(serializers.Serializer):
    unit = serializers.CharField(max_length=32)
    indicator = serializers.CharField(max_length=40)
    period = serializers.CharField(max_length=9)
    value = FigureValueField()


class FigureValueWriteSerializer(serializers.Serializer):
    value = FigureValueField()


FILTERS = [
    OpenApiParameter("unit", OpenApiTypes.STR, description="Mã đơn vị"),
    OpenApiParameter(
        "period", OpenApiTypes.STR, description="Mã kỳ: 2024, 2024S1, 2024Q2, 202405, 2023-2028"
    ),
    OpenApiParameter("indicator", OpenApiTypes.STR, description="Mã chỉ tiêu"),
]


class _ScopedFigureViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """List (filtered by unit, period, indicator), create and update through one service."""

    serializer_class = _FigureSerializer
    lookup_value_regex = ID_IN_URL
    model: type[Target] | type[DataValue] = Target
    http_method_names = ["get", "post", "put", "head", "options"]
    permission_classes = [IsAuthenticated, WritableScope]  # a read-only user's write: 403, unread

    def write(self, **kwargs: Any) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        scope = user_scope(self.request.user)
        qs = self.model.objects.filter(scope.period_q(unit_field="unit_id")).select_related(
            "unit", "indicator"
        )
        params = self.request.query_params
        if params.get("unit"):
            qs = qs.filter(unit__code=params["unit"].strip())
        if params.get("indicator"):
            qs = qs.filter(indicator__code=params["indicator"].strip().upper())
        if params.get("period"):
            try:
                qs = qs.filter(period=parse_period(params["period"]).code)
            except PeriodError as exc:
                raise ValidationError({"period": [str(exc)]}) from None
        return qs.order_by("unit__code", "indicator__sort_order", "period")

    def _save(self, unit_code: str, indicator_code: str, period: str, value: Any) -> Response:
        unit = org_selectors.unit_get(user=self.request.user, code=unit_code.strip())
        try:
            indicator = selectors.indicator_get(indicator_code)
            obj = self.write(
                actor=self.request.user, unit=unit, indicator=indicator, period=period, value=value
            )
        except DjangoValidationError as exc:
            raise _drf_error(exc) from None
        if obj is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(_FigureSerializer(obj).data)

    @extend_schema(request=FigureWriteSerializer, responses={201: _FigureSerializer, 204: None})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = FigureWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        response = self._save(d["unit"], d["indicator"], d["period"], d["value"])
        if response.status_code == status.HTTP_200_OK:
            response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(request=FigureValueWriteSerializer, responses={200: _FigureSerializer, 204: None})
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object()
        data = FigureValueWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._save(obj.unit.code, obj.indicator.code, obj.period, data.validated_data["value"])


@extend_schema(parameters=FILTERS)
class TargetViewSet(_ScopedFigureViewSet):
    """Targets (chỉ tiêu giao). POST {unit, indicator, period, value} sets one (a share as 70 or 0.7;
    an empty value clears it); PUT /targets/<id>/ {value} changes it. Targets are handed down: an
    officer sets them for the units below their own."""

    model = Target

    def write(self, **kwargs: Any) -> Any:
        return services.target_set(**kwargs)


@extend_schema(parameters=FILTERS)
class ValueViewSet(_ScopedFigureViewSet):
    """Entered actuals (số liệu báo cáo). POST {unit, indicator, period, value}; PUT /values/<id>/
    {value}. Refused for computed indicators and once the unit's report is approved."""

    model = DataValue

    def write(self, **kwargs: Any) -> Any:
        return services.value_set(**kwargs)


# -- achievements --------------------------------------------------------------------------------------


class AchievementRowSerializer(serializers.Serializer):
    unit_code = serializers.CharField()
    unit_name = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    target = serializers.FloatField(allow_null=True)
    achievement = serializers.FloatField(allow_null=True)
    value_display = serializers.CharField()
    achievement_display = serializers.CharField()
    figures_source = serializers.ChoiceField(
        choices=["live", "kept"],
        help_text="live: đếm trực tiếp từ dữ liệu; kept: cộng từ số liệu lưu sẵn theo CĐCS và kỳ",
    )
    kept_at = serializers.DateTimeField(
        allow_null=True, help_text="Lần ghi gần nhất của số liệu lưu sẵn (null khi đếm trực tiếp)"
    )


class AchievementViewSet(viewsets.ViewSet):
    """Value, target and achievement of an indicator for a unit and its units (architecture §5 rows)."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "indicator",
                OpenApiTypes.STR,
                required=True,
                description="Mã chỉ tiêu",
                examples=[OpenApiExample("Thỏa ước ký mới", value="TU_KY_MOI")],
            ),
            OpenApiParameter(
                "period",
                OpenApiTypes.STR,
                required=True,
                description="Mã kỳ, ví dụ 2024",
                examples=[OpenApiExample("Năm 2024", value="2024")],
            ),
            OpenApiParameter("under", OpenApiTypes.STR, description="Mã đơn vị (mặc định: đơn vị của bạn)"),
            OpenApiParameter(
                "depth", OpenApiTypes.INT, description="Số cấp bên dưới (0: chỉ đơn vị; -1: tất cả)"
            ),
        ],
        responses=AchievementRowSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        params = request.query_params
        errors: dict[str, list[str]] = {}
        indicator = None
        try:
            indicator = selectors.indicator_get(params.get("indicator", ""))
        except DjangoValidationError as exc:
            errors.update(exc.message_dict)
        period = None
        try:
            period = parse_period(params.get("period", ""))
        except PeriodError as exc:
            errors["period"] = [str(exc)]
        try:
            depth_raw = int(params.get("depth", "1"))
        except ValueError:
            errors["depth"] = ["Số cấp phải là số nguyên (0, 1, 2, ... hoặc -1 cho tất cả)."]
            depth_raw = 1
        if errors or indicator is None or period is None:
            raise ValidationError(errors)
        under = None
        if params.get("under"):
            under = org_selectors.unit_get(user=request.user, code=params["under"].strip())
        try:
            figures = selectors.achievement_table(
                user=request.user,
                indicator=indicator,
                period=period,
                under=under,
                depth=None if depth_raw < 0 else depth_raw,
            )
        except ValueError as exc:  # a provider not registered yet
            raise ValidationError({"indicator": [str(exc)]}) from None
        return Response([{**figure_row(f, indicator), **kept_fields(f)} for f in figures])


def kept_fields(figure: Any) -> dict[str, Any]:
    """Where a figure comes from (additive API fields): counted live, or summed from kept figures."""
    if figure.kept_at is None:
        return {"figures_source": "live", "kept_at": None}
    return {"figures_source": "kept", "kept_at": figure.kept_at.isoformat()}
