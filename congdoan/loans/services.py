"""Every write to the loan fund: validated (every problem at once, in Vietnamese), atomic, scoped by
``actor`` (``require_writable``: 404 outside the actor's units) and audited in the same transaction.

Who does what: the CĐCS (or its district union) applies for its members and appraises; the fund's
owner (the city federation for the city fund) approves, disburses, writes off and keeps the capital.
Money moves only through balanced journal entries (``_post``). An over-payment is **refused**: a
repayment may not exceed what the borrower still owes (fees, interest and principal of the schedule).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from congdoan.accounts.permissions import require_writable
from congdoan.core.audit import audit_log, snapshot
from congdoan.core.formatting import format_date, format_money
from congdoan.core.models import AuditEntry
from congdoan.core.registry import tree
from congdoan.core.services import Problems, state_step
from congdoan.members.models import Membership, Person, active_on_q
from congdoan.org.models import OrgUnit

from . import schedule
from .models import (
    OPEN_STATES,
    Account,
    ArrearsRun,
    EntryKind,
    Fund,
    Instalment,
    JournalEntry,
    JournalLine,
    Loan,
    LoanCheck,
    LoanState,
    Product,
    Project,
    Repayment,
)
from .selectors import account_balance


def _today() -> dt.date:
    return timezone.localdate()


def _no_future(c: Problems, field: str, day: dt.date, what: str) -> None:
    if day > _today():
        c.add(field, "%(what)s %(day)s ở tương lai.", what=what, day=format_date(day))


# -- the journal --------------------------------------------------------------------------------------

Line = tuple[Fund, str, int, int, Loan | None]  # fund, account, debit, credit, loan


def _post(
    *,
    actor: Any,
    fund: Fund,
    kind: str,
    on: dt.date,
    amount: int,
    lines: list[Line],
    loan: Loan | None = None,
    memo: str = "",
    reverses: JournalEntry | None = None,
) -> JournalEntry:
    """Post one balanced entry: Σ debit = Σ credit in every fund it touches."""
    lines = [ln for ln in lines if ln[2] or ln[3]]
    per_fund: dict[int, int] = {}
    for f, _, debit, credit, _ in lines:
        if debit < 0 or credit < 0:
            raise ValueError("journal amounts are never negative")
        per_fund[f.pk] = per_fund.get(f.pk, 0) + debit - credit
    if any(per_fund.values()) or not lines:
        raise ValueError(f"unbalanced journal entry: {per_fund}")
    user = actor if getattr(actor, "is_authenticated", False) else None
    entry = JournalEntry.objects.create(
        fund=fund,
        kind=kind,
        posted_on=on,
        amount=amount,
        loan=loan,
        memo=memo[:255],
        reverses=reverses,
        created_by=user,
    )
    JournalLine.objects.bulk_create(
        JournalLine(entry=entry, fund=f, account=a, debit=d, credit=c, loan=ln, posted_on=on)
        for f, a, d, c, ln in lines
    )
    return entry


def fund_available(fund: Fund, on: dt.date | None = None) -> int:
    """The fund's cash: what it can still lend."""
    return account_balance(fund=fund, account=Account.CASH, on=on)


@transaction.atomic
def fund_create(*, actor: Any, owner: OrgUnit, code: str, name: str) -> Fund:
    require_writable(actor, owner)
    c = Problems()
    code = (code or "").strip().upper()
    if not code:
        c.add("code", "Chưa nhập mã quỹ.")
    elif Fund.objects.filter(code=code).exists():
        c.add("code", "Mã quỹ «%(code)s» đã có.", code=code)
    if not (name or "").strip():
        c.add("name", "Chưa nhập tên quỹ.")
    c.raise_if_any()
    fund = Fund.objects.create(owner=owner, code=code, name=name.strip())
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=fund,
        unit=owner,
        after=snapshot(fund, ["code", "name", "owner"]),
    )
    return fund


@transaction.atomic
def capital_receive(*, actor: Any, fund: Fund, amount: int, on: dt.date, memo: str = "") -> JournalEntry:
    """Capital put into the fund (the federation's budget, donations)."""
    require_writable(actor, fund.owner)
    c = Problems()
    if amount <= 0:
        c.add("amount", "Số tiền %(amount)s phải lớn hơn 0.", amount=format_money(amount))
    _no_future(c, "on", on, "Ngày nhận vốn")
    c.raise_if_any()
    entry = _post(
        actor=actor,
        fund=fund,
        kind=EntryKind.CAPITAL,
        on=on,
        amount=amount,
        memo=memo or "Nhận vốn",
        lines=[(fund, Account.CASH, amount, 0, None), (fund, Account.CAPITAL, 0, amount, None)],
    )
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=entry,
        unit=fund.owner,
        after={"amount": amount, "on": str(on)},
    )
    return entry


