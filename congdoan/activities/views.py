"""Pages of activities: the list (filters, search, pagination, XLSX), the form, the detail with its
photos and attendee list."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from congdoan.accounts.permissions import can_write
from congdoan.accounts.scope import OutOfScope, user_scope
from congdoan.core.formatting import format_number
from congdoan.core.views import add_service_errors, audit_rows, list_page, pk_or_404, show_value, xlsx_export
from congdoan.org import selectors as org_selectors
from congdoan.org.forms import writable_unit

from . import selectors, services
from .filters import ActivityFilter
from .forms import ActivityForm, PhotoForm
from .models import ActivityKind
from .tables import ActivityTable

NOT_WRITABLE = "Đơn vị này không thuộc phạm vi bạn được quyền thay đổi."
FIELD_LABELS = {
    "kind": "Loại hoạt động",
    "unit": "Đơn vị tổ chức",
    "held_on": "Ngày tổ chức",
    "title": "Nội dung",
    "place": "Địa điểm",
    "sessions": "Số cuộc, buổi",
    "participants": "Số lượt tham gia",
    "women": "Trong đó nữ",
    "cost": "Kinh phí (đồng)",
    "notes": "Ghi chú",
    "name": "Ảnh",
}


@login_required
@require_GET  # a read: POST is 405
def activity_list(request: HttpRequest) -> HttpResponseBase:
    filterset = ActivityFilter(
        request.GET, queryset=selectors.activity_list(user=request.user), request=request
    )
    return list_page(
        request,
        filterset,
        ActivityTable,
        export=lambda qs, filters: _xlsx(request, qs, filters),
        template="activities/activity_list.html",
        can_create=user_scope(request.user).can_write_anything,
    )


def _xlsx(request: HttpRequest, qs: Any, filters: dict[str, Any]) -> HttpResponseBase:
    header = [
        "Mã hoạt động",
        "Ngày tổ chức",
        "Loại hoạt động",
        "Nội dung",
        "Địa điểm",
        "Mã đơn vị",
        "Đơn vị tổ chức",
        "Số cuộc, buổi",
        "Số lượt tham gia",
        "Trong đó nữ",
        "Kinh phí (đồng)",
    ]
    rows = (
        [
            a.pk,
            a.held_on,
            a.kind.name,
            a.title,
            a.place,
            a.unit.code,
            a.unit.name,
            a.sessions,
            a.participants,
            a.women,
            a.cost,
        ]
        for a in qs.iterator(chunk_size=2000)
    )
    return xlsx_export(
        request,
        sheet="Hoạt động",
        header=header,
        rows=rows,
        kind="export.activities",
        label="Danh sách hoạt động (XLSX)",
        filters=filters,
        filename="hoat-dong",
    )


@login_required
def activity_create(request: HttpRequest) -> HttpResponse:
    if not user_scope(request.user).can_write_anything:
        raise Http404
    initial: dict[str, Any] = {"unit": request.GET.get("unit", "")}
    if not initial["unit"]:
        roots = org_selectors.home_units(user=request.user)
        if roots:
            initial["unit"] = roots[0].code
    kind = ActivityKind.objects.filter(code=request.GET.get("kind", "")).first()
    if kind is not None:
        initial["kind"] = kind
    form = ActivityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        unit = writable_unit(request.user, form)
        if unit is not None:
            try:
                activity = services.activity_create(actor=request.user, unit=unit, **form.service_fields())
            except ValidationError as exc:
                add_service_errors(form, exc)
            except OutOfScope:
                form.add_error("unit", NOT_WRITABLE)
            else:
                messages.success(request, f"Đã ghi nhận hoạt động «{activity.title}».")
                return redirect(activity.get_absolute_url())
    return render(request, "activities/activity_form.html", {"form": form})


@login_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get_writable(user=request.user, pk=pk_or_404(pk))
    initial = {key: getattr(activity, key) for key in services.UPDATABLE}
    form = ActivityForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(actor=request.user, activity=activity, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        except OutOfScope:
            form.add_error(None, NOT_WRITABLE)
        else:
            messages.success(request, f"Đã lưu thay đổi hoạt động «{activity.title}».")
            return redirect(activity.get_absolute_url())
    return render(request, "activities/activity_form.html", {"form": form, "activity": activity})


def _show(key: str, value: Any) -> str:
    if key == "kind" and isinstance(value, int):
        found = ActivityKind.objects.filter(pk=value).first()
        return found.name if found is not None else "—"
    if key in ("sessions", "participants", "women", "cost") and isinstance(value, int):
        return format_number(value)
    return show_value(key, value)


@login_required
@require_GET  # a read: POST is 405
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get(user=request.user, pk=pk_or_404(pk))
    entries = selectors.activity_audit(user=request.user, activity=activity)
    attendees = selectors.attendees(activity)
    context = {
        "activity": activity,
        "can_edit": can_write(request.user, activity.unit),
        "photos": list(activity.photos.only("pk", "name")),
        "photo_form": PhotoForm(),
        "attendees": attendees[:200],
        "attendee_count": attendees.count(),
        "audit": audit_rows(entries, labels=FIELD_LABELS, show=_show),
    }
    return render(request, "activities/activity_detail.html", context)


@login_required
@require_POST
def photo_upload(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get_writable(user=request.user, pk=pk_or_404(pk))
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["photo"]
        try:
            services.photo_add(actor=request.user, activity=activity, name=upload.name, data=upload.read())
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"Đã thêm ảnh «{upload.name}».")
    else:
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, str(text))
    return redirect(activity.get_absolute_url())


@login_required
@require_GET  # a read: POST is 405
def photo(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.photo_get(user=request.user, pk=pk_or_404(pk))
    response = HttpResponse(bytes(found.data), content_type=found.content_type)
    response["Content-Disposition"] = f'inline; filename="anh-{found.pk}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET  # a read: POST is 405
def records(request: HttpRequest) -> HttpResponse:
    """Drill-down target (``?unit=&from=&to=&kind=``): the activity list with those filters."""
    query = {k: str(request.GET[k]) for k in ("unit", "from", "to", "kind") if request.GET.get(k)}
    return redirect(reverse("activities:list") + "?" + urlencode(query))
