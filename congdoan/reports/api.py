"""API of generated reports: list (scoped), request a generation, poll it, download the file."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from congdoan.core.lookups import ID_IN_URL
from congdoan.org import selectors as org_selectors

from . import selectors, services
from .models import GeneratedReport


class GeneratedReportSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True, default=None)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = GeneratedReport
        fields = [
            "id",
            "unit",
            "unit_name",
            "period",
            "kind",
            "format",
            "status",
            "progress",
            "error",
            "file_name",
            "size",
            "duration_ms",
            "created_by",
            "created_at",
            "finished_at",
            "download_url",
        ]

    def get_download_url(self, obj: GeneratedReport) -> str | None:
        if obj.status != GeneratedReport.Status.DONE:
            return None
        request = self.context.get("request")
        url = f"/api/v1/reports/{obj.pk}/download/"
        return request.build_absolute_uri(url) if request else url


class GenerateInputSerializer(serializers.Serializer):
    unit = serializers.CharField()
    period = serializers.CharField()
    format = serializers.ChoiceField(choices=services.FORMATS)


class GeneratedReportViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Report files of units in the user's scope. POST {unit, period, format} queues one (202)."""

    serializer_class = GeneratedReportSerializer
    lookup_value_regex = ID_IN_URL

    def get_queryset(self) -> QuerySet[GeneratedReport]:
        qs = selectors.generated_list(user=self.request.user)
        code = self.request.query_params.get("unit")
        if code:
            qs = qs.filter(unit__code=code)
        return qs

    def get_object(self) -> GeneratedReport:
        return selectors.generated_get(user=self.request.user, pk=int(self.kwargs["pk"]))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = GenerateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        unit = org_selectors.unit_get(user=request.user, code=data.validated_data["unit"])
        try:
            row = services.report_request(
                actor=request.user,
                unit=unit,
                period=data.validated_data["period"],
                fmt=data.validated_data["format"],
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(
                exc.message_dict if hasattr(exc, "error_dict") else exc.messages
            ) from exc
        body = GeneratedReportSerializer(row, context={"request": request}).data
        return Response(body, status=status.HTTP_202_ACCEPTED)

    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str | None = None) -> FileResponse:
        row = self.get_object()
        if row.status != GeneratedReport.Status.DONE or not row.file:
            raise Http404("Tệp chưa sẵn sàng.")
        return FileResponse(
            row.file.open("rb"),
            as_attachment=True,
            filename=row.file_name,
            content_type=services.CONTENT_TYPES.get(row.format, "application/octet-stream"),
        )
