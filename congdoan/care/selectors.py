"""Reads of the care app, scoped to what the user may see (``scoped`` / ``get_scoped``).

Record sets for the indicator providers (``paid``, ``paid_net_amounts``) take a units subquery and
dates; the pages intersect them with the user's scope.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from congdoan.accounts.permissions import get_scoped, scope_q, scoped
from congdoan.accounts.scope import user_scope
from congdoan.core.text import fold
from congdoan.org import tree

from .models import (
    LIVE_STATES,
    Allocation,
    Campaign,
    Case,
    CaseState,
    FundingSource,
    House,
    Payment,
    Reversal,
    WelfareDeal,
)

UnitIds = Any


# -- record sets (providers, drill-down) -------------------------------------------------------------


def paid(units: UnitIds, start: dt.date, end: dt.date, kind: str | None = None) -> QuerySet[Case]:
    """Cases paid in ``[start, end]`` by ``units`` and not reversed by ``end`` (one lượt each)."""
    reversed_by_end = Reversal.objects.filter(case_id=OuterRef("pk"), reversed_on__lte=end)
    qs = Case.objects.filter(unit_id__in=units, paid_on__gte=start, paid_on__lte=end).exclude(
        Exists(reversed_by_end)
    )
    return qs.filter(campaign__kind=kind) if kind else qs


def paid_amounts(units: UnitIds, start: dt.date, end: dt.date) -> dict[tuple[int, str], int]:
    """Net đồng per (unit, campaign kind): payments made in the period plus the reversals made in it
    (negative), so a payment reversed in the same period nets to zero."""
    out: dict[tuple[int, str], int] = {}
    for unit_id, kind, total in (
        Payment.objects.filter(case__unit_id__in=units, paid_on__gte=start, paid_on__lte=end)
        .values_list("case__unit_id", "case__campaign__kind")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        out[(unit_id, kind)] = out.get((unit_id, kind), 0) + int(total)
    for unit_id, kind, total in (
        Reversal.objects.filter(case__unit_id__in=units, reversed_on__gte=start, reversed_on__lte=end)
        .values_list("case__unit_id", "case__campaign__kind")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        out[(unit_id, kind)] = out.get((unit_id, kind), 0) + int(total)
    return out


# -- spending by funding source ---------------------------------------------------------------------------
#
# Funding is recorded per campaign (its sources and their amounts), not per case: a campaign's spending
# is attributed to its sources in proportion to their amounts (a child campaign without sources of its
# own spends its parent's), split in whole đồng by largest remainder so the parts add up exactly.

UNSPECIFIED = "unspecified"  # a campaign with no funding recorded on it or its parents


def funding_shares(campaign_ids: Iterable[int]) -> dict[int, list[tuple[int, str, int]]]:
    """Per campaign: its funding sources ``(source id, kind, amount)``, or its nearest parent's."""
    wanted = set(campaign_ids)
    parents: dict[int, int | None] = {}
    todo = set(wanted)
    while todo:
        rows = list(Campaign.objects.filter(pk__in=todo).values_list("pk", "parent_id"))
        parents.update(rows)
        todo = {p for _, p in rows if p is not None and p not in parents}
    own: dict[int, list[tuple[int, str, int]]] = {}
    for pk, campaign_id, kind, amount in FundingSource.objects.filter(campaign_id__in=parents).values_list(
        "pk", "campaign_id", "kind", "amount"
    ):
        own.setdefault(campaign_id, []).append((pk, kind, int(amount)))
    out: dict[int, list[tuple[int, str, int]]] = {}
    for campaign_id in wanted:
        current: int | None = campaign_id
        while current is not None and current not in own:
            current = parents.get(current)
        out[campaign_id] = own.get(current, []) if current is not None else []
    return out


