"""Pages of collective agreements: the list (filters, XLSX, drill-down targets), the agreement page with
its renewal chain and audit trail, create / edit / renew forms, and the two alert lists.

Thin views: parse input, call the scoped selectors and one service, render. Out-of-scope objects
answer 404; service ``ValidationError``s are shown on the form.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET
from django_tables2 import RequestConfig

from congdoan.accounts.permissions import can_write
from congdoan.accounts.scope import OutOfScope, user_scope
from congdoan.core.concurrency import version_of
from congdoan.core.formatting import format_date, format_fraction_percent
from congdoan.core.models import AuditEntry
from congdoan.core.views import add_service_errors, audit_rows, list_page, show_value
from congdoan.org import selectors as org_selectors
from congdoan.org.forms import PickCdcsForm, pick_writable_cdcs
from congdoan.org.views import FIELD_LABELS as ORG_LABELS

from . import exports, selectors, services
from .filters import AgreementFilter
from .forms import AgreementForm, RenewForm
from .models import AgreementKind, AgreementScope, CollectiveAgreement, FavourableClause, Grade
from .tables import AgreementTable, CdcsAgreementTable

PER_PAGE = 25
ALERT_DAYS = 90
MSG_CREATED = "Đã ghi nhận thỏa ước của «{cdcs}» ký ngày {day}."
MSG_SAVED = "Đã lưu thay đổi của thỏa ước ký ngày {day}."
MSG_RENEWED = "Đã ghi nhận thỏa ước {kind} ký ngày {day}."
MSG_OUT_OF_SCOPE = "Có đơn vị sử dụng lao động do công đoàn cơ sở ngoài phạm vi của bạn đại diện."

FIELD_LABELS = {
    **ORG_LABELS,
    "number": "Số văn bản",
    "cdcs": "Công đoàn cơ sở",
    "scope": "Phạm vi",
    "kind": "Hình thức",
    "signed_on": "Ngày ký",
    "effective_on": "Có hiệu lực từ",
    "expires_on": "Có hiệu lực đến hết ngày",
    "superseded_on": "Hết hiệu lực từ (được thay thế)",
    "grade": "Xếp loại",
    "approval_share": "Tỷ lệ tán thành",
    "favourable_clauses": "Nội dung có lợi",
    "renewal_of": "Ký lại, sửa đổi từ thỏa ước",
    "notes": "Ghi chú",
    "employers": "Đơn vị sử dụng lao động",
    "signed_file": "Tệp thỏa ước",
}

# Drill-down targets of the providers: ``?unit=&from=&to=`` → the list showing exactly their records.
PRESETS: dict[str, tuple[str, dict[str, str]]] = {
    "new": ("bargaining:agreement_list", {"kind": AgreementKind.NEW}),
    "resigned": ("bargaining:agreement_list", {"kind": AgreementKind.RESIGNED}),
    "amended": ("bargaining:agreement_list", {"kind": AgreementKind.AMENDED}),
    "grade_ab": ("bargaining:agreement_list", {"grade": "AB", "valid_on": "to"}),
    "graded": ("bargaining:agreement_list", {"grade": "graded", "valid_on": "to"}),
    "cdcs_valid": ("bargaining:cdcs_list", {"status": "valid", "on": "to"}),
    "enterprise_cdcs": ("bargaining:cdcs_list", {"nhom": "dn", "on": "to"}),
}


CHOICE_LABELS: dict[str, dict[str, str]] = {
    "kind": dict(AgreementKind.choices),
    "scope": dict(AgreementScope.choices),
    "grade": dict(Grade.choices),
}
CLAUSE_LABELS = dict(FavourableClause.choices)


def _show(key: str, value: Any) -> str:
    if key == "renewal_of" and isinstance(value, int):
        # Stored as the agreement's id: shown by what people know it by, never a bare internal number.
        found = CollectiveAgreement.objects.select_related("cdcs").filter(pk=value).first()
        return str(found) if found is not None else "—"
    if key == "approval_share" and value:
        return format_fraction_percent(Decimal(str(value)))
    if isinstance(value, list):
        labels = CLAUSE_LABELS if key == "favourable_clauses" else {}
        return "; ".join(str(labels.get(v, v)) for v in value) or "—"
    return show_value(key, value, CHOICE_LABELS)


def _audit(entries: Iterable[AuditEntry]) -> list[dict[str, Any]]:
    """Audit entries with their changes as (label, before, after) lines."""
    return audit_rows(entries, labels=FIELD_LABELS, show=_show, unset=(None, "", []))


@login_required
@require_GET  # a read: POST is 405
def records(request: HttpRequest, preset: str) -> HttpResponse:
    """A provider's drill-down: the same filters, spelled for the list page."""
    if preset not in PRESETS:
        raise Http404
    target, extra = PRESETS[preset]
    query: dict[str, str] = {k: str(request.GET.get(k)) for k in ("unit", "from", "to") if request.GET.get(k)}
    day = query.get("to", "")
    for key, value in extra.items():
        query[key] = day if value == "to" else value
    if any(v == "to" for v in extra.values()):
        query.pop("from", None)
        query.pop("to", None)
    return redirect(reverse(target) + "?" + urlencode(query))