@transaction.atomic
def fund_transfer(
    *, actor: Any, source: Fund, target: Fund, amount: int, on: dt.date, memo: str = ""
) -> JournalEntry:
    """Capital moved from one fund to another (both owners must be the actor's)."""
    require_writable(actor, source.owner, target.owner)
    c = Problems()
    if source.pk == target.pk:
        c.add("target", "Quỹ nhận phải khác quỹ chuyển.")
    if amount <= 0:
        c.add("amount", "Số tiền %(amount)s phải lớn hơn 0.", amount=format_money(amount))
    elif amount > fund_available(source):
        c.add(
            "amount",
            "Quỹ «%(fund)s» chỉ còn %(left)s, không đủ để chuyển %(amount)s.",
            fund=source.name,
            left=format_money(fund_available(source)),
            amount=format_money(amount),
        )
    _no_future(c, "on", on, "Ngày chuyển")
    c.raise_if_any()
    entry = _post(
        actor=actor,
        fund=source,
        kind=EntryKind.TRANSFER,
        on=on,
        amount=amount,
        memo=memo or f"Chuyển vốn sang {target.name}",
        lines=[
            (source, Account.CAPITAL, amount, 0, None),
            (source, Account.CASH, 0, amount, None),
            (target, Account.CASH, amount, 0, None),
            (target, Account.CAPITAL, 0, amount, None),
        ],
    )
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=entry,
        unit=source.owner,
        after={"amount": amount, "to": target.code, "on": str(on)},
    )
    return entry


@transaction.atomic
def entry_reverse(*, actor: Any, entry: JournalEntry, on: dt.date, memo: str = "") -> JournalEntry:
    """Correct a capital or transfer entry by its mirror image (the posted lines stay as they are).
    Loan movements are corrected through the loan (write-off, rescheduling), not here."""
    require_writable(actor, entry.fund.owner)
    c = Problems()
    if entry.kind not in (EntryKind.CAPITAL, EntryKind.TRANSFER):
        c.add("entry", "Chỉ đảo được bút toán nhận vốn hoặc điều chuyển vốn.")
    if JournalEntry.objects.filter(reverses=entry).exists() or entry.reverses_id:
        c.add("entry", "Bút toán này đã được đảo (hoặc là bút toán đảo).")
    if on < entry.posted_on:
        c.add("on", "Ngày đảo %(day)s trước ngày hạch toán.", day=format_date(on))
    _no_future(c, "on", on, "Ngày đảo")
    if not c:
        for line in entry.lines.filter(account=Account.CASH, debit__gt=0):
            if fund_available(line.fund) < line.debit:
                c.add("entry", "Quỹ «%(fund)s» không còn đủ tiền để đảo bút toán.", fund=line.fund.name)
    c.raise_if_any()
    lines: list[Line] = [
        (ln.fund, ln.account, ln.credit, ln.debit, ln.loan)
        for ln in entry.lines.select_related("fund", "loan")
    ]
    reversal = _post(
        actor=actor,
        fund=entry.fund,
        kind=EntryKind.REVERSAL,
        on=on,
        amount=entry.amount,
        lines=lines,
        memo=memo or f"Đảo bút toán #{entry.pk}",
        reverses=entry,
    )
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=reversal,
        unit=entry.fund.owner,
        after={"reverses": entry.pk},
    )
    return reversal


# -- products -----------------------------------------------------------------------------------------

PRODUCT_FIELDS = [
    "code",
    "name",
    "min_amount",
    "max_amount",
    "rate",
    "rate_period",
    "min_term",
    "max_term",
    "frequency",
    "method",
    "grace",
    "late_fee",
    "late_after_days",
    "one_active_loan",
]


@transaction.atomic
def product_create(*, actor: Any, fund: Fund, **fields: Any) -> Product:
    require_writable(actor, fund.owner)
    c = Problems()
    if fields.get("min_amount", 0) <= 0:
        c.add("min_amount", "Số tiền vay tối thiểu phải lớn hơn 0.")
    if fields.get("max_amount", 0) < fields.get("min_amount", 0):
        c.add("max_amount", "Số tiền vay tối đa phải không nhỏ hơn số tiền tối thiểu.")
    if fields.get("min_term", 0) <= 0:
        c.add("min_term", "Thời hạn tối thiểu phải lớn hơn 0.")
    if fields.get("max_term", 0) < fields.get("min_term", 0):
        c.add("max_term", "Thời hạn tối đa phải không nhỏ hơn thời hạn tối thiểu.")
    if Decimal(fields.get("rate", 0)) < 0:
        c.add("rate", "Lãi suất không được âm.")
    if fields.get("grace", 0) and fields.get("grace", 0) >= fields.get("min_term", 0):
        c.add("grace", "Ân hạn gốc phải ngắn hơn thời hạn tối thiểu.")
    if Product.objects.filter(code=fields.get("code", "")).exists():
        c.add("code", "Mã sản phẩm «%(code)s» đã có.", code=fields.get("code", ""))
    c.raise_if_any()
    product = Product(fund=fund, **fields)
    product.full_clean()
    product.save()
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=product,
        unit=fund.owner,
        after=snapshot(product, PRODUCT_FIELDS),
    )
    return product


# -- projects and applications ------------------------------------------------------------------------


