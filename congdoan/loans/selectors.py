"""Reads of the loan fund, scoped to what the user may see, and the arrears as of any date.

Loans, projects and their repayments belong to the borrower's CĐCS (``cdcs_id``): an officer sees those
of the CĐCS in their subtree. A fund and its products are seen by the officers of its owner's subtree and
by those of the units it serves (the owner is an ancestor of their unit), who apply under its products.

Arrears (Fineract's ageing): on day D a loan disbursed by D and not ended by D is *active*; what was paid
of principal + interest by D covers the instalments oldest first, so the oldest instalment due before D
and not covered is in arrears and its age is the loan's days past due. The principal outstanding on D is
the amount less the principal repaid by D. One SQL statement answers this for any set of loans (a window
sum over the instalments), on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from congdoan.accounts.permissions import get_scoped, is_global, scope_q, scoped
from congdoan.accounts.scope import OutOfScope, user_scope
from congdoan.core.registry import tree
from congdoan.org.models import OrgUnit

from . import schedule
from .models import ArrearsRun, Fund, Loan, LoanState, Product, Project, Repayment

UnitIds = Any

# -- funds and products ------------------------------------------------------------------------------


def _fund_q(user: Any) -> Q:
    if is_global(user):
        return Q()
    scope = user_scope(user)
    owners: set[int] = set()
    for root in scope.roots:
        day = min(scope.today, root.until) if root.until else scope.today
        owners.update(tree.ancestor_ids(root.unit_id, day))
    return scope_q(user, unit="owner_id") | Q(owner_id__in=owners)


def fund_list(*, user: Any) -> QuerySet[Fund]:
    return Fund.objects.filter(_fund_q(user)).select_related("owner").order_by("code")


def fund_get(*, user: Any, pk: int) -> Fund:
    return _get(fund_list(user=user), pk)


def _get(qs: QuerySet[Any], pk: int) -> Any:
    row = qs.filter(pk=pk).first()
    if row is None:
        raise OutOfScope(str(pk))
    return row


def product_list(*, user: Any) -> QuerySet[Product]:
    return Product.objects.filter(fund__in=fund_list(user=user)).select_related("fund").order_by("code")


def product_get(*, user: Any, pk: int) -> Product:
    return _get(product_list(user=user), pk)


# -- projects, loans, repayments ---------------------------------------------------------------------


def project_list(*, user: Any) -> QuerySet[Project]:
    qs = scoped(Project.objects.all(), user, unit="cdcs_id", date="submitted_on")
    return qs.select_related("cdcs", "district", "product").order_by("-submitted_on", "-id")


def project_get(*, user: Any, pk: int) -> Project:
    return get_scoped(
        Project.objects.select_related("cdcs", "district", "product__fund"),
        user,
        unit="cdcs_id",
        date="submitted_on",
        pk=pk,
    )


# A subtree of up to this many units goes into a loan query as a list of ids read first; a larger one
# (a whole city of thousands of CĐCS) stays the recursive query, where most loans match anyway.
LITERAL_UNITS = 5000


def _cdcs_in_subtree(root_id: int, day: dt.date) -> Q:
    """``cdcs_id`` in ``root_id``'s subtree on ``day``, as a list of ids read first when it is small.

    Inside the loan query, PostgreSQL estimates the recursive subtree at 200 units, half the loans: a
    district's list (10,000 of 100,000 loans) then counted by a sequential scan of every loan (~75 ms)
    and its 31–90-day page rescanned the units for each late loan (~55 ms). A list gives the true
    estimate and the (cdcs …) indexes: ~7 ms and ~1 ms (``bench/loans_bench.py``)."""
    ids = sorted(tree.subtree_ids(root_id, day))
    if len(ids) > LITERAL_UNITS:
        return Q(cdcs_id__in=tree.in_subtree([root_id], day))
    return Q(cdcs_id__in=ids) if ids else Q(pk__in=[])


def loan_list(*, user: Any) -> QuerySet[Loan]:
    """The loans the user may see (the kernel's scope rule, each root's subtree as ``_cdcs_in_subtree``)."""
    qs = Loan.objects.filter(scope_q(user, unit="cdcs_id", date="applied_on", subtree=_cdcs_in_subtree))
    return qs.select_related("cdcs", "person", "project", "product").order_by("-applied_on", "-id")


def loan_get(*, user: Any, pk: int) -> Loan:
    return get_scoped(
        Loan.objects.select_related("cdcs", "person", "project", "product", "fund__owner"),
        user,
        unit="cdcs_id",
        date="applied_on",
        pk=pk,
    )


def loan_narrow(
    qs: QuerySet[Loan],
    *,
    unit: OrgUnit | None = None,
    day: dt.date | None = None,
    state: str = "",
    q: str = "",
    disbursed_from: dt.date | None = None,
    disbursed_to: dt.date | None = None,
) -> QuerySet[Loan]:
    if unit is not None:
        qs = qs.filter(_cdcs_in_subtree(unit.pk, day or timezone.localdate()))
    if state:
        qs = qs.filter(state=state)
    if q:
        from congdoan.core.text import fold

        qs = qs.filter(person__search_key__contains=fold(q))
    if disbursed_from:
        qs = qs.filter(disbursed_on__gte=disbursed_from)
    if disbursed_to:
        qs = qs.filter(disbursed_on__lte=disbursed_to)
    return qs


@dataclass
class LoanPage:
    """One page of a loan list, with the count and total amount of the whole list."""

    page: Any  # django.core.paginator.Page whose object_list holds the loans of the page
    count: int
    amount: int


def loan_page(qs: QuerySet[Loan], number: Any, per_page: int) -> LoanPage:
    """A page of ``qs`` in three short statements, whatever the list's size: the count and the total
    amount together; the ids of the page (ordered on the loans alone, by the (applied_on, id) index);
    then those loans with their borrower, CĐCS, project and product."""
    from django.core.paginator import Paginator
    from django.db.models import Count, Sum

    bare = qs.select_related(None)
    totals = bare.order_by().aggregate(n=Count("id"), amount=Sum("amount"))
    paginator = Paginator(bare.values_list("pk", flat=True), per_page)
    paginator.count = totals["n"]  # type: ignore[misc]  # a cached_property: counted above already
    page = paginator.get_page(number)
    ids = list(page.object_list)
    rows = qs.model.objects.select_related("cdcs", "person", "project", "product").in_bulk(ids)
    page.object_list = [rows[pk] for pk in ids if pk in rows]  # type: ignore[misc]
    return LoanPage(page, totals["n"], int(totals["amount"] or 0))


def loan_in_bucket(qs: QuerySet[Loan], bucket: str) -> QuerySet[Loan]:
    """The loans whose stored arrears (``days_past_due`` as of ``arrears_on``) are in ``bucket``; an
    unknown bucket leaves ``qs`` as it is. Loans never computed are not in any bucket."""
    limits = schedule.bucket_range(bucket)
    if limits is None:
        return qs
    low, high = limits
    qs = qs.filter(arrears_on__isnull=False, days_past_due__gte=low)
    return qs if high is None else qs.filter(days_past_due__lte=high)


def arrears_run_latest(*, done: bool = False) -> ArrearsRun | None:
    """The latest recomputation of the stored arrears (``done``: the latest finished one)."""
    qs = ArrearsRun.objects.all()
    if done:
        qs = qs.filter(status=ArrearsRun.Status.DONE)
    return qs.order_by("-created_at", "-id").first()


def arrears_run_get(*, pk: int) -> ArrearsRun:
    return _get(ArrearsRun.objects.all(), pk)


def repayment_list(*, user: Any) -> QuerySet[Repayment]:
    return scoped(Repayment.objects.all(), user, unit="loan__cdcs_id", date="paid_on").select_related(
        "loan__person"
    )


def writable_cdcs(*, user: Any) -> QuerySet[OrgUnit]:
    """The grassroots unions the user may apply for (today)."""
    from congdoan.org.models import GRASSROOTS_TYPES

    return scoped(OrgUnit.objects.filter(type__in=GRASSROOTS_TYPES), user, writable=True).order_by("name")[
        :500
    ]


# -- record sets (indicator providers) ---------------------------------------------------------------


def disbursed(units: UnitIds, start: dt.date, end: dt.date) -> QuerySet[Loan]:
    """Loans disbursed in ``[start, end]`` by ``units`` (a rescheduling is not a new disbursement)."""
    return Loan.objects.filter(
        cdcs_id__in=units, disbursed_on__gte=start, disbursed_on__lte=end, rescheduled_from__isnull=True
    )


def active_on(units: UnitIds | None, on: dt.date) -> QuerySet[Loan]:
    """Loans disbursed by ``on`` and not ended by then (closed, rescheduled or written off later)."""
    qs = Loan.objects.filter(disbursed_on__lte=on).filter(Q(closed_on__isnull=True) | Q(closed_on__gt=on))
    return qs if units is None else qs.filter(cdcs_id__in=units)


# -- arrears -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArrearsRow:
    loan_id: int
    cdcs_id: int
    outstanding: int  # principal still owed on the day
    days: int  # days past due (0: current)

    @property
    def bucket(self) -> str:
        return schedule.bucket_of(self.days)


def _day(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def arrears(loans: QuerySet[Loan], on: dt.date) -> list[ArrearsRow]:
    """Days past due and principal outstanding on ``on`` of the ``loans`` active that day."""
    act = active_on(None, on).filter(pk__in=loans.values("pk")).order_by().values("id", "cdcs_id", "amount")
    act_sql, act_params = act.query.sql_with_params()
    sql = f"""
        WITH act AS ({act_sql}),
        paid AS (
            SELECT r.loan_id AS loan_id, SUM(r.principal) AS pp, SUM(r.principal + r.interest) AS pi
            FROM loans_repayment r JOIN act ON act.id = r.loan_id
            WHERE r.paid_on <= %s GROUP BY r.loan_id
        ),
        cum AS (
            SELECT i.loan_id AS loan_id, i.due_on AS due_on,
                   SUM(i.principal + i.interest) OVER (PARTITION BY i.loan_id ORDER BY i.number) AS c
            FROM loans_instalment i JOIN act ON act.id = i.loan_id
            WHERE i.due_on < %s
        ),
        late AS (
            SELECT cum.loan_id AS loan_id, MIN(cum.due_on) AS first_due
            FROM cum LEFT JOIN paid ON paid.loan_id = cum.loan_id
            WHERE cum.c > COALESCE(paid.pi, 0) GROUP BY cum.loan_id
        )
        SELECT act.id, act.cdcs_id, act.amount - COALESCE(paid.pp, 0), late.first_due
        FROM act LEFT JOIN paid ON paid.loan_id = act.id LEFT JOIN late ON late.loan_id = act.id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*act_params, on, on])
        rows = cursor.fetchall()
    out = []
    for loan_id, cdcs_id, outstanding, first_due in rows:
        due = _day(first_due)
        out.append(ArrearsRow(loan_id, cdcs_id, int(outstanding), (on - due).days if due else 0))
    return out


