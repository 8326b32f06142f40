"""Pages of the loan fund: loans (list, detail with schedule, repayment, post-loan check, borrower
statement), projects (list, create, detail with the project-wide steps), arrears as of any date with
ageing, PAR and reminders, and the funds with their products and monthly statement."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from congdoan.accounts.permissions import can_write
from congdoan.accounts.scope import OutOfScope, user_scope
from congdoan.core.audit import audit_export
from congdoan.core.formatting import format_date, format_money, parse_amount
from congdoan.core.views import add_service_errors
from congdoan.core.xlsx import WorkbookWriter, attachment_response, dated_filename, table_sheet
from congdoan.members.models import Person
from congdoan.org import selectors as org_selectors
from congdoan.org.models import OrgUnit

from . import exports, schedule, selectors, services
from .forms import CheckForm, ProjectForm, RepaymentForm, parse_day
from .models import Account, ArrearsRun, Fund, LoanState

PER_PAGE = 25
PDF = "application/pdf"


def _unit(request: HttpRequest) -> OrgUnit | None:
    code = (request.GET.get("unit") or request.GET.get("don_vi") or "").split(" ", 1)[0].strip()
    return org_selectors.unit_get(user=request.user, code=code) if code else None


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# -- loans -------------------------------------------------------------------------------------------


@login_required
@require_GET  # a read: POST is 405
def loan_list(request: HttpRequest) -> HttpResponseBase:
    unit = _unit(request)
    state = request.GET.get("state", "")
    state = state if state in LoanState.values else ""
    qs = selectors.loan_narrow(
        selectors.loan_list(user=request.user),
        unit=unit,
        state=state,
        q=request.GET.get("q", "").strip(),
        disbursed_from=parse_day(request.GET.get("from"), dt.date.min) if request.GET.get("from") else None,
        disbursed_to=parse_day(request.GET.get("to"), dt.date.max) if request.GET.get("to") else None,
    )
    bucket = request.GET.get("bucket", "")
    bucket = bucket if schedule.bucket_range(bucket) else ""
    if bucket:
        qs = selectors.loan_in_bucket(qs, bucket)
    if request.GET.get("xuat") == "xlsx":
        return _loans_xlsx(request, qs)
    listing = selectors.loan_page(qs, request.GET.get("page"), PER_PAGE)
    context = {
        "page": listing.page,
        "unit": unit,
        "state": state,
        "states": LoanState.choices,
        "bucket": bucket,
        "buckets": [(key, label) for key, label, *_ in schedule.BUCKETS],
        "arrears_run": selectors.arrears_run_latest(done=True),
        "q": request.GET.get("q", ""),
        "total": listing.count,
        "amount": listing.amount,
    }
    return render(request, "loans/loan_list.html", context)


def _loans_xlsx(request: HttpRequest, qs: Any) -> HttpResponseBase:
    header = [
        "Mã",
        "Người vay",
        "CĐCS",
        "Dự án",
        "Số tiền (đồng)",
        "Thời hạn",
        "Trạng thái",
        "Ngày giải ngân",
        "Quá hạn tính đến",
        "Số ngày quá hạn",
        "Dư nợ gốc tại ngày tính",
    ]
    rows = (
        [
            ln.pk,
            ln.person.full_name,
            ln.cdcs.name,
            ln.project.code,
            ln.amount,
            ln.term,
            ln.get_state_display(),
            ln.disbursed_on,
            ln.arrears_on,
            ln.days_past_due if ln.arrears_on else None,
            ln.outstanding_on if ln.arrears_on else None,
        ]
        for ln in qs
    )
    book = WorkbookWriter()
    count = table_sheet(book, "Khoản vay", header, rows)
    audit_export(actor=request.user, kind="export.loans", label="Danh sách khoản vay (XLSX)", rows=count)
    return book.response(dated_filename("khoan-vay"))


@login_required
@require_GET  # a read: POST is 405
def loan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    loan = selectors.loan_get(user=request.user, pk=pk)
    on = parse_day(request.GET.get("on"), timezone.localdate())
    rows = selectors.arrears(selectors.loan_list(user=request.user).filter(pk=loan.pk), on)
    context = {
        "loan": loan,
        "instalments": list(loan.instalments.all()),
        "repayments": list(loan.repayments.order_by("paid_on", "id")),
        "checks": list(loan.checks.all()),
        "arrears": rows[0] if rows else None,
        "on": on,
        "outstanding": services.principal_outstanding(loan),
        "can_cdcs": can_write(request.user, loan.cdcs),
        "can_fund": can_write(request.user, loan.fund.owner),
        "repay_form": RepaymentForm(),
        "check_form": CheckForm(),
    }
    return render(request, "loans/loan_detail.html", context)


ACTIONS = {
    "appraise": (services.loan_appraise, "Đã thẩm định khoản vay."),
    "approve": (services.loan_approve, "Đã phê duyệt khoản vay."),
    "disburse": (services.loan_disburse, "Đã giải ngân khoản vay."),
    "write_off": (services.loan_write_off, "Đã xóa nợ khoản vay."),
}


@login_required
@require_POST
def loan_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    loan = selectors.loan_get(user=request.user, pk=pk)
    if action not in ACTIONS:
        raise Http404
    service, done = ACTIONS[action]
    on = parse_day(request.POST.get("on"), timezone.localdate())
    try:
        service(actor=request.user, loan=loan, on=on)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, done)
    return redirect("loans:detail", pk=loan.pk)


@login_required
def repayment_create(request: HttpRequest, pk: int) -> HttpResponse:
    loan = selectors.loan_get(user=request.user, pk=pk)
    if not can_write(request.user, loan.cdcs):
        raise Http404
    form = RepaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            repayment = services.repayment_post(actor=request.user, loan=loan, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except OutOfScope:
            form.add_error(None, "Khoản vay này không thuộc phạm vi bạn được quyền thay đổi.")
        else:
            messages.success(
                request,
                f"Đã thu {format_money(repayment.amount)} ngày {format_date(repayment.paid_on)}: phí "
                f"{format_money(repayment.fee)}, lãi {format_money(repayment.interest)}, gốc "
                f"{format_money(repayment.principal)}.",
            )
            return redirect("loans:detail", pk=loan.pk)
    return render(request, "loans/repayment_form.html", {"loan": loan, "form": form})


@login_required
@require_POST
def check_create(request: HttpRequest, pk: int) -> HttpResponse:
    loan = selectors.loan_get(user=request.user, pk=pk)
    form = CheckForm(request.POST)
    if form.is_valid():
        try:
            services.loan_check_create(actor=request.user, loan=loan, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, "Đã ghi nhận kiểm tra sau vay.")
    else:
        messages.error(request, "Thông tin kiểm tra sau vay chưa hợp lệ.")
    return redirect("loans:detail", pk=loan.pk)


def _pdf_wanted(request: HttpRequest) -> bool:
    return request.GET.get("format") == "pdf"


@login_required
@require_GET  # a read: POST is 405
def loan_statement(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The borrower's statement: XLSX, or PDF (``?format=pdf``): the schedule with what was paid, and
    every repayment."""
    loan = selectors.loan_get(user=request.user, pk=pk)
    st = selectors.loan_statement(loan)
    stem = f"sao-ke-khoan-vay-{loan.pk}"
    response: HttpResponseBase
    if _pdf_wanted(request):
        fmt = "pdf"
        response = attachment_response(exports.loan_statement_pdf(st), dated_filename(stem, fmt), PDF)
        count = len(st.instalments) + len(st.repayments)
    else:
        fmt = "xlsx"
        book, count = exports.loan_statement_xlsx(st)
        response = book.response(dated_filename(stem))
    audit_export(
        actor=request.user,
        kind="export.loan_statement",
        label=f"Sao kê khoản vay #{loan.pk} ({fmt.upper()})",
        rows=count,
        filters={"loan": loan.pk, "format": fmt},
        unit=loan.cdcs,
    )
    return response