@dataclass(frozen=True)
class Application:
    """One borrower of a project: who, how much, over how many periods, for what."""

    person: Person
    amount: int
    term: int
    purpose: str = ""


def district_of(cdcs: OrgUnit, on: dt.date) -> OrgUnit:
    """The upper union that vouches for ``cdcs`` on ``on`` (its parent that day)."""
    parents = tree.ancestor_ids(cdcs.pk, on)
    return OrgUnit.objects.get(pk=parents[0]) if parents else cdcs


def _check_application(
    c: Problems, field: str, app: Application, product: Product, cdcs: OrgUnit, on: dt.date, seen: set[int]
) -> None:
    """The rules of one borrower's application; the problems go to ``field`` + ".amount", ".term" or
    ".person" (the form shows them together; an import puts each under its column)."""
    unit = product.term_unit
    name = app.person.full_name
    if not product.min_amount <= app.amount <= product.max_amount:
        c.add(
            f"{field}.amount",
            "%(name)s: số tiền %(amount)s ngoài mức cho vay của sản phẩm (%(low)s – %(high)s).",
            name=name,
            amount=format_money(app.amount),
            low=format_money(product.min_amount),
            high=format_money(product.max_amount),
        )
    if not product.min_term <= app.term <= product.max_term:
        c.add(
            f"{field}.term",
            "%(name)s: thời hạn %(term)s %(unit)s ngoài thời hạn của sản phẩm (%(low)s – %(high)s %(unit)s).",
            name=name,
            term=app.term,
            unit=unit,
            low=product.min_term,
            high=product.max_term,
        )
    member = Membership.objects.filter(active_on_q(on), person=app.person, cdcs=cdcs).exists()
    if not member:
        c.add(
            f"{field}.person",
            "%(name)s không phải đoàn viên đang sinh hoạt tại «%(cdcs)s» ngày %(day)s.",
            name=name,
            cdcs=cdcs.name,
            day=format_date(on),
        )
    if app.person.pk in seen:
        c.add(f"{field}.person", "%(name)s có tên hai lần trong dự án.", name=name)
    seen.add(app.person.pk)
    if product.one_active_loan and Loan.objects.filter(person=app.person, state__in=OPEN_STATES).exists():
        c.add(
            f"{field}.person",
            "%(name)s đang có một khoản vay chưa tất toán; "
            "sản phẩm «%(product)s» chỉ cho vay một khoản mỗi người.",
            name=name,
            product=product.name,
        )


@transaction.atomic
def project_create(
    *,
    actor: Any,
    cdcs: OrgUnit,
    product: Product,
    code: str,
    name: str,
    submitted_on: dt.date,
    borrowers: Iterable[Application],
    district: OrgUnit | None = None,
) -> Project:
    """A CĐCS's loan project with its borrowers' applications (all or nothing)."""
    require_writable(actor, cdcs, on=min(submitted_on, _today()))
    borrowers = list(borrowers)
    c = Problems()
    code = (code or "").strip().upper()
    if not code:
        c.add("code", "Chưa nhập mã dự án.")
    elif Project.objects.filter(code=code).exists():
        c.add("code", "Mã dự án «%(code)s» đã có.", code=code)
    if not (name or "").strip():
        c.add("name", "Chưa nhập tên dự án.")
    if not cdcs.is_grassroots:
        c.add("cdcs", "«%(unit)s» không phải công đoàn cơ sở.", unit=cdcs.name)
    if not product.active:
        c.add("product", "Sản phẩm «%(product)s» đã ngừng áp dụng.", product=product.name)
    _no_future(c, "submitted_on", submitted_on, "Ngày lập dự án")
    if not borrowers:
        c.add("borrowers", "Dự án chưa có người vay.")
    seen: set[int] = set()
    for k, app in enumerate(borrowers, start=1):
        _check_application(c, f"borrowers[{k}]", app, product, cdcs, submitted_on, seen)
    c.raise_if_any()
    project = Project.objects.create(
        code=code,
        name=name.strip(),
        cdcs=cdcs,
        district=district or district_of(cdcs, submitted_on),
        product=product,
        submitted_on=submitted_on,
    )
    for app in borrowers:
        Loan.objects.create(
            project=project,
            cdcs=cdcs,
            fund=product.fund,
            product=product,
            person=app.person,
            amount=app.amount,
            term=app.term,
            purpose=app.purpose,
            rate=product.rate,
            rate_period=product.rate_period,
            frequency=product.frequency,
            method=product.method,
            grace=product.grace,
            applied_on=submitted_on,
        )
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=project,
        unit=cdcs,
        after={"code": code, "borrowers": len(borrowers), "amount": sum(a.amount for a in borrowers)},
    )
    return project


def _state_error(loan: Loan, wanted: Iterable[str], action: str) -> ValidationError:
    """The refusal of ``core.services.state_step`` (same words), for a service that checks the loan's state
    before its other checks and writes (disbursement, repayment, write-off, rescheduling)."""
    labels = ", ".join(str(LoanState(s).label).lower() for s in wanted)
    return ValidationError(
        {
            "state": ValidationError(
                "Không thể %(action)s «%(obj)s»: đang ở trạng thái «%(state)s» (cần: %(wanted)s).",
                params={
                    "action": action,
                    "obj": str(loan),
                    "state": loan.get_state_display(),
                    "wanted": labels,
                },
            )
        }
    )