@dataclass
class Ageing:
    """Loans and principal outstanding by ageing bucket, and PAR30/PAR90 (ratio of sums)."""

    loans: int = 0
    outstanding: int = 0
    buckets: dict[str, list[int]] = field(
        default_factory=lambda: {key: [0, 0] for key, *_ in schedule.BUCKETS}
    )
    at_risk_30: int = 0
    at_risk_90: int = 0

    def add(self, row: ArrearsRow) -> None:
        self.loans += 1
        self.outstanding += row.outstanding
        cell = self.buckets[row.bucket]
        cell[0] += 1
        cell[1] += row.outstanding
        if row.days > 30:
            self.at_risk_30 += row.outstanding
        if row.days > 90:
            self.at_risk_90 += row.outstanding

    @property
    def par30(self) -> float | None:
        return self.at_risk_30 / self.outstanding if self.outstanding else None

    @property
    def par90(self) -> float | None:
        return self.at_risk_90 / self.outstanding if self.outstanding else None

    def bucket_rows(self) -> list[dict[str, Any]]:
        return [
            {"key": key, "label": label, "loans": self.buckets[key][0], "outstanding": self.buckets[key][1]}
            for key, label, *_ in schedule.BUCKETS
        ]


def ageing(rows: list[ArrearsRow]) -> Ageing:
    total = Ageing()
    for row in rows:
        total.add(row)
    return total