# -- projects ----------------------------------------------------------------------------------------


@login_required
@require_GET  # a read: POST is 405
def project_list(request: HttpRequest) -> HttpResponse:
    unit = _unit(request)
    qs = selectors.project_list(user=request.user)
    if unit is not None:
        qs = qs.filter(cdcs_id__in=selectors.tree.in_subtree([unit.pk], timezone.localdate()))
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "unit": unit, "can_create": user_scope(request.user).can_write_anything}
    return render(request, "loans/project_list.html", context)


@login_required
@require_GET  # a read: POST is 405
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get(user=request.user, pk=pk)
    loans = list(project.loans.select_related("person").order_by("id"))
    states = {s: sum(1 for ln in loans if ln.state == s) for s in LoanState.values}
    context = {
        "project": project,
        "loans": loans,
        "states": states,
        "amount": sum(ln.amount for ln in loans),
        "can_cdcs": can_write(request.user, project.cdcs),
        "can_fund": can_write(request.user, project.product.fund.owner),
        "today": timezone.localdate(),
    }
    return render(request, "loans/project_detail.html", context)


PROJECT_ACTIONS = {
    "appraise": (services.project_appraise, "Đã thẩm định {n} khoản vay."),
    "approve": (services.project_approve, "Đã phê duyệt {n} khoản vay."),
    "disburse": (services.project_disburse, "Đã giải ngân {n} khoản vay."),
}