def _step(actor: Any, loan: Loan, *, on: dt.date, before: str, after: str, field: str, action: str) -> Loan:
    """One step of the loan's workflow on ``on`` (``core.services.state_step``): the day is checked
    first, but a loan in the wrong state is refused for its state whatever the day."""
    c = Problems()
    _no_future(c, field, on, "Ngày")
    if on < loan.applied_on:
        c.add(field, "Ngày %(day)s trước ngày đề nghị vay.", day=format_date(on))
    if loan.state == before:
        c.raise_if_any()
    return state_step(
        actor=actor,
        instance=loan,
        allowed=[before],
        to=after,
        action=action,
        unit=loan.cdcs,
        dates={field: on},
    )


@transaction.atomic
def loan_appraise(*, actor: Any, loan: Loan, on: dt.date) -> Loan:
    """The CĐCS vouches for the borrower (thẩm định)."""
    require_writable(actor, loan.cdcs)
    return _step(
        actor,
        loan,
        on=on,
        before=LoanState.APPLIED,
        after=LoanState.APPRAISED,
        field="appraised_on",
        action="thẩm định",
    )


@transaction.atomic
def loan_approve(*, actor: Any, loan: Loan, on: dt.date) -> Loan:
    """The fund approves (its owner's officers)."""
    require_writable(actor, loan.fund.owner)
    return _step(
        actor,
        loan,
        on=on,
        before=LoanState.APPRAISED,
        after=LoanState.APPROVED,
        field="approved_on",
        action="phê duyệt",
    )


@transaction.atomic
def loan_reject(*, actor: Any, loan: Loan, on: dt.date, reason: str = "") -> Loan:
    require_writable(actor, loan.cdcs) if loan.state == LoanState.APPLIED else require_writable(
        actor, loan.fund.owner
    )
    return state_step(
        actor=actor,
        instance=loan,
        allowed=[LoanState.APPLIED, LoanState.APPRAISED, LoanState.APPROVED],
        to=LoanState.REJECTED,
        action="từ chối",
        unit=loan.cdcs,
        dates={"closed_on": on},
        note=reason,
    )


def _write_schedule(loan: Loan, start: dt.date) -> None:
    lines = schedule.build(
        amount=loan.amount,
        rate=loan.rate,
        rate_period=loan.rate_period,
        term=loan.term,
        frequency=loan.frequency,
        method=loan.method,
        start=start,
        grace=loan.grace,
    )
    Instalment.objects.bulk_create(
        Instalment(
            loan=loan, number=ln.number, due_on=ln.due_on, principal=ln.principal, interest=ln.interest
        )
        for ln in lines
    )


@transaction.atomic
def loan_disburse(*, actor: Any, loan: Loan, on: dt.date) -> Loan:
    """Pay the loan out of the fund's cash and draw up its schedule."""
    require_writable(actor, loan.fund.owner)
    fund = Fund.objects.select_for_update().get(pk=loan.fund_id)  # one disbursement at a time per fund
    if loan.state != LoanState.APPROVED:
        raise _state_error(loan, [LoanState.APPROVED], "giải ngân")
    c = Problems()
    _no_future(c, "disbursed_on", on, "Ngày giải ngân")
    if loan.approved_on and on < loan.approved_on:
        c.add("disbursed_on", "Ngày giải ngân %(day)s trước ngày phê duyệt.", day=format_date(on))
    available = fund_available(fund)
    if loan.amount > available:
        c.add(
            "amount",
            "Quỹ «%(fund)s» chỉ còn %(left)s, không đủ giải ngân %(amount)s cho %(name)s.",
            fund=fund.name,
            left=format_money(available),
            amount=format_money(loan.amount),
            name=loan.person.full_name,
        )
    c.raise_if_any()
    _post(
        actor=actor,
        fund=fund,
        kind=EntryKind.DISBURSEMENT,
        on=on,
        amount=loan.amount,
        loan=loan,
        memo=f"Giải ngân cho {loan.person.full_name}",
        lines=[(fund, Account.LOANS, loan.amount, 0, loan), (fund, Account.CASH, 0, loan.amount, None)],
    )
    state_step(
        actor=actor,
        instance=loan,
        allowed=[LoanState.APPROVED],
        to=LoanState.DISBURSED,
        action="giải ngân",
        unit=loan.cdcs,
        dates={"disbursed_on": on},
        note=f"Giải ngân {format_money(loan.amount)}",
    )
    _write_schedule(loan, on)
    return loan


# -- repayments ---------------------------------------------------------------------------------------


