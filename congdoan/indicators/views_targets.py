"""The targets grid: targets handed down to a unit's children for a period, edited cell by cell or
imported from XLSX (all or nothing), and its import template.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from congdoan.accounts.permissions import can_write
from congdoan.accounts.scope import OutOfScope, user_scope
from congdoan.core.periods import Period
from congdoan.core.text import vi_sort_key
from congdoan.imports import services as import_services
from congdoan.org import selectors as org_selectors
from congdoan.org.models import OrgUnit

from . import exports, selectors, services
from .forms import TargetGridForm, UploadForm, cell_name
from .models import Indicator, Target
from .views_shared import (
    MSG_OUT_OF_SCOPE,
    Rollback,
    default_period,
    period_choices,
    request_period,
    request_unit,
)

# The target grid's columns when none are chosen: the yearly targets a city hands down.
DEFAULT_GRID = ["DV_KET_NAP", "CDCS_THANH_LAP", "TU_KY_MOI", "TL_CO_THOA_UOC"]

MSG_TARGETS_SAVED = "Đã lưu {n} chỉ tiêu giao cho {period}."
MSG_TARGETS_NONE = "Không có chỉ tiêu nào thay đổi."
MSG_TARGETS_FAILED = "Chưa lưu: có ô không hợp lệ (xem các ô tô đỏ). Không chỉ tiêu nào được thay đổi."
MSG_BACK_TO_TARGETS = "trang chỉ tiêu giao"  # "Quay lại trang chỉ tiêu giao"

# -- targets grid ---------------------------------------------------------------------------------------


def _grid_setup(
    request: HttpRequest,
) -> tuple[OrgUnit, Period, list[OrgUnit], list[Indicator], list[Indicator]]:
    unit = request_unit(request)
    period = request_period(request, default_period(request.user))
    children = sorted(
        org_selectors.children(user=request.user, unit=unit, on=period.start),
        key=lambda u: (u.level, vi_sort_key(u.name)),
    )
    catalogue = list(selectors.indicator_list())
    codes = [c.strip().upper() for c in request.GET.getlist("ind") if c.strip()] or DEFAULT_GRID
    chosen = [i for code in codes for i in catalogue if i.code == code]
    if not chosen:
        chosen = [i for i in catalogue if i.standard][:4]
    return unit, period, children, chosen, catalogue


def _current_targets(
    user: Any, units: list[OrgUnit], indicators: list[Indicator], period: Period
) -> dict[tuple[int, int], Decimal]:
    rows = Target.objects.filter(unit__in=units, indicator__in=indicators, period=period.code).filter(
        user_scope(user).period_q(unit_field="unit_id")
    )
    return {(t.unit_id, t.indicator_id): t.value for t in rows}


def _grid_query(unit: OrgUnit, period: Period, indicators: list[Indicator]) -> str:
    return urlencode([("unit", unit.code), ("period", period.code), *[("ind", i.code) for i in indicators]])


def _save_grid(request: HttpRequest, form: TargetGridForm, period: Period) -> int:
    """Every changed cell through ``services.target_set`` in one transaction; on any error the cell
    shows it and nothing is saved (raises ``Rollback``)."""
    changed = 0
    with transaction.atomic():
        for unit, indicator, value in form.changes():
            name = cell_name(unit, indicator)
            try:
                services.target_set(
                    actor=request.user, unit=unit, indicator=indicator, period=period.code, value=value
                )
            except OutOfScope:
                form.add_error(name, MSG_OUT_OF_SCOPE)
            except ValidationError as exc:
                form.add_error(name, ValidationError(exc.messages))
            else:
                changed += 1
        if form.errors:
            raise Rollback
    return changed


@login_required
def targets(request: HttpRequest) -> HttpResponse:
    """Targets handed down to the unit's children for a period: an editable grid, XLSX import."""
    unit, period, children, chosen, catalogue = _grid_setup(request)
    current = _current_targets(request.user, children, chosen, period)
    scope = user_scope(request.user)
    can_edit = scope.can_write_anything and can_write(
        request.user, unit, on=min(period.end, unit.last_day) if unit.last_day else period.end
    )
    here = f"{reverse('indicators:targets')}?{_grid_query(unit, period, chosen)}"
    form = TargetGridForm(None, units=children, indicators=chosen, current=current)
    upload = UploadForm()
    if request.method == "POST" and not can_edit:
        raise Http404  # not the user's to change: refused before the grid or file is read
    if request.method == "POST":
        if request.POST.get("action") == "import":
            # The import pipeline's job: stored file, preview (counts or every error), commit with
            # progress; the job's page links back to this grid.
            upload = UploadForm(request.POST, request.FILES)
            if upload.is_valid():
                try:
                    job = import_services.job_create(
                        actor=request.user,
                        kind="values",
                        upload=upload.cleaned_data["file"],
                        return_url=here,
                        return_label=MSG_BACK_TO_TARGETS,
                    )
                except ValidationError as exc:
                    upload.add_error("file", ValidationError(exc.messages))
                except PermissionDenied as exc:
                    upload.add_error("file", str(exc))
                else:
                    import_services.job_validate(job=job)
                    return redirect(job)
        else:
            form = TargetGridForm(request.POST, units=children, indicators=chosen, current=current)
            if form.is_valid():
                try:
                    n = _save_grid(request, form, period)
                except Rollback:
                    messages.error(request, MSG_TARGETS_FAILED)
                else:
                    messages.success(
                        request, MSG_TARGETS_SAVED.format(n=n, period=period.label) if n else MSG_TARGETS_NONE
                    )
                    return redirect(here)
            else:
                messages.error(request, MSG_TARGETS_FAILED)
    context = {
        "unit": unit,
        "period": period,
        "periods": period_choices(period),
        "children": children,
        "chosen": chosen,
        "catalogue": catalogue,
        "form": form,
        "upload": upload,
        "can_edit": can_edit,
        "query": _grid_query(unit, period, chosen),
    }
    return render(request, "indicators/targets.html", context)


@login_required
@require_GET  # a read: POST is 405
def targets_template(request: HttpRequest) -> HttpResponseBase:
    """The grid as an import file (unit_code, indicator_code, period, kind, value), with the current
    targets filled in."""
    unit, period, children, chosen, _ = _grid_setup(request)
    current = _current_targets(request.user, children, chosen, period)
    rows = []
    for child in children:
        for indicator in chosen:
            value = current.get((child.pk, indicator.pk))
            cell: Any = None
            if value is not None:
                number = value * 100 if indicator.is_ratio else value
                cell = int(number) if number == number.to_integral_value() else float(number)
            rows.append([child.code, indicator.code, period.code, "target", cell])
    return exports.target_template_xlsx(rows, f"mau-chi-tieu-{unit.code.lower()}-{period.code}")