@login_required
@require_GET  # a read: POST is 405
def agreement_list(request: HttpRequest) -> HttpResponseBase:
    filterset = AgreementFilter(
        request.GET, queryset=selectors.agreement_list(user=request.user), request=request
    )
    return list_page(
        request,
        filterset,
        AgreementTable,
        export=lambda qs, filters: exports.agreements_xlsx(user=request.user, agreements=qs, filters=filters),
        template="bargaining/agreement_list.html",
        can_create=user_scope(request.user).can_write_anything,
    )


@login_required
@require_GET  # a read: POST is 405
def cdcs_list(request: HttpRequest) -> HttpResponse:
    """CĐCS by agreement status on a day: ``status`` valid / lapsed / none / (all); ``nhom=dn``: enterprises
    only."""
    code = request.GET.get("unit", "").split(" ", 1)[0].strip()
    unit = org_selectors.unit_get(user=request.user, code=code) if code else None
    raw_day = request.GET.get("on", "")
    try:
        day = dt.date.fromisoformat(raw_day) if raw_day else org_selectors.view_day(user=request.user)
    except ValueError:
        day = org_selectors.view_day(user=request.user)
    status = request.GET.get("status", "")
    enterprise_only = request.GET.get("nhom") == "dn"
    qs = selectors.cdcs_status(
        user=request.user, unit=unit, day=day, status=status, enterprise_only=enterprise_only
    )
    table = CdcsAgreementTable(qs)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    titles = {
        "valid": "CĐCS có thỏa ước còn hiệu lực",
        "lapsed": "CĐCS hết hạn thỏa ước",
        "none": "CĐCS doanh nghiệp chưa có thỏa ước",
    }
    title = titles.get(status, "CĐCS doanh nghiệp" if enterprise_only else "Công đoàn cơ sở")
    context = {"table": table, "total": table.paginator.count, "unit": unit, "day": day, "title": title}
    return render(request, "bargaining/cdcs_list.html", context)


@login_required
@require_GET  # a read: POST is 405
def expiring(request: HttpRequest) -> HttpResponse:
    qs = selectors.expiring_soon(user=request.user, days=ALERT_DAYS)
    table = AgreementTable(qs, order_by=request.GET.get("sort") or None)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return render(
        request,
        "bargaining/alert_list.html",
        {
            "table": table,
            "total": table.paginator.count,
            "title": "Thỏa ước sắp hết hạn (90 ngày)",
            "lead": "Thỏa ước còn hiệu lực, hết hạn trong 90 ngày tới và chưa được ký lại.",
        },
    )


@login_required
@require_GET  # a read: POST is 405
def lapsed(request: HttpRequest) -> HttpResponse:
    table = CdcsAgreementTable(selectors.lapsed_cdcs(user=request.user))
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return render(
        request,
        "bargaining/alert_list.html",
        {
            "table": table,
            "total": table.paginator.count,
            "title": "CĐCS hết hạn thỏa ước",
            "lead": "CĐCS doanh nghiệp đã có thỏa ước nhưng hiện không còn thỏa ước nào có hiệu lực.",
        },
    )