@login_required
@require_POST
def project_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    project = selectors.project_get(user=request.user, pk=pk)
    if action not in PROJECT_ACTIONS:
        raise Http404
    service, done = PROJECT_ACTIONS[action]
    on = parse_day(request.POST.get("on"), timezone.localdate())
    try:
        n = service(actor=request.user, project=project, on=on)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, done.format(n=n))
    return redirect("loans:project", pk=project.pk)


@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    """A CĐCS's project (``?cdcs=CODE``, a unit the officer may change) with its borrowers."""
    if not user_scope(request.user).can_write_anything:
        raise Http404
    code = (request.GET.get("cdcs") or "").split(" ", 1)[0].strip()
    if not code:
        return render(request, "loans/pick_cdcs.html", {"units": selectors.writable_cdcs(user=request.user)})
    cdcs = org_selectors.unit_get_writable(user=request.user, code=code)
    form = ProjectForm(
        request.POST or None, products=selectors.product_list(user=request.user).filter(active=True)
    )
    if request.method == "POST" and form.is_valid():
        apps, line_errors = [], []
        for k, cccd, amount, term, purpose in form.lines():
            person = Person.objects.filter(cccd=cccd).first() if cccd else None
            if person is None:
                line_errors.append(f"Dòng {k}: không tìm thấy đoàn viên có CCCD «{cccd}».")
                continue
            try:
                apps.append(services.Application(person, parse_amount(amount), int(term), purpose))
            except ValueError:
                line_errors.append(f"Dòng {k}: số tiền «{amount}» hoặc thời hạn «{term}» không hợp lệ.")
        for message in line_errors:
            form.add_error("borrowers", message)
        if not line_errors:
            try:
                project = services.project_create(
                    actor=request.user,
                    cdcs=cdcs,
                    product=form.cleaned_data["product"],
                    code=form.cleaned_data["code"],
                    name=form.cleaned_data["name"],
                    submitted_on=form.cleaned_data["submitted_on"],
                    borrowers=apps,
                )
            except ValidationError as exc:
                for key, errors in exc.error_dict.items():
                    field = "borrowers" if key.startswith("borrowers") else key
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, f"Đã lập dự án «{project.name}» với {len(apps)} người vay.")
                return redirect("loans:project", pk=project.pk)
    return render(request, "loans/project_form.html", {"form": form, "cdcs": cdcs})


# -- arrears -----------------------------------------------------------------------------------------