def assess_late_fees(loan: Loan, instalments: list[Instalment], on: dt.date) -> int:
    """The product's late fee, once per instalment still unpaid ``late_after_days`` after its due date
    (the rule of the loan's product); returns the fees added (not saved)."""
    fee, grace_days = loan.product.late_fee, loan.product.late_after_days
    added = 0
    if fee <= 0:
        return 0
    for inst in instalments:
        unpaid = inst.principal + inst.interest - inst.principal_paid - inst.interest_paid
        if unpaid > 0 and inst.fee == 0 and (on - inst.due_on).days > grace_days:
            inst.fee = fee
            added += fee
    return added


@dataclass(frozen=True)
class Allocation:
    fee: int
    interest: int
    principal: int


def allocate(instalments: list[Instalment], amount: int) -> Allocation:
    """Spread ``amount`` over the instalments in order, each fees → interest → principal (mutates the
    instalments' paid amounts)."""
    left = amount
    fee = interest = principal = 0
    for inst in instalments:
        for part in ("fee", "interest", "principal"):
            owed = getattr(inst, part) - getattr(inst, f"{part}_paid")
            take = min(owed, left)
            if take:
                setattr(inst, f"{part}_paid", getattr(inst, f"{part}_paid") + take)
                left -= take
                if part == "fee":
                    fee += take
                elif part == "interest":
                    interest += take
                else:
                    principal += take
        if left == 0:
            break
    return Allocation(fee, interest, principal)


@transaction.atomic
def repayment_post(*, actor: Any, loan: Loan, amount: int, paid_on: dt.date) -> Repayment:
    """Money received from the borrower (partial, early, late): late fees first assessed, then the
    amount allocated fees → interest → principal, oldest instalment first; the loan closes when all is
    paid. Refused: a loan not being repaid, a day in the future, before the disbursement or the last
    repayment, and any amount above what is still owed (no credit is held)."""
    # One statement reads and locks the loan with what the checks need (its last repayment day too);
    # ``of=("self",)`` locks only the loan's row, not the product, fund, person or CĐCS joined to it.
    last_paid = Repayment.objects.filter(loan=OuterRef("pk")).order_by("-paid_on").values("paid_on")[:1]
    loan = (
        Loan.objects.select_for_update(of=("self",))
        .select_related("product", "fund", "person", "cdcs")
        .annotate(last_paid_on=Subquery(last_paid))
        .get(pk=loan.pk)
    )
    require_writable(actor, loan.cdcs)
    if loan.state != LoanState.DISBURSED:
        raise _state_error(loan, [LoanState.DISBURSED], "thu nợ")
    c = Problems()
    if amount <= 0:
        c.add("amount", "Số tiền %(amount)s phải lớn hơn 0.", amount=format_money(amount))
    _no_future(c, "paid_on", paid_on, "Ngày trả nợ")
    if loan.disbursed_on and paid_on < loan.disbursed_on:
        c.add(
            "paid_on",
            "Ngày trả nợ %(day)s trước ngày giải ngân %(disb)s.",
            day=format_date(paid_on),
            disb=format_date(loan.disbursed_on),
        )
    last = _day(loan.last_paid_on)  # type: ignore[attr-defined]
    if last and paid_on < last:
        c.add(
            "paid_on",
            "Ngày trả nợ %(day)s trước lần trả nợ gần nhất (%(last)s).",
            day=format_date(paid_on),
            last=format_date(last),
        )
    # Only the instalments not yet paid in full: the paid ones take no fee and no money.
    instalments = list(Instalment.objects.filter(loan=loan, paid_on__isnull=True).order_by("number"))
    before = {i.pk: _paid_state(i) for i in instalments}
    assess_late_fees(loan, instalments, paid_on)
    owed = sum(i.outstanding for i in instalments)
    if amount > owed > 0:
        c.add(
            "amount",
            "Số tiền %(amount)s lớn hơn số còn phải trả %(owed)s: quỹ không nhận trả thừa.",
            amount=format_money(amount),
            owed=format_money(owed),
        )
    c.raise_if_any()
    alloc = allocate(instalments, amount)
    for inst in instalments:
        if inst.paid_on is None and inst.outstanding == 0:
            inst.paid_on = paid_on
    touched = [i for i in instalments if _paid_state(i) != before[i.pk]]
    if touched:
        Instalment.objects.bulk_update(
            touched, ["fee", "principal_paid", "interest_paid", "fee_paid", "paid_on"]
        )
    fund = loan.fund
    entry = _post(
        actor=actor,
        fund=fund,
        kind=EntryKind.REPAYMENT,
        on=paid_on,
        amount=amount,
        loan=loan,
        memo=f"Thu nợ {loan.person.full_name}",
        lines=[
            (fund, Account.CASH, amount, 0, None),
            (fund, Account.FEES, 0, alloc.fee, loan),
            (fund, Account.INTEREST, 0, alloc.interest, loan),
            (fund, Account.LOANS, 0, alloc.principal, loan),
        ],
    )
    repayment = Repayment.objects.create(
        loan=loan,
        paid_on=paid_on,
        amount=amount,
        fee=alloc.fee,
        interest=alloc.interest,
        principal=alloc.principal,
        entry=entry,
    )
    if owed - amount == 0:
        state_step(
            actor=actor,
            instance=loan,
            allowed=[LoanState.DISBURSED],
            to=LoanState.CLOSED,
            action="tất toán",
            unit=loan.cdcs,
            dates={"closed_on": paid_on},
            note="Trả hết nợ",
        )
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=repayment,
        unit=loan.cdcs,
        after={
            "loan": loan.pk,
            "amount": amount,
            "fee": alloc.fee,
            "interest": alloc.interest,
            "principal": alloc.principal,
            "paid_on": str(paid_on),
        },
    )
    _keep_arrears(paid_on, loan)
    return repayment