@login_required
@require_GET  # a read: POST is 405
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    visible = set(
        selectors.agreement_list(user=request.user)
        .filter(pk__in=[a.pk for a in selectors.agreement_chain(agreement)])
        .values_list("pk", flat=True)
    )
    chain = [a for a in selectors.agreement_chain(agreement) if a.pk in visible]
    today = timezone.localdate()
    context = {
        "agreement": agreement,
        "chain": chain,
        "valid_today": agreement.is_valid_on(today),
        "suggested_grade": services.agreement_grade_suggest(agreement),
        "audit": _audit(selectors.agreement_audit(user=request.user, agreement=agreement)),
        "can_write": can_write(request.user, agreement.cdcs),
        "can_renew": can_write(request.user, agreement.cdcs) and not agreement.renewals.exists(),
    }
    return render(request, "bargaining/agreement_detail.html", context)


@login_required
@require_GET  # a read: POST is 405
def agreement_file(request: HttpRequest, pk: int) -> FileResponse:
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    if not agreement.signed_file:
        raise Http404
    response = FileResponse(agreement.signed_file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="thoa-uoc-{agreement.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def agreement_create(request: HttpRequest) -> HttpResponse:
    if not user_scope(request.user).can_write_anything:
        raise Http404
    picked = pick_writable_cdcs(request)
    if isinstance(picked, PickCdcsForm):
        return render(request, "bargaining/pick_cdcs.html", {"form": picked})
    cdcs = picked
    form = AgreementForm(request.POST or None, request.FILES or None, cdcs=cdcs)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.agreement_create(actor=request.user, cdcs=cdcs, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        except OutOfScope:
            form.add_error(None, MSG_OUT_OF_SCOPE)
        else:
            messages.success(
                request, MSG_CREATED.format(cdcs=cdcs.name, day=format_date(agreement.signed_on))
            )
            return redirect(agreement.get_absolute_url())
    return render(request, "bargaining/agreement_form.html", {"form": form, "cdcs": cdcs, "agreement": None})


@login_required
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get_writable(user=request.user, pk=pk)
    initial = {
        "number": agreement.number,
        "kind": agreement.kind,
        "scope": agreement.scope,
        "employers": list(agreement.employers.all()),
        "signed_on": agreement.signed_on,
        "effective_on": agreement.effective_on,
        "expires_on": agreement.expires_on,
        "approval_share": agreement.approval_share,
        "favourable_clauses": agreement.favourable_clauses,
        "grade": agreement.grade,
        "notes": agreement.notes,
        "version": version_of(agreement),
    }
    form = AgreementForm(
        request.POST or None, request.FILES or None, cdcs=agreement.cdcs, agreement=agreement, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        if not fields["signed_file"]:
            fields.pop("signed_file")
        try:
            services.agreement_update(
                actor=request.user,
                agreement=agreement,
                expected_version=form.cleaned_data["version"],
                **fields,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except OutOfScope:
            form.add_error(None, MSG_OUT_OF_SCOPE)
        else:
            messages.success(request, MSG_SAVED.format(day=format_date(fields["signed_on"])))
            return redirect(agreement.get_absolute_url())
    context = {"form": form, "cdcs": agreement.cdcs, "agreement": agreement, "grades": Grade.choices}
    return render(request, "bargaining/agreement_form.html", context)


@login_required
def agreement_renew(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get_writable(user=request.user, pk=pk)
    initial = {"favourable_clauses": agreement.favourable_clauses, "kind": AgreementKind.RESIGNED}
    form = RenewForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        try:
            new = services.agreement_renew(actor=request.user, agreement=agreement, **fields)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except OutOfScope:
            form.add_error(None, MSG_OUT_OF_SCOPE)
        else:
            kind = AgreementKind(new.kind).label.lower()
            messages.success(request, MSG_RENEWED.format(kind=kind, day=format_date(new.signed_on)))
            return redirect(new.get_absolute_url())
    return render(request, "bargaining/agreement_renew.html", {"form": form, "agreement": agreement})