def ageing_by_unit(rows: list[ArrearsRow], units: list[OrgUnit], on: dt.date) -> list[tuple[OrgUnit, Ageing]]:
    """The ageing of each unit's subtree on ``on`` (the dated tree): sums first, ratios from the sums."""
    by_cdcs: dict[int, list[ArrearsRow]] = defaultdict(list)
    for row in rows:
        by_cdcs[row.cdcs_id].append(row)
    out = []
    for unit in units:
        total = Ageing()
        for cdcs_id in tree.subtree_ids(unit.pk, on):
            for row in by_cdcs.get(cdcs_id, ()):
                total.add(row)
        out.append((unit, total))
    return out


def reminders(*, user: Any, on: dt.date, unit: OrgUnit | None = None) -> list[dict[str, Any]]:
    """Borrowers to remind on ``on``, by CĐCS: loans with an instalment due and unpaid (days past due > 0)
    or due within the next 7 days, with what is owed."""
    loans = loan_narrow(loan_list(user=user), unit=unit, day=on).filter(state=LoanState.DISBURSED)
    rows = {r.loan_id: r for r in arrears(loans, on)}
    soon = on + dt.timedelta(days=7)
    out = []
    for loan in (
        loans.filter(pk__in=list(rows))
        .prefetch_related("instalments")
        .order_by("cdcs__name", "person__sort_key")
    ):
        row = rows[loan.pk]
        due = [i for i in loan.instalments.all() if i.outstanding > 0 and i.due_on <= soon]
        if row.days <= 0 and not due:
            continue
        out.append(
            {
                "loan": loan,
                "cdcs": loan.cdcs,
                "days": row.days,
                "bucket": row.bucket,
                "owed": sum(i.outstanding for i in due),
                "next_due": min((i.due_on for i in due), default=None),
            }
        )
    return out


