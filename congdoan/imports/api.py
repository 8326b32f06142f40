"""The import as an API call: ``POST /api/v1/imports/`` (multipart) and ``GET /api/v1/imports/<id>/``.

POST fields: ``kind`` (units | members: the kinds registered for the web), ``file``, ``sheet``
(optional; required when a spreadsheet has several sheets), ``commit`` (true: when the file has no
error, queue the import at once).
The file is always validated first (a dry run); the answer is the job: its status, the preview
counts, every error by row and column, and — once committed — progress. Jobs are the caller's own.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from congdoan.accounts.permissions import WritableScope
from congdoan.core.lookups import ID_IN_URL
from congdoan.core.registry import web_importer_choices

from . import services
from .models import ImportJob


class ImportJobSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    file_name = serializers.CharField(source="original_name", read_only=True)
    user = serializers.CharField(source="user.username", read_only=True)
    percent = serializers.IntegerField(read_only=True)
    counts = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "kind",
            "kind_display",
            "file_name",
            "sheet",
            "sheets",
            "sha256",
            "user",
            "status",
            "status_display",
            "phase",
            "progress_done",
            "progress_total",
            "percent",
            "counts",
            "error_count",
            "errors",
            "created_at",
            "validated_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_counts(self, job: ImportJob) -> dict[str, int]:
        return {"created": job.created_count, "updated": job.updated_count, "unchanged": job.unchanged_count}


class ImportUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[])
    file = serializers.FileField()
    sheet = serializers.CharField(required=False, allow_blank=True, default="")
    commit = serializers.BooleanField(required=False, default=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The kinds the apps register (core.registry), read once the apps are ready.
        self.fields["kind"].choices = web_importer_choices()  # type: ignore[attr-defined]


def _drf_error(exc: DjangoValidationError) -> ValidationError:
    if hasattr(exc, "error_dict"):
        return ValidationError({k: [m for e in v for m in e.messages] for k, v in exc.error_dict.items()})
    return ValidationError({"detail": exc.messages})


class ImportJobViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = ImportJobSerializer
    lookup_value_regex = ID_IN_URL
    parser_classes = [MultiPartParser, FormParser]
    permission_classes = [IsAuthenticated, WritableScope]  # a read-only user's upload: 403, unread

    def get_queryset(self) -> QuerySet[ImportJob]:
        qs: QuerySet[ImportJob] = services.jobs_for(self.request.user)
        if self.action == "list":  # a superuser's list is still their own; GET <id> reaches any job
            qs = qs.filter(user_id=int(self.request.user.pk or 0))
        return qs

    @extend_schema(
        request={"multipart/form-data": ImportUploadSerializer},
        responses={
            201: ImportJobSerializer,
            # Either the job of a file with errors (status "invalid", every error by row and column)
            # or the refused fields themselves ({"kind": ["..."]}): two shapes, so an object.
            400: OpenApiResponse(
                response=OpenApiTypes.OBJECT,
                description=(
                    "Tệp có lỗi (công việc nhập, status = invalid) hoặc tham số sai ({trường: [lỗi]})."
                ),
            ),
        },
        summary="Tải tệp lên, kiểm tra và (tùy chọn) nhập",
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        upload = ImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        try:
            job = services.job_create(
                actor=request.user, kind=data["kind"], upload=data["file"], sheet=data["sheet"]
            )
        except DjangoValidationError as exc:
            raise _drf_error(exc) from None
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from None
        job = services.job_validate(job=job)
        if job.needs_sheet:
            sheets = list(job.sheets)
            job.file.delete(save=False)
            job.delete()
            listing = ", ".join(f"«{n}»" for n in sheets)
            raise ValidationError(
                {"sheet": [f"Tệp có nhiều trang tính; hãy chọn một trang tính: {listing}."], "sheets": sheets}
            )
        if data["commit"] and job.status == ImportJob.Status.VALIDATED:
            job = services.job_commit(actor=request.user, job=job)
        body = ImportJobSerializer(job, context=self.get_serializer_context()).data
        code = (
            status.HTTP_400_BAD_REQUEST if job.status == ImportJob.Status.INVALID else status.HTTP_201_CREATED
        )
        return Response(body, status=code)
