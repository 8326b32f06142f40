"""Pages of conferences and dialogues: the list (filters, XLSX, drill-down), the form, and the units
that held / have not held theirs, by sector ("Chưa tổ chức")."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET
from django_tables2 import RequestConfig

from congdoan.accounts.periods import page_year
from congdoan.accounts.permissions import can_write
from congdoan.accounts.scope import OutOfScope, user_scope
from congdoan.core.formatting import format_date
from congdoan.core.views import add_service_errors, audit_rows, list_page, show_value, xlsx_export
from congdoan.org import selectors as org_selectors
from congdoan.org.forms import pick_writable_cdcs
from congdoan.org.models import Employer

from . import selectors, services
from .filters import ConferenceFilter
from .forms import ConferenceForm
from .models import ConferenceKind
from .tables import ConferenceTable, UnitStatusTable

PER_PAGE = 25
MSG_CREATED = "Đã ghi nhận {kind} của «{unit}» ngày {day}."
ANNUAL_CHOICES = [
    (k, ConferenceKind(k).label)
    for k in (ConferenceKind.WORKERS, ConferenceKind.CIVIL, ConferenceKind.DIALOGUE_PERIODIC)
]
STATUS_TITLES = {
    "held": "Đơn vị đã tổ chức",
    "not_held": "Đơn vị chưa tổ chức",
    "": "Đơn vị phải tổ chức",
}
PRESETS: dict[str, tuple[str, dict[str, str]]] = {
    "workers": ("conferences:units", {"kind": ConferenceKind.WORKERS, "status": "held"}),
    "enterprises": ("conferences:units", {"kind": ConferenceKind.WORKERS}),
    "civil": ("conferences:units", {"kind": ConferenceKind.CIVIL, "status": "held"}),
    "public": ("conferences:units", {"kind": ConferenceKind.CIVIL}),
    "dialogues": ("conferences:list", {"kind": selectors.DIALOGUE}),
}


@login_required
@require_GET  # a read: POST is 405
def records(request: HttpRequest, preset: str) -> HttpResponse:
    if preset not in PRESETS:
        raise Http404
    target, extra = PRESETS[preset]
    query: dict[str, str] = {k: str(request.GET.get(k)) for k in ("unit", "from", "to") if request.GET.get(k)}
    query.update(extra)
    return redirect(reverse(target) + "?" + urlencode(query))


@login_required
@require_GET  # a read: POST is 405
def conference_list(request: HttpRequest) -> HttpResponseBase:
    filterset = ConferenceFilter(
        request.GET, queryset=selectors.conference_list(user=request.user), request=request
    )
    return list_page(
        request,
        filterset,
        ConferenceTable,
        export=lambda qs, filters: _xlsx(request, qs, filters),
        template="conferences/conference_list.html",
        can_create=user_scope(request.user).can_write_anything,
    )


def _xlsx(request: HttpRequest, qs: Any, filters: dict[str, Any]) -> HttpResponseBase:
    header = [
        "Ngày tổ chức",
        "Năm",
        "Loại",
        "Mã CĐCS",
        "Công đoàn cơ sở",
        "Đơn vị sử dụng lao động",
        "Số người phía NSDLĐ",
        "Số người phía NLĐ",
        "Ghi chú",
    ]
    rows = (
        [
            c.held_on,
            c.year,
            c.get_kind_display(),
            c.unit.code,
            c.unit.name,
            c.employer.name if c.employer else "",
            c.employer_side,
            c.employee_side,
            c.notes,
        ]
        for c in qs
    )
    return xlsx_export(
        request,
        sheet="Hội nghị, đối thoại",
        header=header,
        rows=rows,
        kind="export.conferences",
        label="Danh sách hội nghị, đối thoại (XLSX)",
        filters=filters,
        filename="hoi-nghi",
    )


def _period(request: HttpRequest) -> tuple[dt.date, dt.date, int]:
    """``from``/``to`` (ISO, from a drill-down) or ``year`` (default: the reporting year, or the one
    picked on another page, ``accounts.periods.page_year``), up to today."""
    today = org_selectors.view_day(user=request.user)
    year = page_year(request, param="year")
    start, end = dt.date(year, 1, 1), min(dt.date(year, 12, 31), max(today, dt.date(year, 1, 1)))
    try:
        if request.GET.get("from"):
            start = dt.date.fromisoformat(request.GET["from"])
        if request.GET.get("to"):
            end = dt.date.fromisoformat(request.GET["to"])
    except ValueError:
        pass
    return start, end, year


@login_required
@require_GET  # a read: POST is 405
def units(request: HttpRequest) -> HttpResponse:
    """Units expected to hold a conference of ``kind`` in the period, by sector; ``status`` held /
    not_held (the "Chưa tổ chức" page) / all."""
    kind = request.GET.get("kind") or ConferenceKind.WORKERS
    if kind not in selectors.EXPECTED_SECTORS:
        raise Http404
    status = request.GET.get("status", "")
    status = status if status in STATUS_TITLES else ""
    code = request.GET.get("unit", "").split(" ", 1)[0].strip()
    unit = org_selectors.unit_get(user=request.user, code=code) if code else None
    start, end, year = _period(request)
    qs = selectors.unit_status(user=request.user, kind=kind, start=start, end=end, unit=unit, status=status)
    table = UnitStatusTable(qs)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    context = {
        "table": table,
        "total": table.paginator.count,
        "sectors": selectors.by_sector(user=request.user, kind=kind, start=start, end=end, unit=unit),
        "unit": unit,
        "kind": kind,
        "kind_label": ConferenceKind(kind).label,
        "kinds": ANNUAL_CHOICES,
        "status": status,
        "title": STATUS_TITLES[status],
        "start": start,
        "end": end,
        "year": year,
    }
    return render(request, "conferences/units.html", context)


@login_required
def conference_create(request: HttpRequest) -> HttpResponse:
    if not user_scope(request.user).can_write_anything:
        raise Http404
    picked = pick_writable_cdcs(request)
    if not hasattr(picked, "is_grassroots"):
        return render(request, "conferences/pick_unit.html", {"form": picked})
    unit: Any = picked
    form = ConferenceForm(request.POST or None, unit=unit, initial={"kind": request.GET.get("kind", "")})
    if request.method == "POST" and form.is_valid():
        try:
            conference = services.conference_create(actor=request.user, unit=unit, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        except OutOfScope:
            form.add_error(None, "Đơn vị này không thuộc phạm vi bạn được quyền thay đổi.")
        else:
            messages.success(
                request,
                MSG_CREATED.format(
                    kind=conference.get_kind_display(), unit=unit.name, day=format_date(conference.held_on)
                ),
            )
            return redirect(reverse("conferences:list") + "?" + urlencode({"unit": unit.code}))
    return render(request, "conferences/conference_form.html", {"form": form, "unit": unit})


FIELD_LABELS = {
    "unit": "Công đoàn cơ sở",
    "employer": "Đơn vị sử dụng lao động",
    "kind": "Loại",
    "year": "Năm",
    "held_on": "Ngày tổ chức",
    "employer_side": "Số người phía người sử dụng lao động",
    "employee_side": "Số người phía người lao động",
    "notes": "Ghi chú",
}
MSG_SAVED = "Đã lưu thay đổi {kind} của «{unit}»."


def _show(key: str, value: Any) -> str:
    if key == "employer" and isinstance(value, int):
        # Stored as the employer's id: shown by its name, never a bare internal number.
        found = Employer.objects.filter(pk=value).first()
        return found.name if found is not None else "—"
    if key == "kind" and value:
        return str(ConferenceKind(value).label) if value in ConferenceKind.values else str(value)
    return show_value(key, value)


@login_required
@require_GET  # a read: POST is 405
def conference_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One conference or dialogue: its fields, who recorded and changed it, and a link to correct it."""
    conference = selectors.conference_get(user=request.user, pk=pk)
    entries = selectors.conference_audit(user=request.user, conference=conference)
    context = {
        "conference": conference,
        "can_edit": can_write(request.user, conference.unit),
        "audit": audit_rows(entries, labels=FIELD_LABELS, show=_show),
    }
    return render(request, "conferences/conference_detail.html", context)


@login_required
def conference_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a recorded conference (``services.conference_update``: checked, audited, scoped)."""
    conference = selectors.conference_get_writable(user=request.user, pk=pk)
    initial = {
        "kind": conference.kind,
        "held_on": conference.held_on,
        "employer": conference.employer,
        "employer_side": conference.employer_side,
        "employee_side": conference.employee_side,
        "notes": conference.notes,
    }
    form = ConferenceForm(request.POST or None, unit=conference.unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.conference_update(actor=request.user, conference=conference, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        except OutOfScope:
            form.add_error(None, "Đơn vị này không thuộc phạm vi bạn được quyền thay đổi.")
        else:
            messages.success(
                request, MSG_SAVED.format(kind=conference.get_kind_display(), unit=conference.unit.name)
            )
            return redirect(conference.get_absolute_url())
    context = {"form": form, "unit": conference.unit, "conference": conference}
    return render(request, "conferences/conference_form.html", context)