# -- the journal check -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    what: str  # "entry", "fund", "loan"
    key: str
    expected: int
    journal: int

    def __str__(self) -> str:
        return f"{self.what} {self.key}: sổ chi tiết {self.expected} ≠ nhật ký {self.journal}"


def journal_check() -> tuple[int, int, int, list[Difference]]:
    """Recompute every balance from the journal and compare it with the records it must agree with:
    each entry balances (per fund); each fund's cash = capital received ± transfers (not reversed) −
    disbursements + repayments; each loan's principal outstanding = its unpaid scheduled principal
    (0 once closed, rescheduled or written off), and = amount − principal repaid − written off.
    Returns (entries, funds, loans checked, differences)."""
    from django.db.models import F, Sum
    from django.db.models.functions import Coalesce

    from .models import Account, EntryKind, Instalment, JournalEntry, JournalLine

    diffs: list[Difference] = []
    unbalanced = (
        JournalLine.objects.values("entry_id", "fund_id")
        .annotate(d=Coalesce(Sum("debit"), 0), c=Coalesce(Sum("credit"), 0))
        .exclude(d=F("c"))
        .order_by()
    )
    for row in unbalanced:
        diffs.append(Difference("entry", f"#{row['entry_id']}", row["d"], row["c"]))
    entries = JournalEntry.objects.count()

    def sums(qs: Any, key: str, value: str) -> dict[int, int]:
        return {r[key]: int(r["s"] or 0) for r in qs.values(key).annotate(s=Sum(value)).order_by()}

    cash_d = sums(JournalLine.objects.filter(account=Account.CASH), "fund_id", "debit")
    cash_c = sums(JournalLine.objects.filter(account=Account.CASH), "fund_id", "credit")
    live = JournalEntry.objects.filter(reverses__isnull=True, reversed_by__isnull=True)
    capital = sums(live.filter(kind=EntryKind.CAPITAL), "fund_id", "amount")
    sent = sums(live.filter(kind=EntryKind.TRANSFER), "fund_id", "amount")
    received: dict[int, int] = {}
    for line in JournalLine.objects.filter(
        entry__in=live.filter(kind=EntryKind.TRANSFER), account=Account.CASH, debit__gt=0
    ).values("fund_id", "debit"):
        received[line["fund_id"]] = received.get(line["fund_id"], 0) + line["debit"]
    lent = sums(
        Loan.objects.filter(disbursed_on__isnull=False, rescheduled_from__isnull=True), "fund_id", "amount"
    )
    repaid = sums(Repayment.objects.all(), "loan__fund_id", "amount")
    funds = list(Fund.objects.values_list("id", "code"))
    for fund_id, code in funds:
        expected = (
            capital.get(fund_id, 0)
            - sent.get(fund_id, 0)
            + received.get(fund_id, 0)
            - lent.get(fund_id, 0)
            + repaid.get(fund_id, 0)
        )
        journal = cash_d.get(fund_id, 0) - cash_c.get(fund_id, 0)
        if expected != journal:
            diffs.append(Difference("fund", code, expected, journal))

    loan_d = sums(JournalLine.objects.filter(account=Account.LOANS), "loan_id", "debit")
    loan_c = sums(JournalLine.objects.filter(account=Account.LOANS), "loan_id", "credit")
    unpaid = sums(Instalment.objects.annotate(left=F("principal") - F("principal_paid")), "loan_id", "left")
    principal_repaid = sums(Repayment.objects.all(), "loan_id", "principal")
    written_off = sums(JournalEntry.objects.filter(kind=EntryKind.WRITE_OFF), "loan_id", "amount")
    moved = sums(
        JournalEntry.objects.filter(loan__rescheduled_from__isnull=False, kind=EntryKind.DISBURSEMENT),
        "loan__rescheduled_from_id",
        "amount",
    )
    loans = 0
    for loan_id, state, amount in Loan.objects.filter(disbursed_on__isnull=False).values_list(
        "id", "state", "amount"
    ):
        loans += 1
        journal = loan_d.get(loan_id, 0) - loan_c.get(loan_id, 0)
        by_schedule = unpaid.get(loan_id, 0) if state == LoanState.DISBURSED else 0
        by_payments = (
            amount - principal_repaid.get(loan_id, 0) - written_off.get(loan_id, 0) - moved.get(loan_id, 0)
        )
        if state == LoanState.CLOSED:
            by_payments = amount - principal_repaid.get(loan_id, 0)
        for expected in {by_schedule, by_payments}:
            if expected != journal:
                diffs.append(Difference("loan", f"#{loan_id}", expected, journal))
    return entries, len(funds), loans, diffs