def split_amount(amount: int, shares: list[tuple[int, str, int]]) -> dict[int, int]:
    """``amount`` đồng split over the sources in proportion to their amounts (by source id; 0 is
    ``UNSPECIFIED`` when there are none): whole đồng, largest remainder, the parts add up exactly."""
    total = sum(s[2] for s in shares)
    if not shares or total <= 0:
        return {0: amount}
    sign, left = (-1 if amount < 0 else 1), abs(amount)
    parts = {pk: left * share // total for pk, _, share in shares}
    rest = left - sum(parts.values())
    by_remainder = sorted(shares, key=lambda s: (-(left * s[2] % total), s[0]))
    for pk, _, _ in by_remainder[:rest]:
        parts[pk] += 1
    return {pk: sign * v for pk, v in parts.items()}


def net_by_campaign(units: UnitIds, start: dt.date, end: dt.date) -> dict[tuple[int, int], int]:
    """Net đồng per (unit, campaign) in the period: payments plus reversals (negative)."""
    out: dict[tuple[int, int], int] = {}
    for model, day in ((Payment, "paid_on"), (Reversal, "reversed_on")):
        rows = (
            model.objects.filter(case__unit_id__in=units, **{f"{day}__gte": start, f"{day}__lte": end})
            .values_list("case__unit_id", "case__campaign_id")
            .annotate(total=Sum("amount"))
            .order_by()
        )
        for unit_id, campaign_id, total in rows:
            out[(unit_id, campaign_id)] = out.get((unit_id, campaign_id), 0) + int(total)
    return out


def paid_by_source(units: UnitIds, start: dt.date, end: dt.date) -> dict[tuple[int, str], int]:
    """Net đồng per (unit, funding kind) in the period (``UNSPECIFIED`` for campaigns without sources)."""
    net = net_by_campaign(units, start, end)
    shares = funding_shares({c for _, c in net})
    out: dict[tuple[int, str], int] = {}
    for (unit_id, campaign_id), amount in net.items():
        kinds = {pk: kind for pk, kind, _ in shares[campaign_id]}
        for pk, part in split_amount(amount, shares[campaign_id]).items():
            key = (unit_id, kinds.get(pk, UNSPECIFIED))
            out[key] = out.get(key, 0) + part
    return out


@dataclass
class SourceSpending:
    kind: str
    label: str
    contributor: str
    amount: int  # planned
    spent: int  # the campaign's net payments the user may see, attributed to this source

    @property
    def left(self) -> int:
        return self.amount - self.spent


def campaign_funding(*, user: object, campaign: Campaign) -> list[SourceSpending]:
    """The campaign's sources (its own, or its parent's) with what was spent from each: the net of the
    payments and reversals of the cases the user may see."""
    visible = case_list(user=user).filter(campaign=campaign).order_by().values("pk")
    paid = Payment.objects.filter(case_id__in=visible).aggregate(t=Sum("amount"))["t"] or 0
    back = Reversal.objects.filter(case_id__in=visible).aggregate(t=Sum("amount"))["t"] or 0
    shares = funding_shares([campaign.pk])[campaign.pk]
    parts = split_amount(int(paid) + int(back), shares)
    sources = {s.pk: s for s in FundingSource.objects.filter(pk__in=[pk for pk, _, _ in shares])}
    out = [
        SourceSpending(s.kind, s.get_kind_display(), s.contributor, int(s.amount), parts.get(s.pk, 0))
        for s in sorted(sources.values(), key=lambda s: (s.kind, s.pk))
    ]
    if 0 in parts and parts[0]:
        out.append(SourceSpending(UNSPECIFIED, "Chưa ghi nguồn kinh phí", "", 0, parts[0]))
    return out


def houses(units: UnitIds, start: dt.date, end: dt.date) -> QuerySet[House]:
    """Mái ấm Công đoàn houses started in the period."""
    return House.objects.filter(unit_id__in=units, started_on__gte=start, started_on__lte=end)


def deals(units: UnitIds, start: dt.date, end: dt.date) -> QuerySet[WelfareDeal]:
    """Welfare agreements signed in the period."""
    return WelfareDeal.objects.filter(unit_id__in=units, signed_on__gte=start, signed_on__lte=end)


# -- campaigns -----------------------------------------------------------------------------------------


def _campaign_visible(user: object) -> Q:
    """The user's own campaigns, and those above that allocate to or have cases in their subtree."""
    allocated = scoped(Allocation.objects.filter(campaign_id=OuterRef("pk")), user, unit="unit_id")
    return scope_q(user, unit="owner_id", date="starts_on") | Q(Exists(allocated))


def campaign_list(
    *, user: object, search: str = "", kind: str = "", year: int | None = None
) -> QuerySet[Campaign]:
    qs = Campaign.objects.filter(_campaign_visible(user)).select_related("owner", "parent")
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(code__icontains=search))
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(starts_on__year=year)
    return qs.order_by("-starts_on", "code")