@login_required
@require_GET  # a read: POST is 405
def arrears(request: HttpRequest) -> HttpResponse:
    """Ageing and PAR as of a day (``?on=`` or ``?to=``), by child unit of ``?unit=``, the loans in arrears
    and the reminders of each CĐCS."""
    on = parse_day(request.GET.get("on") or request.GET.get("to"), timezone.localdate())
    on = org_selectors.view_day(user=request.user, on=on)
    unit = _unit(request)
    loans = selectors.loan_narrow(selectors.loan_list(user=request.user), unit=unit, day=on)
    rows = selectors.arrears(loans, on)
    total = selectors.ageing(rows)
    homes = org_selectors.home_units(user=request.user)
    base = unit or (homes[0] if homes else None)
    children = list(org_selectors.children(user=request.user, unit=base, on=on)) if base else []
    by_unit = selectors.ageing_by_unit(rows, children, on) if children else []
    late_ids = sorted((r for r in rows if r.days > 0), key=lambda r: -r.days)[:200]
    late_loans = {ln.pk: ln for ln in loans.filter(pk__in=[r.loan_id for r in late_ids])}
    late = [(late_loans[r.loan_id], r) for r in late_ids if r.loan_id in late_loans]
    context = {
        "on": on,
        "unit": unit,
        "base": base,
        "total": total,
        "by_unit": by_unit,
        "late": late,
        "reminders": selectors.reminders(user=request.user, on=on, unit=unit),
        "can_recompute": _can_recompute(request.user),
        "arrears_run": selectors.arrears_run_latest(),
    }
    return render(request, "loans/arrears.html", context)


def _can_recompute(user: Any) -> bool:
    """Whether ``user`` may recompute every loan's stored arrears (an officer of every fund's owner)."""
    owners = OrgUnit.objects.filter(pk__in=Fund.objects.values("owner_id"))
    return bool(owners) and all(can_write(user, owner) for owner in owners)


@login_required
@require_POST
def arrears_recompute(request: HttpRequest) -> HttpResponse:
    """Start the background recomputation of every loan's arrears as of ``on`` (default today)."""
    if not _can_recompute(request.user):
        raise Http404
    on = parse_day(request.POST.get("on"), timezone.localdate())
    try:
        run = services.arrears_recompute_request(actor=request.user, on=on)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect("loans:arrears")
    messages.success(request, f"Đã bắt đầu tính lại nợ quá hạn của mọi khoản vay đến ngày {format_date(on)}.")
    return redirect("loans:arrears_run", pk=run.pk)


@login_required
@require_GET  # a read: POST is 405
def arrears_run(request: HttpRequest, pk: int) -> HttpResponse:
    """A recomputation's progress (the partial alone for htmx's polling)."""
    if not _can_recompute(request.user):
        raise Http404
    run = selectors.arrears_run_get(pk=pk)
    template = "loans/_arrears_run.html" if request.headers.get("HX-Request") else "loans/arrears_run.html"
    return render(request, template, {"run": run, "statuses": ArrearsRun.Status})


# -- funds -------------------------------------------------------------------------------------------


@login_required
@require_GET  # a read: POST is 405
def fund_list(request: HttpRequest) -> HttpResponse:
    funds = [
        (f, services.fund_available(f), selectors.account_balance(fund=f, account=Account.LOANS))
        for f in selectors.fund_list(user=request.user)
    ]
    context = {"funds": funds, "products": selectors.product_list(user=request.user)}
    return render(request, "loans/fund_list.html", context)


@login_required
@require_GET  # a read: POST is 405
def fund_statement(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The fund's monthly statement (``?month=YYYY-MM``, default this month): opening cash, each cash
    line of the month, closing cash; XLSX, or PDF (``?format=pdf``)."""
    fund = selectors.fund_get(user=request.user, pk=pk)
    today = timezone.localdate()
    start, end = selectors.month_of(request.GET.get("month"), today)
    st = selectors.fund_statement(fund, start, end)
    stem = f"sao-ke-quy-{fund.code.lower()}-{start:%Y%m}"
    response: HttpResponseBase
    if _pdf_wanted(request):
        fmt = "pdf"
        response = attachment_response(exports.fund_statement_pdf(st, today), dated_filename(stem, fmt), PDF)
        count = len(st.lines) + 2
    else:
        fmt = "xlsx"
        book, count = exports.fund_statement_xlsx(st)
        response = book.response(dated_filename(stem))
    audit_export(
        actor=request.user,
        kind="export.fund_statement",
        label=f"Sao kê quỹ {fund.code} {start:%m/%Y} ({fmt.upper()})",
        rows=count,
        filters={"fund": fund.code, "month": f"{start:%Y-%m}", "format": fmt},
        unit=fund.owner,
    )
    return response