def _paid_state(inst: Instalment) -> tuple[int, int, int, int, dt.date | None]:
    return inst.fee, inst.principal_paid, inst.interest_paid, inst.fee_paid, inst.paid_on


def _day(value: Any) -> dt.date | None:
    """A date read through a subquery (SQLite gives it back as text)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def principal_outstanding(loan: Loan) -> int:
    """The loan's principal still owed, from the journal (its line of the loans account)."""
    return account_balance(loan=loan, account=Account.LOANS)


@transaction.atomic
def loan_write_off(*, actor: Any, loan: Loan, on: dt.date, reason: str = "") -> Loan:
    """Write off the principal still owed (a loss of the fund); the loan ends."""
    require_writable(actor, loan.fund.owner)
    if loan.state != LoanState.DISBURSED:
        raise _state_error(loan, [LoanState.DISBURSED], "xóa nợ")
    c = Problems()
    _no_future(c, "on", on, "Ngày xóa nợ")
    if loan.disbursed_on and on < loan.disbursed_on:
        c.add("on", "Ngày xóa nợ %(day)s trước ngày giải ngân.", day=format_date(on))
    c.raise_if_any()
    left = principal_outstanding(loan)
    _post(
        actor=actor,
        fund=loan.fund,
        kind=EntryKind.WRITE_OFF,
        on=on,
        amount=left,
        loan=loan,
        memo=reason or f"Xóa nợ {loan.person.full_name}",
        lines=[(loan.fund, Account.LOSS, left, 0, loan), (loan.fund, Account.LOANS, 0, left, loan)],
    )
    state_step(
        actor=actor,
        instance=loan,
        allowed=[LoanState.DISBURSED],
        to=LoanState.WRITTEN_OFF,
        action="xóa nợ",
        unit=loan.cdcs,
        dates={"closed_on": on},
        note=f"Xóa nợ gốc {format_money(left)}" + (f": {reason}" if reason else ""),
    )
    _keep_arrears(on, loan)
    return loan


@transaction.atomic
def loan_reschedule(*, actor: Any, loan: Loan, on: dt.date, term: int) -> Loan:
    """Restructure (cơ cấu lại): the principal still owed becomes a new loan over ``term`` periods from
    ``on``; the old loan ends "rescheduled". No cash moves: the principal passes from one loan to the
    other in the journal; unpaid interest of the old schedule is forgiven."""
    require_writable(actor, loan.fund.owner)
    if loan.state != LoanState.DISBURSED:
        raise _state_error(loan, [LoanState.DISBURSED], "cơ cấu lại")
    c = Problems()
    _no_future(c, "on", on, "Ngày cơ cấu lại")
    if term <= 0:
        c.add("term", "Thời hạn mới phải lớn hơn 0.")
    left = principal_outstanding(loan)
    if left <= 0:
        c.add("state", "Khoản vay đã trả hết gốc, không cần cơ cấu lại.")
    c.raise_if_any()
    new = Loan.objects.create(
        project=loan.project,
        cdcs=loan.cdcs,
        fund=loan.fund,
        product=loan.product,
        person=loan.person,
        amount=left,
        term=term,
        purpose=loan.purpose,
        rate=loan.rate,
        rate_period=loan.rate_period,
        frequency=loan.frequency,
        method=loan.method,
        grace=0,
        state=LoanState.DISBURSED,
        applied_on=on,
        appraised_on=on,
        approved_on=on,
        disbursed_on=on,
        rescheduled_from=loan,
    )
    _post(
        actor=actor,
        fund=loan.fund,
        kind=EntryKind.DISBURSEMENT,
        on=on,
        amount=left,
        loan=new,
        memo=f"Cơ cấu lại khoản vay #{loan.pk}",
        lines=[(loan.fund, Account.LOANS, left, 0, new), (loan.fund, Account.LOANS, 0, left, loan)],
    )
    _write_schedule(new, on)
    state_step(
        actor=actor,
        instance=loan,
        allowed=[LoanState.DISBURSED],
        to=LoanState.RESCHEDULED,
        action="cơ cấu lại",
        unit=loan.cdcs,
        dates={"closed_on": on},
        note=f"Cơ cấu lại thành khoản vay #{new.pk}, thời hạn {term} kỳ",
    )
    new.arrears_on = loan.arrears_on  # stored as of the same day as the old loan, when that is later
    _keep_arrears(on, loan, new)
    return new