def campaign_get(*, user: object, pk: int) -> Campaign:
    found = (
        Campaign.objects.filter(_campaign_visible(user))
        .select_related("owner", "parent")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        from congdoan.accounts.scope import OutOfScope

        raise OutOfScope(str(pk))
    return found


@dataclass
class Progress:
    unit: Any
    people: int  # allocated
    amount: int
    proposed: int
    approved: int
    paid: int
    used_amount: int
    paid_amount: int

    @property
    def share(self) -> float | None:
        return self.paid / self.people if self.people else None


def campaign_progress(*, user: object, campaign: Campaign) -> list[Progress]:
    """Per allocation the user may see: the quota and the cases under it by state."""
    from .services import campaign_day

    day = campaign_day(campaign)
    rows = []
    allocations = scoped(Allocation.objects.filter(campaign=campaign), user, unit="unit_id").select_related(
        "unit"
    )
    for a in allocations.order_by("unit__code"):
        under = Case.objects.filter(campaign=campaign, unit_id__in=tree.in_subtree([a.unit_id], day))
        agg = under.aggregate(
            proposed=Count("pk", filter=Q(state=CaseState.PROPOSED)),
            approved=Count("pk", filter=Q(state=CaseState.APPROVED)),
            paid=Count("pk", filter=Q(state=CaseState.PAID)),
            used=Sum("amount", filter=Q(state__in=LIVE_STATES)),
            paid_amount=Sum("amount", filter=Q(state=CaseState.PAID)),
        )
        rows.append(
            Progress(
                unit=a.unit,
                people=a.people,
                amount=a.amount,
                proposed=agg["proposed"],
                approved=agg["approved"],
                paid=agg["paid"],
                used_amount=int(agg["used"] or 0),
                paid_amount=int(agg["paid_amount"] or 0),
            )
        )
    return rows


def campaign_totals(*, user: object, campaign: Campaign) -> dict[str, int]:
    cases = case_list(user=user).filter(campaign=campaign)
    agg = cases.aggregate(
        total=Count("pk"),
        proposed=Count("pk", filter=Q(state=CaseState.PROPOSED)),
        approved=Count("pk", filter=Q(state=CaseState.APPROVED)),
        paid=Count("pk", filter=Q(state=CaseState.PAID)),
        paid_amount=Sum("amount", filter=Q(state=CaseState.PAID)),
    )
    return {k: int(v or 0) for k, v in agg.items()}


# -- cases, payments -------------------------------------------------------------------------------------


def case_list(*, user: object) -> QuerySet[Case]:
    visible = scoped(Case.objects.all(), user, unit="unit_id", date="proposed_on")
    return visible.select_related("campaign", "unit").order_by("-proposed_on", "-id")


def case_narrow(
    qs: QuerySet[Case],
    *,
    campaign: Campaign | None = None,
    state: str = "",
    unit: Any = None,
    search: str = "",
    day: dt.date | None = None,
) -> QuerySet[Case]:
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    if state:
        qs = qs.filter(state=state)
    if unit is not None:
        qs = qs.filter(unit_id__in=tree.in_subtree([unit.pk], day or timezone.localdate()))
    if search:
        key = fold(search.strip())
        digits = "".join(ch for ch in search if ch.isdigit())
        cond = Q(search_key__contains=key)
        if digits and len(digits) >= 4:
            cond |= Q(cccd__contains=digits)
        qs = qs.filter(cond)
    return qs


def case_get(*, user: object, pk: int) -> Case:
    cases = Case.objects.select_related("campaign", "unit", "person")
    return get_scoped(cases, user, unit="unit_id", date="proposed_on", pk=pk)


def payment_list(*, user: object) -> QuerySet[Payment]:
    visible = scoped(Payment.objects.all(), user, unit="case__unit_id", date="paid_on")
    return visible.select_related("case", "case__unit", "case__campaign").order_by("-paid_on", "-id")


def payment_get(*, user: object, pk: int) -> Payment:
    return get_scoped(
        Payment.objects.select_related("case", "case__unit"),
        user,
        unit="case__unit_id",
        date="paid_on",
        pk=pk,
    )


def payable(*, user: object, campaign: Campaign, bank: bool, unit: Any = None) -> QuerySet[Case]:
    """Approved cases of the campaign the user may see (of ``unit``'s subtree when given): with a bank
    account (the bank file) or without (the signed cash list), in unit and name order."""
    qs = case_list(user=user).filter(campaign=campaign, state=CaseState.APPROVED)
    if unit is not None:
        from .services import campaign_day

        qs = qs.filter(unit_id__in=tree.in_subtree([unit.pk], campaign_day(campaign)))
    qs = qs.exclude(bank_account="") if bank else qs.filter(bank_account="")
    return qs.order_by("unit__code", "search_key", "id")


def iter_rows(qs: QuerySet[Case], fields: tuple[str, ...]) -> Iterator[tuple[Any, ...]]:
    """Stream ``fields`` of ``qs`` (100,000 rows without holding model instances)."""
    yield from qs.values_list(*fields).iterator(chunk_size=5000)


# -- houses and welfare deals --------------------------------------------------------------------------


def house_list(*, user: object, year: int | None = None) -> QuerySet[House]:
    qs = scoped(House.objects.all(), user, unit="unit_id", date="started_on").select_related("unit")
    return qs.filter(started_on__year=year) if year else qs


def deal_list(*, user: object, search: str = "", current_on: dt.date | None = None) -> QuerySet[WelfareDeal]:
    """Deals of the user's subtree and those signed above it, which cover its members too."""
    scope = user_scope(user)
    above: set[int] = set()
    if not scope.is_global:
        for root in scope.roots:
            above.update(tree.ancestor_ids(root.unit_id, root.until or scope.today))
    qs = WelfareDeal.objects.filter(scope_q(user, unit="unit_id") | Q(unit_id__in=above)).select_related(
        "unit"
    )
    if search:
        qs = qs.filter(search_key__contains=fold(search.strip()))
    if current_on is not None:
        qs = qs.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=current_on), signed_on__lte=current_on
        )
    return qs