# -- statements (the figures; ``exports`` lays them out as XLSX or PDF) -------------------------------


def account_balance(
    *, account: str, fund: Fund | None = None, loan: Loan | None = None, on: dt.date | None = None
) -> int:
    """Σ debit − Σ credit of ``account`` (a fund's or a loan's lines), up to ``on`` included."""
    from django.db.models import Sum

    from .models import JournalLine

    lines = JournalLine.objects.filter(account=account)
    if fund is not None:
        lines = lines.filter(fund=fund)
    if loan is not None:
        lines = lines.filter(loan=loan)
    if on is not None:
        lines = lines.filter(posted_on__lte=on)
    sums = lines.aggregate(d=Sum("debit"), c=Sum("credit"))
    return int(sums["d"] or 0) - int(sums["c"] or 0)


@dataclass
class LoanStatement:
    """A borrower's statement: the schedule with what was paid of each instalment, every repayment, and
    the totals (Σ scheduled principal = the amount; principal outstanding from the journal)."""

    loan: Loan
    instalments: list[Any]
    repayments: list[Repayment]
    day: dt.date
    outstanding: int  # principal still owed (the loan's line of the loans account)

    @property
    def scheduled(self) -> dict[str, int]:
        return {
            key: sum(getattr(i, key) for i in self.instalments)
            for key in ("principal", "interest", "fee", "principal_paid", "interest_paid", "fee_paid")
        }

    @property
    def left(self) -> int:
        return sum(i.outstanding for i in self.instalments)

    @property
    def repaid(self) -> dict[str, int]:
        return {
            key: sum(getattr(r, key) for r in self.repayments)
            for key in ("amount", "fee", "interest", "principal")
        }


