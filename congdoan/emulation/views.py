"""Pages of the emulation app: score sheets (list, detail, self-scoring, appraisal, steps), the grades of
CĐCS by district, clusters with their pacts, vote and ranking, awards with certificates, initiatives.

Reads are ``@require_GET``; every write goes through ``services`` (scope, checks, audit) and shows the
service's Vietnamese messages on the page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from congdoan.accounts.periods import page_year
from congdoan.accounts.permissions import can_write, scoped
from congdoan.accounts.scope import OutOfScope, user_scope
from congdoan.core.audit import audit_export
from congdoan.core.views import add_service_errors, form_page
from congdoan.core.xlsx import WorkbookWriter, dated_filename, table_sheet
from congdoan.org import selectors as org_selectors
from congdoan.org.forms import writable_unit
from congdoan.org.models import ClusterMember, OrgUnit

from . import certificates, selectors, services
from .forms import CertificateTemplateForm, InitiativeForm, MovementForm, ProposalForm, RegistrationForm
from .models import AwardForm, ProposalState, ScoreSheet, SheetState, VoteState

PER_PAGE = 25


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for text in exc.messages:
        messages.error(request, text)


def _writer(request: HttpRequest) -> None:
    """A POST from a user who may change nothing (a viewer, an ended unit's officer) is refused (403)
    before its input is read."""
    if request.method == "POST" and not user_scope(request.user).can_write_anything:
        raise PermissionDenied("Tài khoản chỉ được xem, không được thay đổi dữ liệu.")


def _unit(request: HttpRequest, code: str) -> OrgUnit | None:
    if not code:
        return None
    return scoped(OrgUnit.objects.all(), request.user, ever=True).filter(code=code.strip()).first()


# -- score sheets ----------------------------------------------------------------------------------


@login_required
@require_GET
def sheet_list(request: HttpRequest) -> HttpResponseBase:
    year = page_year(request)
    state = request.GET.get("state", "")
    state = state if state in SheetState.values else ""
    search = request.GET.get("q", "").strip()
    qs = selectors.sheet_list(user=request.user, year=year, state=state, search=search)
    if request.GET.get("xuat") == "xlsx":
        return _sheets_xlsx(request, qs, year)
    context = {
        "page": _page(request, qs),
        "year": year,
        "state": state,
        "q": search,
        "states": SheetState.choices,
    }
    return render(request, "emulation/sheet_list.html", context)


def _sheets_xlsx(request: HttpRequest, qs: QuerySet[ScoreSheet], year: int) -> HttpResponseBase:
    header = ["Năm", "Mã đơn vị", "Đơn vị", "Trạng thái", "Điểm tự chấm", "Điểm thẩm định", "Xếp loại"]
    rows = (
        [
            s.year,
            s.unit.code,
            s.unit.name,
            s.get_state_display(),
            s.self_total,
            s.appraised_total,
            s.grade_label,
        ]
        for s in qs
    )
    book = WorkbookWriter()
    count = table_sheet(book, f"Bảng điểm {year}", header, rows)
    audit_export(
        actor=request.user, kind="export.emulation_sheets", label="Bảng điểm thi đua (XLSX)", rows=count
    )
    return book.response(dated_filename("bang-diem-thi-dua"))


def _sheet_context(request: HttpRequest, sheet: ScoreSheet) -> dict[str, Any]:
    lines = services.sheet_lines(sheet)
    parent = services.parent_of(sheet.unit, sheet.year)
    criteria = list(sheet.template.criteria.all())
    groups = []
    for group in (c for c in criteria if c.parent_id is None):
        rows = [line for line in lines if line.criterion.parent_id == group.pk]
        groups.append({"group": group, "lines": rows})
    today = timezone.localdate()
    own = can_write(request.user, sheet.unit)
    upper = parent is not None and can_write(request.user, parent)
    return {
        "sheet": sheet,
        "groups": groups,
        "parent": parent,
        "can_self_score": own
        and sheet.state in (SheetState.DRAFT, SheetState.SELF_SCORED)
        and today <= sheet.deadline,
        "can_appraise": upper and sheet.state in (SheetState.SELF_SCORED, SheetState.APPRAISED),
        "can_lock": upper and sheet.state == SheetState.APPRAISED,
        "can_publish": upper and sheet.state == SheetState.LOCKED,
        "period": str(sheet.year),
    }


@login_required
@require_GET
def sheet_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = selectors.sheet_get(user=request.user, pk=pk)
    return render(request, "emulation/sheet_detail.html", _sheet_context(request, sheet))


def _points_from(request: HttpRequest, sheet: ScoreSheet, prefix: str) -> dict[int, str]:
    return {
        line.criterion_id: request.POST.get(f"{prefix}{line.criterion_id}", "")
        for line in services.sheet_lines(sheet)
        if not line.criterion.computed
    }


@login_required
@require_http_methods(["GET", "POST"])
def sheet_score(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """The self-scoring (``tu-cham``) or the appraisal (``tham-dinh``) form of a sheet."""
    _writer(request)
    sheet = selectors.sheet_get(user=request.user, pk=pk)
    context = _sheet_context(request, sheet)
    appraise = step == "tham-dinh"
    if not (context["can_appraise"] if appraise else context["can_self_score"]):
        raise OutOfScope(pk)
    values: dict[int, str] = {}
    if request.method == "POST":
        values = _points_from(request, sheet, "p")
        notes = {cid: request.POST.get(f"n{cid}", "") for cid in values}
        try:
            if appraise:
                services.sheet_appraise(
                    actor=request.user, sheet=sheet, by_unit=context["parent"], points=values, comments=notes
                )
                messages.success(request, f"Đã thẩm định bảng điểm của «{sheet.unit.name}».")
            else:
                services.sheet_self_score(actor=request.user, sheet=sheet, points=values, evidence=notes)
                messages.success(request, f"Đã tự chấm điểm năm {sheet.year}.")
            return redirect(sheet.get_absolute_url())
        except ValidationError as exc:
            _errors(request, exc)
    context.update({"appraise": appraise, "values": values})
    return render(request, "emulation/sheet_score.html", context)


@login_required
@require_POST
def sheet_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    _writer(request)
    sheet = selectors.sheet_get(user=request.user, pk=pk)
    action = {"khoa": services.sheet_lock, "cong-bo": services.sheet_publish}.get(step)
    if action is None:
        raise OutOfScope(step)
    try:
        action(actor=request.user, sheet=sheet)
        messages.success(request, "Đã khóa bảng điểm." if step == "khoa" else "Đã công bố kết quả.")
    except ValidationError as exc:
        _errors(request, exc)
    return redirect(sheet.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def sheet_create(request: HttpRequest) -> HttpResponse:
    _writer(request)
    year = page_year(request)
    if request.method == "POST":
        unit = _unit(request, request.POST.get("unit", ""))
        try:
            year = int(request.POST.get("year", year))
        except ValueError:
            pass
        if unit is None:
            messages.error(request, "Không tìm thấy đơn vị có mã này trong phạm vi của bạn.")
        else:
            try:
                sheet = services.sheet_open(actor=request.user, unit=unit, year=year)
                return redirect(sheet.get_absolute_url())
            except ValidationError as exc:
                _errors(request, exc)
            except OutOfScope:
                messages.error(request, "Bạn không được lập bảng điểm cho đơn vị này.")
    return render(request, "emulation/sheet_create.html", {"year": year})


@login_required
@require_GET
def grades(request: HttpRequest) -> HttpResponse:
    """CĐCS by grade for a year, under a unit and for each of its children."""
    year = page_year(request)
    unit = _unit(request, request.GET.get("unit", ""))
    rows, total = selectors.grade_counts(user=request.user, year=year, unit=unit)
    return render(
        request, "emulation/grades.html", {"year": year, "unit": unit, "rows": rows, "total": total}
    )


# -- clusters --------------------------------------------------------------------------------------


@login_required
@require_GET
def cluster_list(request: HttpRequest) -> HttpResponse:
    year = request.GET.get("year", "")
    qs = org_selectors.cluster_list(user=request.user, year=int(year) if year.isdigit() else None)
    return render(
        request, "emulation/cluster_list.html", {"page": _page(request, qs.order_by("-year", "name"))}
    )


def _cluster_context(request: HttpRequest, cluster: Any) -> dict[str, Any]:
    vote = selectors.vote_of(cluster)
    ranking = selectors.cluster_ranking(cluster, vote=vote)
    members = list(ClusterMember.objects.filter(cluster=cluster).select_related("unit"))
    voted = selectors.voted_units(vote) if vote else set()
    now = timezone.now()
    my_units = [m.unit for m in members if can_write(request.user, m.unit)]
    can_vote = vote is not None and vote.state == VoteState.OPEN and vote.opens_at <= now < vote.closes_at
    return {
        "cluster": cluster,
        "members": members,
        "vote": vote,
        "ranking": ranking,
        "closed": vote is not None and vote.state == VoteState.CLOSED,
        "tally": selectors.vote_tally_rows(vote) if vote and vote.state == VoteState.CLOSED else [],
        "voted": voted,
        "voters": [u for u in my_units if u.pk not in voted] if can_vote else [],
        "is_organiser": can_write(request.user, cluster.organiser),
        "pacts": selectors.pacts_of(cluster),
        "now": now,
    }


@login_required
@require_GET
def cluster_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cluster = selectors.cluster_get(user=request.user, pk=pk)
    return render(request, "emulation/cluster_detail.html", _cluster_context(request, cluster))


@login_required
@require_POST
def cluster_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _writer(request)
    cluster = selectors.cluster_get(user=request.user, pk=pk)
    vote = selectors.vote_of(cluster)
    try:
        if action == "bo-phieu" and vote is not None:
            voter = _unit(request, request.POST.get("voter", ""))
            member_units = OrgUnit.objects.filter(pk__in=cluster.memberships.values("unit_id"))
            choice = member_units.filter(code=request.POST.get("choice", "").strip()).first()
            if voter is None or choice is None:
                raise ValidationError("Chọn đơn vị bỏ phiếu và đơn vị được suy tôn.")
            services.ballot_cast(actor=request.user, vote=vote, voter=voter, choice=choice)
            messages.success(request, f"Đã ghi nhận phiếu của «{voter.name}».")
        elif action == "mo-binh-xet":
            hours = int(request.POST.get("hours", "72") or 72)
            now = timezone.now()
            weight = Decimal(request.POST.get("weight", "0.5") or "0.5")
            services.vote_open(
                actor=request.user,
                cluster=cluster,
                opens_at=now,
                closes_at=now + dt.timedelta(hours=hours),
                vote_weight=weight,
            )
            messages.success(request, "Đã mở bình xét, suy tôn.")
        elif action == "kiem-phieu" and vote is not None:
            vote = services.vote_close(actor=request.user, vote=vote)
            messages.success(
                request, f"Đã kiểm phiếu: cụm trưởng năm {cluster.year + 1} là «{vote.next_leader}»."
            )
        elif action == "giao-uoc":
            services.pact_create(
                actor=request.user,
                cluster=cluster,
                signed_on=timezone.localdate(),
                title=request.POST.get("title", ""),
                commitments=request.POST.get("commitments", ""),
            )
            messages.success(request, "Đã ghi nhận giao ước thi đua.")
        else:
            raise OutOfScope(action)
    except ValidationError as exc:
        _errors(request, exc)
    except (ValueError, ArithmeticError):
        messages.error(request, "Số giờ hoặc trọng số không hợp lệ.")
    return redirect("emulation:cluster", pk=cluster.pk)


# -- awards ----------------------------------------------------------------------------------------


@login_required
@require_GET
def award_list(request: HttpRequest) -> HttpResponse:
    year = request.GET.get("year", "")
    form = request.GET.get("form", "")
    state = request.GET.get("state", "")
    qs = selectors.proposal_list(
        user=request.user,
        year=int(year) if year.isdigit() else None,
        form=form if form in AwardForm.values else "",
        state=state if state in ProposalState.values else "",
    )
    context = {
        "page": _page(request, qs),
        "forms": AwardForm.choices,
        "states": ProposalState.choices,
        "form": form,
        "state": state,
        "year": year,
    }
    return render(request, "emulation/award_list.html", context)


@login_required
@require_GET
def award_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get(user=request.user, pk=pk)
    history = selectors.proposal_list(user=request.user).filter(unit=proposal.unit, person=proposal.person)
    return render(request, "emulation/award_detail.html", {"p": proposal, "history": history})


@login_required
@require_GET
def award_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get(user=request.user, pk=pk)
    if proposal.state != ProposalState.AWARDED:
        raise OutOfScope(pk)
    data = certificates.render(proposal)
    audit_export(
        actor=request.user, kind="export.emulation_certificate", label=f"Giấy chứng nhận: {proposal}", rows=1
    )
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f'attachment; filename="chung-nhan-{proposal.pk}.docx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def decision_create(request: HttpRequest) -> HttpResponse:
    _writer(request)
    pending = selectors.proposal_list(user=request.user, state=ProposalState.PROPOSED)
    if request.method == "POST":
        issuer = _unit(request, request.POST.get("issuer", ""))
        chosen = list(pending.filter(pk__in=[p for p in request.POST.getlist("proposals") if p.isdigit()]))
        try:
            signed_on = dt.date.fromisoformat(request.POST.get("signed_on", ""))
        except ValueError:
            signed_on = None
        if issuer is None or signed_on is None:
            messages.error(request, "Nhập mã đơn vị quyết định và ngày ký (dd/mm/yyyy).")
        else:
            try:
                decision = services.decision_create(
                    actor=request.user,
                    issuer=issuer,
                    number=request.POST.get("number", ""),
                    signed_on=signed_on,
                    proposals=chosen,
                    signer=request.POST.get("signer", ""),
                )
                messages.success(request, f"Đã ghi nhận {decision}.")
                return redirect("emulation:awards")
            except ValidationError as exc:
                _errors(request, exc)
            except OutOfScope:
                messages.error(request, "Bạn không được ra quyết định cho đơn vị này.")
    return render(request, "emulation/decision_form.html", {"pending": pending[:200]})


@login_required
@require_GET
def initiative_list(request: HttpRequest) -> HttpResponse:
    year = request.GET.get("year", "")
    qs = selectors.initiative_list(
        user=request.user, year=int(year) if year.isdigit() else None, status=request.GET.get("status", "")
    )
    return render(request, "emulation/initiative_list.html", {"page": _page(request, qs), "year": year})


# -- movements, registrations, initiatives, proposals: the create pages ----------------------------


def _person(form: Any, unit: OrgUnit | None) -> tuple[bool, Any]:
    """(found, the person of the CCCD typed, or None for a collective); an error on ``cccd`` when
    nobody of the unit has it."""
    cccd = (form.cleaned_data.get("cccd") or "").strip()
    if not cccd or unit is None:
        return True, None
    person = selectors.member_of(unit, cccd, timezone.localdate())
    if person is None:
        form.add_error("cccd", f"Không tìm thấy đoàn viên có số CCCD «{cccd}» thuộc «{unit.name}».")
        return False, None
    return True, person


def _movement(request: HttpRequest, form: Any) -> Any:
    pk = form.cleaned_data.get("movement")
    return selectors.movement_list(user=request.user).filter(pk=pk).first() if pk else None


def _create_page(
    request: HttpRequest, form: Any, *, title: str, back: str, back_label: str, submit: str
) -> HttpResponse:
    return form_page(request, form, title=title, back_url=reverse(back), back_label=back_label, submit=submit)


@login_required
@require_GET
def movement_list(request: HttpRequest) -> HttpResponse:
    """Movements launched by the units the user sees and the registrations of a year."""
    year = page_year(request)
    context = {
        "movements": _page(request, selectors.movement_list(user=request.user)),
        "registrations": selectors.registration_list(user=request.user, year=year)[:200],
        "year": year,
        "can_write": user_scope(request.user).can_write_anything,
    }
    return render(request, "emulation/movement_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def movement_create(request: HttpRequest) -> HttpResponse:
    _writer(request)
    form = MovementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        owner = writable_unit(request.user, form, "owner")
        if owner is not None:
            data = form.cleaned_data
            try:
                movement = services.movement_create(
                    actor=request.user,
                    owner=owner,
                    name=data["name"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    description=data["description"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Đã phát động phong trào «{movement.name}».")
                return redirect("emulation:movements")
    return _create_page(
        request,
        form,
        title="Phát động phong trào thi đua",
        back="emulation:movements",
        back_label="Phong trào, đăng ký thi đua",
        submit="Phát động",
    )


@login_required
@require_http_methods(["GET", "POST"])
def registration_create(request: HttpRequest) -> HttpResponse:
    _writer(request)
    form = RegistrationForm(request.POST or None, movements=selectors.movement_choices(user=request.user))
    if request.method == "POST" and form.is_valid():
        unit = writable_unit(request.user, form, "unit")
        found, person = _person(form, unit)
        if unit is not None and found:
            data = form.cleaned_data
            try:
                services.registration_create(
                    actor=request.user,
                    unit=unit,
                    year=data["year"],
                    title=data["title"],
                    person=person,
                    movement=_movement(request, form),
                    goals=data["goals"],
                    registered_on=data["registered_on"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                who = person.full_name if person else unit.name
                messages.success(request, f"Đã ghi nhận đăng ký thi đua của «{who}».")
                return redirect(reverse("emulation:movements") + f"?year={data['year']}")
    return _create_page(
        request,
        form,
        title="Đăng ký thi đua",
        back="emulation:movements",
        back_label="Phong trào, đăng ký thi đua",
        submit="Đăng ký",
    )


@login_required
@require_http_methods(["GET", "POST"])
def initiative_create(request: HttpRequest) -> HttpResponse:
    _writer(request)
    form = InitiativeForm(request.POST or None, movements=selectors.movement_choices(user=request.user))
    if request.method == "POST" and form.is_valid():
        unit = writable_unit(request.user, form, "unit")
        found, person = _person(form, unit)
        if unit is not None and found:
            data = form.cleaned_data
            try:
                item = services.initiative_create(
                    actor=request.user,
                    unit=unit,
                    title=data["title"],
                    submitted_on=data["submitted_on"],
                    kind=data["kind"],
                    person=person,
                    movement=_movement(request, form),
                    benefit=data["benefit"] or 0,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Đã đăng ký «{item.title}».")
                return redirect("emulation:initiatives")
    return _create_page(
        request,
        form,
        title="Đăng ký sáng kiến, công trình",
        back="emulation:initiatives",
        back_label="Sáng kiến, công trình",
        submit="Đăng ký",
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request: HttpRequest) -> HttpResponse:
    _writer(request)
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        unit = writable_unit(request.user, form, "unit")
        found, person = _person(form, unit)
        if unit is not None and found:
            data = form.cleaned_data
            try:
                proposal = services.proposal_create(
                    actor=request.user,
                    unit=unit,
                    year=data["year"],
                    form=data["form"],
                    level=data["level"],
                    person=person,
                    achievement=data["achievement"],
                    absent_days=data["absent_days"],
                    months_employed=data["months_employed"],
                    disciplined=data["disciplined"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Đã đề nghị {proposal}.")
                return redirect(proposal.get_absolute_url())
    return _create_page(
        request,
        form,
        title="Đề nghị khen thưởng",
        back="emulation:awards",
        back_label="Khen thưởng",
        submit="Đề nghị",
    )


@login_required
@require_http_methods(["GET", "POST"])
def certificate_template(request: HttpRequest) -> HttpResponse:
    """The federation's own certificate template: upload (checked: a .docx using only the known
    variables) and the list of those uploaded."""
    _writer(request)
    form = CertificateTemplateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        owner = writable_unit(request.user, form, "owner")
        if owner is not None:
            upload = form.cleaned_data["file"]
            try:
                template = services.certificate_template_upload(
                    actor=request.user,
                    owner=owner,
                    name=form.cleaned_data["name"],
                    data=upload.read(),
                    filename=upload.name,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Đã lưu mẫu giấy chứng nhận «{template.name}» của «{owner.name}».")
                return redirect("emulation:certificate_template")
    context = {
        "form": form,
        "templates": selectors.certificate_templates(user=request.user)[:50],
        "variables": certificates.VARIABLES,
    }
    return render(request, "emulation/certificate_template.html", context)