@transaction.atomic
def loan_check_create(
    *, actor: Any, loan: Loan, checked_on: dt.date, used_as_intended: bool, findings: str = ""
) -> LoanCheck:
    """Record a post-loan check (kiểm tra sau vay) of a disbursed loan."""
    require_writable(actor, loan.cdcs)
    c = Problems()
    if loan.disbursed_on is None:
        c.add("loan", "Khoản vay chưa giải ngân, chưa kiểm tra sau vay được.")
    elif checked_on < loan.disbursed_on:
        c.add("checked_on", "Ngày kiểm tra %(day)s trước ngày giải ngân.", day=format_date(checked_on))
    _no_future(c, "checked_on", checked_on, "Ngày kiểm tra")
    if not used_as_intended and not (findings or "").strip():
        c.add("findings", "Ghi rõ kết quả kiểm tra khi vốn không được sử dụng đúng mục đích.")
    c.raise_if_any()
    user = actor if getattr(actor, "is_authenticated", False) else None
    check = LoanCheck.objects.create(
        loan=loan,
        checked_on=checked_on,
        used_as_intended=used_as_intended,
        findings=(findings or "").strip(),
        checked_by=user,
    )
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=check,
        unit=loan.cdcs,
        after={"loan": loan.pk, "used_as_intended": used_as_intended},
    )
    return check


# -- project-wide steps (a project moves together) ----------------------------------------------------


def _each(project: Project, state: str) -> list[Loan]:
    return list(
        project.loans.filter(state=state).select_related("person", "fund", "cdcs", "product").order_by("id")
    )


@transaction.atomic
def project_appraise(*, actor: Any, project: Project, on: dt.date) -> int:
    loans = _each(project, LoanState.APPLIED)
    for loan in loans:
        loan_appraise(actor=actor, loan=loan, on=on)
    return len(loans)


@transaction.atomic
def project_approve(*, actor: Any, project: Project, on: dt.date) -> int:
    loans = _each(project, LoanState.APPRAISED)
    for loan in loans:
        loan_approve(actor=actor, loan=loan, on=on)
    return len(loans)


@transaction.atomic
def project_disburse(*, actor: Any, project: Project, on: dt.date) -> int:
    """Disburse every approved loan of the project, or none (the fund must cover them all)."""
    loans = _each(project, LoanState.APPROVED)
    require_writable(actor, project.product.fund.owner)
    need = sum(loan.amount for loan in loans)
    available = fund_available(project.product.fund)
    if need > available:
        raise ValidationError(
            {
                "amount": ValidationError(
                    "Quỹ chỉ còn %(left)s, không đủ giải ngân %(need)s cho %(n)s người vay của dự án.",
                    params={"left": format_money(available), "need": format_money(need), "n": len(loans)},
                )
            }
        )
    for loan in loans:
        loan_disburse(actor=actor, loan=loan, on=on)
    return len(loans)


# -- stored arrears: recomputed for every loan in the background ------------------------------------

log = logging.getLogger(__name__)

ARREARS_CHUNK = 5000  # loans per statement (and per progress step) of a recomputation

MSG_ARREARS_LOST = "Tiến trình nền đã dừng khi đang tính lại nợ quá hạn; hãy tính lại."


def arrears_store(loan_ids: list[int], on: dt.date) -> int:
    """Compute the arrears of the loans ``loan_ids`` as of ``on`` (``selectors.arrears``: one statement)
    and store them on each loan (``arrears_on``, ``days_past_due``, ``outstanding_on``); a loan not
    active that day (not yet disbursed, or ended) is stored as current with nothing outstanding.
    Returns how many are past due."""
    from . import selectors

    if not loan_ids:
        return 0
    low, high = min(loan_ids), max(loan_ids)
    chunk = Loan.objects.filter(pk__gte=low, pk__lte=high)
    if len(loan_ids) != high - low + 1:
        chunk = chunk.filter(pk__in=loan_ids)
    rows = {r.loan_id: r for r in selectors.arrears(chunk, on)}
    values = []
    for pk in loan_ids:
        row = rows.get(pk)
        values.append((on, row.days if row else 0, row.outstanding if row else 0, pk))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # one statement for the chunk: the arrays joined by id
            cursor.execute(
                "UPDATE loans_loan AS l SET arrears_on = %s, days_past_due = v.days, outstanding_on = v.owed"
                " FROM unnest(%s::bigint[], %s::int[], %s::bigint[]) AS v(id, days, owed)"
                " WHERE l.id = v.id",
                [on, [v[3] for v in values], [v[1] for v in values], [v[2] for v in values]],
            )
        else:
            cursor.executemany(
                "UPDATE loans_loan SET arrears_on = %s, days_past_due = %s, outstanding_on = %s"
                " WHERE id = %s",
                values,
            )
    return sum(1 for _, days, _, _ in values if days > 0)


def _keep_arrears(day: dt.date, *loans: Loan) -> None:
    """After a movement dated ``day``: the loans whose stored arrears are as of ``day`` or later get
    them computed again (the same day), so that lists never show figures the movement changed."""
    by_day: dict[dt.date, list[int]] = {}
    for loan in loans:
        if loan.arrears_on is not None and day <= loan.arrears_on:
            by_day.setdefault(loan.arrears_on, []).append(loan.pk)
    for on, ids in by_day.items():
        arrears_store(ids, on)