def loan_statement(loan: Loan, day: dt.date | None = None) -> LoanStatement:
    """The statement of ``loan`` (already scoped by ``loan_get``)."""
    from .models import Account

    return LoanStatement(
        loan=loan,
        instalments=list(loan.instalments.order_by("number")),
        repayments=list(loan.repayments.order_by("paid_on", "id")),
        day=day or timezone.localdate(),
        outstanding=account_balance(account=Account.LOANS, loan=loan),
    )


@dataclass(frozen=True)
class FundLine:
    day: dt.date
    memo: str
    kind: str
    received: int  # into the fund's cash (debit)
    paid: int  # out of the fund's cash (credit)
    balance: int  # the cash after this line


@dataclass
class FundStatement:
    """A fund's cash over one month: the opening balance, every cash line of the month with the running
    balance, the closing balance (= opening + Σ received − Σ paid) and the loans outstanding at the end."""

    fund: Fund
    start: dt.date
    end: dt.date
    opening: int
    lines: list[FundLine]
    closing: int
    lent_out: int  # principal outstanding of the fund's loans at the end of the month

    @property
    def received(self) -> int:
        return sum(line.received for line in self.lines)

    @property
    def paid(self) -> int:
        return sum(line.paid for line in self.lines)

    def by_kind(self) -> list[tuple[str, int, int]]:
        """(kind, received, paid) of the month, in the order of the kinds."""
        sums: dict[str, list[int]] = {}
        for line in self.lines:
            cell = sums.setdefault(line.kind, [0, 0])
            cell[0] += line.received
            cell[1] += line.paid
        return [(kind, r, p) for kind, (r, p) in sums.items()]


def month_of(value: str | None, today: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of ``YYYY-MM`` (this month when missing or malformed)."""
    try:
        year, month = (int(x) for x in (value or f"{today:%Y-%m}").split("-"))
        start = dt.date(year, month, 1)
    except ValueError:
        start = today.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return start, end


def fund_statement(fund: Fund, start: dt.date, end: dt.date) -> FundStatement:
    """The cash statement of ``fund`` (already scoped by ``fund_get``) from ``start`` to ``end``."""
    from .models import Account, EntryKind, JournalLine

    opening = account_balance(account=Account.CASH, fund=fund, on=start - dt.timedelta(days=1))
    kinds = dict(EntryKind.choices)
    running = opening
    lines = []
    for posted_on, memo, kind, debit, credit in (
        JournalLine.objects.filter(fund=fund, account=Account.CASH, posted_on__gte=start, posted_on__lte=end)
        .order_by("posted_on", "id")
        .values_list("posted_on", "entry__memo", "entry__kind", "debit", "credit")
    ):
        running += debit - credit
        lines.append(FundLine(posted_on, memo, str(kinds.get(kind, "")), debit, credit, running))
    return FundStatement(
        fund=fund,
        start=start,
        end=end,
        opening=opening,
        lines=lines,
        closing=running,
        lent_out=account_balance(account=Account.LOANS, fund=fund, on=end),
    )
