"""Pages of the org app: dashboard, tree, units, employers, emulation clusters.

Thin views: parse input, call the scoped selectors and the services, render. Out-of-scope objects
answer 404 (``OutOfScope``); service ``ValidationError``s are shown on the form.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET
from django_tables2 import RequestConfig

from congdoan.accounts.periods import page_year, year_choices
from congdoan.accounts.permissions import can_write
from congdoan.accounts.scope import OutOfScope, user_scope
from congdoan.core.concurrency import version_of
from congdoan.core.formatting import format_date
from congdoan.core.models import AuditEntry
from congdoan.core.views import add_service_errors, audit_rows, show_value

from . import exports, selectors, services
from .filters import EmployerFilter, UnitFilter
from .forms import (
    DayForm,
    EmployerForm,
    UnitCreateForm,
    UnitDissolveForm,
    UnitEditForm,
    UnitMergeForm,
    UnitMoveForm,
)
from .home import home_blocks, home_context
from .models import Employer, OrgUnit, Sector, UnitType
from .tables import EmployerTable, UnitTable

PER_PAGE = 25
SEARCH_LIMIT = 50

# Success messages (named placeholders, filled with str.format; never f-strings: style.md §4).
MSG_CREATED = "Đã thêm đơn vị «{unit}» trực thuộc «{parent}»."
MSG_SAVED = "Đã lưu thay đổi của «{name}»."
MSG_MOVED = "Đã chuyển «{unit}» sang trực thuộc «{parent}» từ ngày {day}."
MSG_MERGED = "Đã hợp nhất «{unit}» vào «{into}» từ ngày {day}."
MSG_DISSOLVED = "Đã ghi nhận giải thể «{unit}» từ ngày {day}."
MSG_EMPLOYER_CREATED = "Đã thêm doanh nghiệp «{name}»."


# -- helpers -----------------------------------------------------------------------------------------


def _day(request: HttpRequest, unit: OrgUnit | None = None) -> tuple[DayForm, dt.date]:
    """The "Xem theo ngày" form and the day it shows (today / the unit's last day by default, never after
    a read-only user's last day)."""
    raw = request.GET.get("on", "").strip()
    form = DayForm({"on": raw}) if raw else None
    day = selectors.view_day(user=request.user, on=form.day() if form else None, unit=unit)
    if form is None or form.is_valid():
        form = DayForm(initial={"on": day})
    return form, day


def _out_of_scope_on(form: Form, day: dt.date | None) -> None:
    form.add_error(
        None,
        ValidationError(
            "Vào ngày %(day)s, đơn vị này hoặc đơn vị được chọn không thuộc phạm vi bạn được quyền thay đổi.",
            params={"day": format_date(day) if day else ""},
        ),
    )


FIELD_LABELS = {
    "code": "Mã",
    "name": "Tên",
    "short_name": "Tên viết tắt",
    "type": "Loại đơn vị",
    "sector": "Khu vực",
    "address": "Địa chỉ",
    "phone": "Điện thoại",
    "email": "Thư điện tử",
    "founded_on": "Ngày thành lập",
    "dissolved_on": "Chấm dứt hoạt động từ",
    "parent": "Đơn vị cấp trên",
    "from": "Từ ngày",
    "on": "Ngày",
    "merged_into": "Hợp nhất vào",
    "children_to": "Đơn vị tiếp nhận",
    "children_moved": "Số đơn vị trực thuộc chuyển",
    "employers_moved": "Số doanh nghiệp chuyển",
    "tax_code": "Mã số thuế",
    "workforce": "Số lao động",
    "pays_union_funding": "Đóng kinh phí công đoàn",
    "unit": "Công đoàn quản lý",
    "cdcs": "Công đoàn cơ sở",
    "rows": "Số dòng",
}
CHOICE_LABELS = {"type": dict(UnitType.choices), "sector": dict(Sector.choices)}


def _show(key: str, value: Any) -> str:
    return show_value(key, value, CHOICE_LABELS)


def _audit_rows(entries: Iterable[AuditEntry]) -> list[dict[str, Any]]:
    """Audit entries with their before/after as (label, before, after) lines."""
    return audit_rows(entries, labels=FIELD_LABELS, show=_show)


# -- dashboard ---------------------------------------------------------------------------------------


@login_required
@require_GET  # a read: POST is 405
def home(request: HttpRequest) -> HttpResponse:
    """The officer's day: the panels the apps registered (``core.registry.register_home_panel``)."""
    ctx = home_context(request.user)
    todo, main = home_blocks(ctx)
    links: list[Any] = []
    seen: set[str] = set()
    for block in (*todo, *main):
        for link in block.links:
            if link.url not in seen:
                seen.add(link.url)
                links.append(link)
    return render(request, "org/home.html", {"ctx": ctx, "todo": todo, "main": main, "links": links})


# -- tree ------------------------------------------------------------------------------------------


def _nodes(request: HttpRequest, units: list[OrgUnit], day: dt.date) -> list[dict[str, Any]]:
    counts = selectors.child_counts(user=request.user, parent_ids=[u.pk for u in units], on=day)
    return [{"unit": u, "count": counts.get(u.pk, 0)} for u in units]


@login_required
@require_GET  # a read: POST is 405
def tree(request: HttpRequest) -> HttpResponse:
    form, day = _day(request)
    roots = _nodes(request, selectors.home_units(user=request.user), day)
    return render(request, "org/tree.html", {"form": form, "day": day, "nodes": roots})


@login_required
@require_GET
def tree_children(request: HttpRequest, code: str) -> HttpResponse:
    unit = selectors.unit_get(user=request.user, code=code)
    _, day = _day(request)
    kids = list(selectors.children(user=request.user, unit=unit, on=day))
    return render(request, "org/_tree_nodes.html", {"nodes": _nodes(request, kids, day), "day": day})


@login_required
@require_GET
def tree_search(request: HttpRequest) -> HttpResponse:
    _, day = _day(request)
    q = request.GET.get("q", "").strip()
    units = selectors.unit_search(user=request.user, search=q, limit=SEARCH_LIMIT)
    return render(
        request, "org/_search_results.html", {"units": units, "q": q, "limit": SEARCH_LIMIT, "day": day}
    )


@login_required
@require_GET
def unit_suggest(request: HttpRequest) -> HttpResponse:
    """``<option>``s for the unit-code datalist; reads ``q`` or the first parameter (the input's own)."""
    q = str(request.GET.get("q") or next((v for _, v in request.GET.items() if v), ""))
    q = q.split(" ", 1)[0] if " – " in q else q
    units = list(selectors.unit_list(user=request.user, search=q.strip())[:20]) if q.strip() else []
    return render(request, "org/_unit_options.html", {"units": units})


# -- units -----------------------------------------------------------------------------------------


@login_required
@require_GET  # a read: POST is 405
def unit_list(request: HttpRequest) -> HttpResponseBase:
    _, day = _day(request)
    data = request.GET.copy()
    if not data.get("on"):
        data["on"] = format_date(day)
    units = selectors.unit_list(user=request.user, on=day, search=request.GET.get("q", "").strip())
    filterset = UnitFilter(data, queryset=units)
    qs = filterset.qs
    if request.GET.get("xuat") == "xlsx":
        filters = {k: v for k, v in data.items() if k in ("q", "type", "sector", "on") and v}
        return exports.units_xlsx(user=request.user, units=qs, filters=filters)
    table = UnitTable(qs)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return render(
        request, "org/unit_list.html", {"filter": filterset, "table": table, "day": day, "total": qs.count()}
    )


@login_required
@require_GET  # a read: POST is 405
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = selectors.unit_get(user=request.user, code=code)
    day = selectors.view_day(user=request.user, unit=unit)
    kids = list(selectors.children(user=request.user, unit=unit, on=day))
    history = [
        {"link": link, "last_day": link.valid_to - dt.timedelta(days=1) if link.valid_to else None}
        for link in selectors.unit_history(user=request.user, unit=unit)
    ]
    context = {
        "unit": unit,
        "day": day,
        "ancestors": selectors.ancestors(unit, day),
        "children": _nodes(request, kids, day),
        "history": history,
        "audit": _audit_rows(selectors.unit_audit(user=request.user, unit=unit)),
        "employers": list(selectors.unit_employers(user=request.user, unit=unit)[:100]),
        "can_write": can_write(request.user, unit),
    }
    return render(request, "org/unit_detail.html", context)


def _unit_form_view(
    request: HttpRequest,
    code: str,
    form_class: type[Form],
    template: str,
    act: Callable[[OrgUnit, dict[str, Any]], str],
) -> HttpResponse:
    """GET shows the form; POST calls ``act`` (one service) and redirects to the unit page."""
    unit = selectors.unit_get_writable(user=request.user, code=code)
    form = form_class(request.POST or None, user=request.user, unit=unit)  # type: ignore[call-arg]
    if request.method == "POST" and form.is_valid():
        try:
            message = act(unit, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except OutOfScope:
            _out_of_scope_on(form, form.cleaned_data.get("on") or form.cleaned_data.get("valid_from"))
        else:
            messages.success(request, message)
            return redirect(unit.get_absolute_url())
    return render(request, template, {"unit": unit, "form": form})


@login_required
def unit_create(request: HttpRequest, code: str) -> HttpResponse:
    parent = selectors.unit_get_writable(user=request.user, code=code)
    form = UnitCreateForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            unit = services.unit_create(actor=request.user, parent=parent, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except OutOfScope:
            _out_of_scope_on(form, data.get("valid_from") or data.get("founded_on"))
        else:
            messages.success(
                request,
                MSG_CREATED.format(unit=unit.name, parent=parent.name),
            )
            return redirect(unit.get_absolute_url())
    return render(request, "org/unit_form.html", {"unit": parent, "form": form, "creating": True})


@login_required
def unit_edit(request: HttpRequest, code: str) -> HttpResponse:
    unit = selectors.unit_get_writable(user=request.user, code=code)
    fields = ["name", "short_name", "type", "sector", "address", "phone", "email", "founded_on"]
    initial = {f: getattr(unit, f) for f in fields} | {"version": version_of(unit)}
    form = UnitEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(
                actor=request.user,
                unit=unit,
                expected_version=form.cleaned_data["version"],
                **{f: form.cleaned_data[f] for f in fields},
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, MSG_SAVED.format(name=unit.name))
            return redirect(unit.get_absolute_url())
    return render(request, "org/unit_form.html", {"unit": unit, "form": form, "creating": False})


@login_required
def unit_move(request: HttpRequest, code: str) -> HttpResponse:
    def act(unit: OrgUnit, data: dict[str, Any]) -> str:
        parent = data["new_parent_unit"]
        services.unit_move(
            actor=request.user, unit=unit, new_parent=parent, on=data["on"], reason=data["reason"]
        )
        return MSG_MOVED.format(
            unit=unit.name,
            parent=parent.name,
            day=format_date(data["on"]),
        )

    return _unit_form_view(request, code, UnitMoveForm, "org/unit_move.html", act)


@login_required
def unit_merge(request: HttpRequest, code: str) -> HttpResponse:
    def act(unit: OrgUnit, data: dict[str, Any]) -> str:
        into = data["into_unit"]
        services.unit_merge(actor=request.user, unit=unit, into=into, on=data["on"], reason=data["reason"])
        return MSG_MERGED.format(
            unit=unit.name,
            into=into.name,
            day=format_date(data["on"]),
        )

    return _unit_form_view(request, code, UnitMergeForm, "org/unit_merge.html", act)


@login_required
def unit_dissolve(request: HttpRequest, code: str) -> HttpResponse:
    def act(unit: OrgUnit, data: dict[str, Any]) -> str:
        services.unit_dissolve(
            actor=request.user,
            unit=unit,
            on=data["on"],
            children_to=data["children_to_unit"],
            reason=data["reason"],
        )
        return MSG_DISSOLVED.format(
            unit=unit.name,
            day=format_date(data["on"]),
        )

    return _unit_form_view(request, code, UnitDissolveForm, "org/unit_dissolve.html", act)


# -- employers ---------------------------------------------------------------------------------------


@login_required
@require_GET  # a read: POST is 405
def employer_list(request: HttpRequest) -> HttpResponseBase:
    employers = selectors.employer_list(user=request.user, search=request.GET.get("q", "").strip())
    filterset = EmployerFilter(request.GET or None, queryset=employers)
    qs = filterset.qs
    if request.GET.get("xuat") == "xlsx":
        filters = {
            k: v for k, v in request.GET.items() if k in ("q", "sector", "has_cdcs", "pays_union_funding")
        }
        return exports.employers_xlsx(user=request.user, employers=qs, filters=filters)
    table = EmployerTable(qs)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    can_create = user_scope(request.user).can_write_anything
    return render(
        request,
        "org/employer_list.html",
        {"filter": filterset, "table": table, "total": qs.count(), "can_create": can_create},
    )


@login_required
@require_GET  # a read: POST is 405
def employer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    employer = selectors.employer_get(user=request.user, pk=pk)
    context = {
        "employer": employer,
        "audit": _audit_rows(selectors.employer_audit(user=request.user, employer=employer)),
        "can_write": can_write(request.user, employer.unit),
    }
    return render(request, "org/employer_detail.html", context)


@login_required
def employer_create(request: HttpRequest) -> HttpResponse:
    if not user_scope(request.user).can_write_anything:
        raise Http404
    initial = {"unit": request.GET.get("don_vi", "")}
    form = EmployerForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            employer = services.employer_create(actor=request.user, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, MSG_EMPLOYER_CREATED.format(name=employer.name))
            return redirect(employer.get_absolute_url())
    return render(request, "org/employer_form.html", {"form": form, "employer": None})


@login_required
def employer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    employer: Employer = selectors.employer_get_writable(user=request.user, pk=pk)
    initial = {
        "name": employer.name,
        "tax_code": employer.tax_code or "",
        "sector": employer.sector,
        "address": employer.address,
        "workforce": employer.workforce,
        "pays_union_funding": employer.pays_union_funding,
        "unit": employer.unit.code,
        "cdcs": employer.cdcs.code if employer.cdcs else "",
    }
    form = EmployerForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.employer_update(actor=request.user, employer=employer, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        except OutOfScope:
            form.add_error(None, "Bạn không có quyền thay đổi doanh nghiệp này.")
        else:
            messages.success(request, MSG_SAVED.format(name=employer.name))
            return redirect(employer.get_absolute_url())
    return render(request, "org/employer_form.html", {"form": form, "employer": employer})


# -- emulation clusters --------------------------------------------------------------------------------


@login_required
@require_GET  # a read: POST is 405
def cluster_list(request: HttpRequest) -> HttpResponse:
    year = page_year(request, param="nam")
    years = year_choices(year, years=selectors.cluster_years(user=request.user))
    clusters = []
    for cluster in selectors.cluster_list(user=request.user, year=year):
        members = list(cluster.memberships.all())
        clusters.append(
            {
                "cluster": cluster,
                "leader": next((m.unit for m in members if m.role == "leader"), None),
                "deputy": next((m.unit for m in members if m.role == "deputy"), None),
                "members": sorted(
                    members, key=lambda m: ({"leader": 0, "deputy": 1}.get(m.role, 2), m.unit.name)
                ),
            }
        )
    return render(request, "org/cluster_list.html", {"years": years, "year": year, "clusters": clusters})


# -- organising (phát triển tổ chức) --------------------------------------------------------------------


@login_required
@require_GET  # a read: POST is 405
def organising(request: HttpRequest) -> HttpResponseBase:
    """Employers with workers or paying union funding but without a CĐCS, per managing union."""
    q = request.GET.get("q", "").strip()
    funding_only = request.GET.get("loai") == "kpcd"
    employers = selectors.organising_targets(user=request.user, search=q, funding_only=funding_only)
    if request.GET.get("xuat") == "xlsx":
        filters = {k: v for k, v in request.GET.items() if k in ("q", "loai") and v}
        return exports.organising_xlsx(user=request.user, employers=employers, filters=filters)
    groups = selectors.organising_groups(employers)
    totals = {
        "count": sum(g.count for g in groups),
        "workforce": sum(g.workforce for g in groups),
        "funding": sum(g.funding for g in groups),
    }
    context = {"groups": groups, "totals": totals, "q": q, "funding_only": funding_only}
    return render(request, "org/organising.html", context)