def _may_recompute(actor: Any) -> None:
    """Recomputing every loan is the funds' owners' work: the actor must write for each fund's owner."""
    owners = OrgUnit.objects.filter(pk__in=Fund.objects.values("owner_id"))
    if actor is not None:
        require_writable(actor, *owners)


def arrears_recompute_request(
    *, actor: Any, on: dt.date, background: bool = True, progress: Any = None
) -> ArrearsRun:
    """Queue the recomputation of every loan's arrears as of ``on`` (``tasks.recompute_arrears``; the
    immediate backend of the tests runs it at once), or run it here (``background=False``: the CLI,
    ``progress(done, total)`` after each chunk). Refused: a day in the future, or while another
    recomputation is still queued or running."""
    from .tasks import recompute_arrears

    _may_recompute(actor)
    c = Problems()
    _no_future(c, "on", on, "Ngày tính nợ quá hạn")
    if ArrearsRun.objects.filter(status__in=[ArrearsRun.Status.QUEUED, ArrearsRun.Status.RUNNING]).exists():
        c.add("on", "Đang có một lượt tính lại nợ quá hạn chưa xong; hãy chờ lượt đó kết thúc.")
    c.raise_if_any()
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        run = ArrearsRun.objects.create(on=on, created_by=user, total=Loan.objects.count())
        audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=run, after={"on": str(on)})
    if background:
        result = recompute_arrears.enqueue(run_id=run.pk)
        ArrearsRun.objects.filter(pk=run.pk).update(task_id=str(result.id)[:64])
    else:
        arrears_run(run_id=run.pk, progress=progress)
    run.refresh_from_db()
    return run


def arrears_run(*, run_id: int, progress: Any = None) -> dict[str, Any]:
    """The task's body: every loan, ``ARREARS_CHUNK`` at a time in id order, its arrears stored as of
    the run's day, the run's ``done`` counted after each chunk (what the progress bar shows). A failure
    is recorded on the run, never raised; the chunks stored before it stay (each is whole)."""
    now = timezone.now()
    claimed = ArrearsRun.objects.filter(pk=run_id, status=ArrearsRun.Status.QUEUED).update(
        status=ArrearsRun.Status.RUNNING, started_at=now, total=Loan.objects.count()
    )
    if not claimed:
        return {"status": "skipped"}
    run = ArrearsRun.objects.get(pk=run_id)
    done = late = last = 0
    try:
        while True:
            ids = list(
                Loan.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:ARREARS_CHUNK]
            )
            if not ids:
                break
            with transaction.atomic():
                late += arrears_store(ids, run.on)
            done, last = done + len(ids), ids[-1]
            ArrearsRun.objects.filter(pk=run_id).update(done=done, late=late, total=max(run.total, done))
            if progress is not None:
                progress(done, max(run.total, done))
    except Exception as exc:  # recorded on the run and shown to the user
        log.exception("arrears run %s failed", run_id)
        message = " ".join(getattr(exc, "messages", [])) or f"Lỗi khi tính lại nợ quá hạn: {exc}"
        ArrearsRun.objects.filter(pk=run_id).update(
            status=ArrearsRun.Status.FAILED, error=message[:2000], finished_at=timezone.now()
        )
        return {"status": "failed", "error": message}
    ArrearsRun.objects.filter(pk=run_id).update(
        status=ArrearsRun.Status.DONE, done=done, total=done, late=late, finished_at=timezone.now()
    )
    return {"status": "done", "loans": done, "late": late}


def arrears_recover(*, now: Any = None) -> list[int]:
    """Fail, with a message, the recomputations left queued or running whose task is over (failed, or
    lost with a dead worker); called by the worker (``congdoan.imports.worker.recover``). Every chunk is
    stored whole, so asking again simply computes every loan again."""
    import uuid

    from django_tasks_db.models import DBTaskResult

    from congdoan.imports.selectors import stale_after, uses_database_queue

    if not uses_database_queue():
        return []
    now = now or timezone.now()
    rows = list(
        ArrearsRun.objects.filter(
            status__in=[ArrearsRun.Status.QUEUED, ArrearsRun.Status.RUNNING]
        ).values_list("pk", "task_id", "created_at")
    )
    ids = []
    for _, task_id, _ in rows:
        try:
            ids.append(uuid.UUID(task_id))
        except ValueError:
            continue
    pending = {
        str(pk)
        for pk in DBTaskResult.objects.filter(pk__in=ids, status__in=["READY", "RUNNING"]).values_list(
            "pk", flat=True
        )
    }
    failed = []
    for pk, task_id, created_at in rows:
        if task_id in pending or (not task_id and created_at > now - stale_after()):
            continue
        if ArrearsRun.objects.filter(
            pk=pk, status__in=[ArrearsRun.Status.QUEUED, ArrearsRun.Status.RUNNING], task_id=task_id
        ).update(status=ArrearsRun.Status.FAILED, error=MSG_ARREARS_LOST, finished_at=now):
            failed.append(pk)
    return failed
