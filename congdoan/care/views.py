"""Pages of care: campaigns (list, detail with allocations and progress, new), cases (list with filters
and search, form, detail with approve / pay / reverse), batch approval, the bank file and the signed
cash list, Mái ấm Công đoàn houses and welfare deals. Reads are scoped (selectors); writes call the
services, which check scope again and audit."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from congdoan.accounts.permissions import can_write
from congdoan.accounts.scope import OutOfScope, user_scope
from congdoan.core.audit import audit_export
from congdoan.core.formatting import format_number, parse_amount
from congdoan.core.views import add_service_errors
from congdoan.core.xlsx import attachment_response, dated_filename
from congdoan.org import selectors as org_selectors
from congdoan.org import tree
from congdoan.org.forms import writable_unit
from congdoan.org.models import OrgUnit

from . import exports, selectors, services
from .forms import (
    BatchForm,
    CampaignForm,
    CaseFilterForm,
    CaseForm,
    DealForm,
    DocumentForm,
    HouseForm,
    PayBatchForm,
    PayForm,
    ReverseForm,
)
from .models import CampaignKind, CaseState

PER_PAGE = 50


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))


def _pk(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc


def _writer(request: HttpRequest) -> None:
    """Writes only for users who may change something (a read-only officer gets 404 before any input)."""
    if not user_scope(request.user).can_write_anything:
        raise Http404


def _money(form: Any, name: str) -> int | None:
    raw = (form.cleaned_data.get(name) or "").strip()
    if not raw:
        return None
    try:
        return parse_amount(raw)
    except ValueError as exc:
        form.add_error(name, str(exc))
        return None


# -- campaigns -------------------------------------------------------------------------------------------


@login_required
@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    kind = kind if kind in CampaignKind.values else ""
    qs = selectors.campaign_list(user=request.user, search=search, kind=kind)
    context = {
        "page": _page(request, qs),
        "q": search,
        "kind": kind,
        "kinds": CampaignKind.choices,
        "can_create": user_scope(request.user).can_write_anything,
    }
    return render(request, "care/campaign_list.html", context)


@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    _writer(request)
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        owner = writable_unit(request.user, form, "owner")
        cap = _money(form, "cap_per_person") or 0
        cap_year = _money(form, "cap_per_year") or 0
        funding = [
            services.Funding(kind, amount)
            for kind, name in (("union", "funding_union"), ("social", "funding_social"))
            if (amount := _money(form, name))
        ]
        if owner is not None and not form.errors:
            data = form.cleaned_data
            try:
                campaign = services.campaign_create(
                    actor=request.user,
                    code=data["code"],
                    name=data["name"],
                    kind=data["kind"],
                    owner=owner,
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    cap_per_person=cap,
                    cap_per_year=cap_year,
                    approval_levels=data["approval_levels"],
                    allows_non_members=data["allows_non_members"],
                    eligibility=data["eligibility"],
                    funding=funding,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except OutOfScope:
                form.add_error("owner", "Đơn vị này không thuộc phạm vi bạn được quyền thay đổi.")
            else:
                messages.success(request, f"Đã tạo chương trình «{campaign.name}».")
                return redirect(campaign.get_absolute_url())
    return render(request, "care/form.html", {"form": form, "title": "Chương trình chăm lo mới"})


@login_required
@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_get(user=request.user, pk=_pk(pk))
    context = {
        "campaign": campaign,
        "funding": selectors.campaign_funding(user=request.user, campaign=campaign),
        "progress": selectors.campaign_progress(user=request.user, campaign=campaign),
        "totals": selectors.campaign_totals(user=request.user, campaign=campaign),
        "can_write": user_scope(request.user).can_write_anything,
    }
    return render(request, "care/campaign_detail.html", context)


def _approver_choices(request: HttpRequest, campaign: Any) -> list[tuple[str, str]]:
    """The units the user may write for, among those that approve some case of the campaign."""
    scope = user_scope(request.user)
    units = OrgUnit.objects.filter(scope.writable_q(None)).filter(
        pk__in=[campaign.owner_id, *[a.unit_id for a in campaign.allocations.all()]]
    )
    return [(u.code, u.name) for u in units.order_by("code")]


@login_required
def approve_batch(request: HttpRequest, pk: int) -> HttpResponse:
    _writer(request)
    campaign = selectors.campaign_get(user=request.user, pk=_pk(pk))
    form = BatchForm(request.POST or None)
    form.fields["unit"].choices = _approver_choices(request, campaign)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        unit = org_selectors.unit_get_writable(user=request.user, code=form.cleaned_data["unit"])
        try:
            n = services.cases_approve_batch(actor=request.user, campaign=campaign, unit=unit)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Đã duyệt {format_number(n, 0)} hồ sơ với tư cách «{unit.name}».")
            return redirect(campaign.get_absolute_url())
    waiting = (
        selectors.case_list(user=request.user).filter(campaign=campaign, state=CaseState.PROPOSED).count()
    )
    return render(
        request, "care/approve_batch.html", {"form": form, "campaign": campaign, "waiting": waiting}
    )


@login_required
def pay_batch(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark paid the approved cases under a unit once the bank confirmed the file (or the cash list came
    back signed)."""
    _writer(request)
    campaign = selectors.campaign_get(user=request.user, pk=_pk(pk))
    form = PayBatchForm(request.POST or None)
    form.fields["unit"].choices = _approver_choices(request, campaign)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = org_selectors.unit_get_writable(user=request.user, code=data["unit"])
        try:
            n = services.cases_pay_batch(
                actor=request.user,
                campaign=campaign,
                unit=unit,
                method=data["method"],
                paid_on=data["paid_on"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Đã ghi nhận chi {format_number(n, 0)} hồ sơ của «{unit.name}».")
            return redirect(campaign.get_absolute_url())
    waiting = (
        selectors.case_list(user=request.user).filter(campaign=campaign, state=CaseState.APPROVED).count()
    )
    return render(request, "care/pay_batch.html", {"form": form, "campaign": campaign, "waiting": waiting})


@login_required
@require_GET
def bank_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    campaign = selectors.campaign_get(user=request.user, pk=_pk(pk))
    stem = f"chi-ho-{campaign.code.lower()}"
    if request.GET.get("format") == "csv":
        content, count = exports.bank_csv(request.user, campaign)
        response: HttpResponseBase = attachment_response(
            content, dated_filename(stem, "csv"), "text/csv; charset=utf-8"
        )
    else:
        book, count = exports.bank_xlsx(request.user, campaign)
        response = book.response(dated_filename(stem))
    audit_export(
        actor=request.user,
        kind="export.care.bank",
        label=f"Tệp chi hộ {campaign.code}",
        rows=count,
        filters={"campaign": campaign.code},
    )
    return response


@login_required
@require_GET
def cash_list(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The signed cash list: XLSX, or PDF (``?format=pdf``); ``?unit=CODE`` for one unit's subtree."""
    campaign = selectors.campaign_get(user=request.user, pk=_pk(pk))
    code = request.GET.get("unit", "").split(" ", 1)[0].strip()
    unit = org_selectors.unit_get(user=request.user, code=code) if code else None  # 404 out of scope
    stem = f"ky-nhan-{campaign.code.lower()}" + (f"-{unit.code.lower()}" if unit is not None else "")
    response: HttpResponseBase
    if request.GET.get("format") == "pdf":
        content, count = exports.cash_pdf(request.user, campaign, unit)
        response = attachment_response(content, dated_filename(stem, "pdf"), "application/pdf")
    else:
        book, count = exports.cash_xlsx(request.user, campaign, unit)
        response = book.response(dated_filename(stem))
    audit_export(
        actor=request.user,
        kind="export.care.cash",
        label=f"Danh sách ký nhận {campaign.code}",
        rows=count,
        filters={"campaign": campaign.code, **({"unit": unit.code} if unit is not None else {})},
    )
    return response


# -- cases -----------------------------------------------------------------------------------------------


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET or None)
    qs = selectors.case_list(user=request.user)
    unit = None
    campaign = None
    if form.is_valid():
        data = form.cleaned_data
        code = (data.get("unit") or "").split(" ", 1)[0].strip()
        if code:
            try:
                unit = org_selectors.unit_get(user=request.user, code=code)
            except OutOfScope:
                form.add_error("unit", f"Không tìm thấy đơn vị «{code}» trong phạm vi của bạn.")
                qs = qs.none()
        if data.get("campaign"):
            campaign = (
                selectors.campaign_list(user=request.user).filter(code=data["campaign"].upper()).first()
            )
            if campaign is None:
                qs = qs.none()
        qs = selectors.case_narrow(
            qs, campaign=campaign, state=data.get("state") or "", unit=unit, search=data.get("q") or ""
        )
        for key, lookup in (("paid_from", "paid_on__gte"), ("paid_to", "paid_on__lte")):
            if request.GET.get(key):
                try:
                    qs = qs.filter(**{lookup: request.GET[key]})
                except ValidationError:
                    qs = qs.none()
    return render(request, "care/case_list.html", {"form": form, "page": _page(request, qs), "unit": unit})


@login_required
@require_GET
def records(request: HttpRequest) -> HttpResponse:
    """Drill-down of the care indicators (``?unit=&from=&to=``): the paid cases of the period."""
    query = {"state": "paid"}
    for short, long in (("unit", "unit"), ("from", "paid_from"), ("to", "paid_to")):
        if request.GET.get(short):
            query[long] = request.GET[short]
    return redirect(reverse("care:case_list") + "?" + urlencode(query))


@login_required
def case_create(request: HttpRequest, pk: int) -> HttpResponse:
    _writer(request)
    campaign = selectors.campaign_get(user=request.user, pk=_pk(pk))
    form = CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        unit = writable_unit(request.user, form, "unit")
        amount = _money(form, "amount")
        if unit is not None and amount is not None and not form.errors:
            data = form.cleaned_data
            given = services.CaseInput(
                unit=unit,
                amount=amount,
                cccd=data["cccd"],
                full_name=data["full_name"],
                employer_name=data["employer_name"],
                reason=data["reason"],
                bank_account=data["bank_account"],
                bank_name=data["bank_name"],
            )
            try:
                case = services.case_propose(actor=request.user, campaign=campaign, given=given)
            except ValidationError as exc:
                add_service_errors(form, exc)
            except OutOfScope:
                form.add_error("unit", "Đơn vị này không thuộc phạm vi bạn được quyền thay đổi.")
            else:
                messages.success(request, f"Đã đề xuất hỗ trợ «{case.full_name}».")
                return redirect("care:case_detail", pk=case.pk)
    return render(request, "care/form.html", {"form": form, "title": f"Đề xuất hỗ trợ – {campaign.name}"})


@login_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(user=request.user, pk=_pk(pk))
    chain = services.approval_chain(case)
    next_unit = None
    if case.state == CaseState.PROPOSED and case.approved_levels < len(chain):
        next_unit = OrgUnit.objects.filter(pk=chain[case.approved_levels]).first()
    context = {
        "case": case,
        "approvals": case.approvals.select_related("unit").order_by("level"),
        "payment": getattr(case, "payment", None),
        "reversal": getattr(case, "reversal", None),
        "next_unit": next_unit,
        "can_approve": next_unit is not None and can_write(request.user, next_unit),
        "can_write": can_write(request.user, case.unit),
        "pay_form": PayForm(initial={"bank_account": case.bank_account, "bank_name": case.bank_name}),
        "documents": case.documents.order_by("id").only("pk", "name", "content_type", "created_at"),
        "document_form": DocumentForm(),
        "reverse_form": ReverseForm(),
    }
    return render(request, "care/case_detail.html", context)


def _case_action(request: HttpRequest, pk: int) -> Any:
    _writer(request)
    return selectors.case_get(user=request.user, pk=_pk(pk))


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
@require_POST
def case_approve(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_action(request, pk)
    chain = services.approval_chain(case)
    if case.approved_levels >= len(chain):
        raise Http404
    unit = OrgUnit.objects.get(pk=chain[case.approved_levels])
    try:
        services.case_approve(
            actor=request.user, case=case, unit=unit, approve=request.POST.get("reject") != "1"
        )
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("care:case_detail", pk=case.pk)


@login_required
@require_POST
def case_pay(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_action(request, pk)
    form = PayForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.case_pay(
                actor=request.user,
                case=case,
                method=data["method"],
                paid_on=data["paid_on"],
                bank_account=data["bank_account"],
                bank_name=data["bank_name"],
                items=data["items"],
            )
        except ValidationError as exc:
            _errors(request, exc)
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
    return redirect("care:case_detail", pk=case.pk)


@login_required
@require_POST
def case_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_action(request, pk)
    form = ReverseForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"reason": "Ghi lý do điều chỉnh."})
        services.case_reverse(actor=request.user, case=case, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("care:case_detail", pk=case.pk)


@login_required
@require_POST
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_action(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Chưa chọn tệp.")
        return redirect("care:case_detail", pk=case.pk)
    upload = form.cleaned_data["file"]
    if upload.size > services.MAX_DOCUMENT_BYTES:
        messages.error(request, f"Tệp «{upload.name}» lớn hơn 10 MB.")
        return redirect("care:case_detail", pk=case.pk)
    try:
        services.document_attach(actor=request.user, case=case, name=upload.name, data=upload.read())
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, f"Đã đính kèm «{upload.name}».")
    return redirect("care:case_detail", pk=case.pk)


@login_required
@require_GET
def document_download(request: HttpRequest, pk: int, doc: int) -> HttpResponseBase:
    case = selectors.case_get(user=request.user, pk=_pk(pk))  # 404 out of scope
    found = case.documents.filter(pk=_pk(doc)).first()
    if found is None:
        raise Http404
    return attachment_response(bytes(found.data), found.name, found.content_type)


# -- houses and deals --------------------------------------------------------------------------------------


@login_required
@require_GET
def houses(request: HttpRequest) -> HttpResponse:
    try:
        year = int(request.GET.get("year") or 0) or None
    except ValueError:
        year = None
    code = request.GET.get("unit", "").split(" ", 1)[0].strip()
    qs = selectors.house_list(user=request.user, year=year)
    if code:
        try:
            unit = org_selectors.unit_get(user=request.user, code=code)
            qs = qs.filter(unit_id__in=tree.in_subtree([unit.pk], org_selectors.view_day(user=request.user)))
        except OutOfScope:
            qs = qs.none()
    for key, lookup in (("from", "started_on__gte"), ("to", "started_on__lte")):
        if request.GET.get(key):
            try:
                qs = qs.filter(**{lookup: request.GET[key]})
            except ValidationError:
                qs = qs.none()
    can_create = user_scope(request.user).can_write_anything
    context = {"page": _page(request, qs), "year": year or "", "can_create": can_create}
    return render(request, "care/houses.html", context)


@login_required
def house_create(request: HttpRequest) -> HttpResponse:
    _writer(request)
    form = HouseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        unit = writable_unit(request.user, form, "unit")
        amount = _money(form, "amount")
        if unit is not None and not form.errors:
            data = form.cleaned_data
            try:
                house = services.house_create(
                    actor=request.user,
                    unit=unit,
                    beneficiary=data["beneficiary"],
                    started_on=data["started_on"],
                    amount=amount,
                    repair=data["repair"],
                    contributors=data["contributors"],
                    handed_over_on=data["handed_over_on"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except OutOfScope:
                form.add_error("unit", "Đơn vị này không thuộc phạm vi bạn được quyền thay đổi.")
            else:
                messages.success(request, f"Đã ghi Mái ấm Công đoàn cho «{house.beneficiary}».")
                return redirect("care:houses")
    context = {"form": form, "title": "Mái ấm Công đoàn mới", "cancel": reverse("care:houses")}
    return render(request, "care/form.html", context)


@login_required
@require_GET
def deals(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    current = request.GET.get("current") == "1"
    day = org_selectors.view_day(user=request.user)
    qs = selectors.deal_list(user=request.user, search=search, current_on=day if current else None)
    context = {
        "page": _page(request, qs),
        "q": search,
        "current": current,
        "can_create": user_scope(request.user).can_write_anything,
    }
    return render(request, "care/deals.html", context)


@login_required
def deal_create(request: HttpRequest) -> HttpResponse:
    _writer(request)
    form = DealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        unit = writable_unit(request.user, form, "unit")
        if unit is not None and not form.errors:
            data = form.cleaned_data
            try:
                deal = services.deal_create(
                    actor=request.user,
                    unit=unit,
                    partner=data["partner"],
                    offer=data["offer"],
                    signed_on=data["signed_on"],
                    discount_percent=data["discount_percent"],
                    valid_until=data["valid_until"],
                    how_to_claim=data["how_to_claim"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except OutOfScope:
                form.add_error("unit", "Đơn vị này không thuộc phạm vi bạn được quyền thay đổi.")
            else:
                messages.success(request, f"Đã ghi thỏa thuận với «{deal.partner}».")
                return redirect("care:deals")
    context = {"form": form, "title": "Thỏa thuận phúc lợi đoàn viên mới", "cancel": reverse("care:deals")}
    return render(request, "care/form.html", context)
