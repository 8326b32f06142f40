"""Every write of the care app: validated, atomic, scope-checked (``require_writable``) and audited.

The rules a case must keep (issue 13, "Bad input") live in :class:`CaseRules`, shared by the form
(``case_propose``) and the importer (``care_import``) so a file of 100,000 rows is checked by the very
same rules without one query per row:

- one live case per person per campaign, by the normalised CCCD (a member's CCCD is read from the
  person), whatever the spelling of the name;
- the per-person cap of the campaign and the per-person cap over the calendar year;
- every allocation covering the case's unit (the unit's own and its ancestors'): people and money;
- a non-member only where the campaign allows it; a unit inside the campaign owner's subtree;
- whole đồng only, a bank account of digits with its bank.

Approval follows the campaign's chain: the units from the case's unit up to the campaign's owner (on
the day of the campaign, see :func:`campaign_day`); the top ``approval_levels`` of them approve, the
lowest first. A paid case is never edited; :func:`case_reverse` records a reversal instead.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import BooleanField, Count, DateField, IntegerField, Sum, Value
from django.utils import timezone

from congdoan.accounts.permissions import require_writable
from congdoan.core.audit import audit_log, snapshot
from congdoan.core.formatting import format_date, format_money
from congdoan.core.models import AuditEntry
from congdoan.core.services import Problems, model_update, state_step
from congdoan.core.text import fold, nfc
from congdoan.members.models import Membership, Person, active_on_q
from congdoan.members.validation import check_cccd
from congdoan.org import tree
from congdoan.org.models import OrgUnit

from .models import (
    LIVE_STATES,
    Allocation,
    Campaign,
    CampaignKind,
    Case,
    CaseApproval,
    CaseDocument,
    CaseState,
    FundingKind,
    FundingSource,
    House,
    Payment,
    PaymentMethod,
    Reversal,
    WelfareDeal,
)

CASE_FIELDS = ["campaign", "unit", "full_name", "cccd", "employer_name", "amount", "state", "proposed_on"]
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
DOCUMENT_TYPES = {
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"%PDF-": "application/pdf",
}
HOUSE_AMOUNT_DEFAULT = 50_000_000  # Hà Nội: 50 million đồng per house (settings.CARE_HOUSE_AMOUNT)


def house_amount_default() -> int:
    from django.conf import settings

    return int(getattr(settings, "CARE_HOUSE_AMOUNT", HOUSE_AMOUNT_DEFAULT))


def whole_dong(value: Any, errors: Problems, name: str = "amount", *, positive: bool = True) -> int:
    """``value`` as integer đồng; a fraction, a float with decimals or text is an error."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal | float):
        errors.add(name, "Số tiền phải là số nguyên đồng.")
        return 0
    if isinstance(value, float | Decimal) and value != int(value):
        errors.add(name, f"Số tiền phải là số nguyên đồng, không có phần lẻ ({value}).")
        return 0
    amount = int(value)
    if positive and amount <= 0:
        errors.add(name, "Số tiền phải lớn hơn 0 đồng.")
    elif amount < 0:
        errors.add(name, "Số tiền không được âm.")
    return amount


def normalize_cccd(raw: str) -> str:
    """Digits only (spaces, dots and dashes removed); raises ValueError with a Vietnamese message."""
    return check_cccd(raw, birth_date=None, gender=None).value


_ACCOUNT_SEPARATORS = re.compile(r"[\s.\-]")


def check_bank(account: str, bank: str, errors: Problems) -> str:
    if not account:
        return ""
    if not account.isdigit():
        account = _ACCOUNT_SEPARATORS.sub("", account)
    if account and not account.isdigit():
        errors.add("bank_account", f"Số tài khoản «{account}» chỉ được gồm chữ số.")
    elif account and not 6 <= len(account) <= 19:
        errors.add("bank_account", "Số tài khoản phải có từ 6 đến 19 chữ số.")
    if account and not (bank or "").strip():
        errors.add("bank_name", "Chưa ghi ngân hàng của số tài khoản.")
    return account


def campaign_day(campaign: Campaign) -> dt.date:
    """The day the campaign's tree is read on: its last day, or today while it runs."""
    return min(campaign.ends_on, timezone.localdate())


# -- campaigns ---------------------------------------------------------------------------------------


@dataclass
class Funding:
    kind: str
    amount: int
    contributor: str = ""


@transaction.atomic
def campaign_create(
    *,
    actor: Any,
    code: str,
    name: str,
    kind: str,
    owner: OrgUnit,
    starts_on: dt.date,
    ends_on: dt.date,
    parent: Campaign | None = None,
    cap_per_person: int = 0,
    cap_per_year: int = 0,
    allows_non_members: bool = False,
    approval_levels: int = 1,
    eligibility: str = "",
    funding: Iterable[Funding] = (),
) -> Campaign:
    require_writable(actor, owner)
    errors = Problems()
    code = (code or "").strip().upper()
    if not code:
        errors.add("code", "Chưa nhập mã chương trình.")
    elif Campaign.objects.filter(code=code).exists():
        errors.add("code", f"Mã chương trình «{code}» đã có.")
    if not (name or "").strip():
        errors.add("name", "Chưa nhập tên chương trình.")
    if kind not in CampaignKind.values:
        errors.add("kind", "Loại chương trình không hợp lệ.")
    if ends_on < starts_on:
        errors.add("ends_on", "Ngày kết thúc trước ngày bắt đầu.")
    cap_per_person = whole_dong(cap_per_person, errors, "cap_per_person", positive=False)
    cap_per_year = whole_dong(cap_per_year, errors, "cap_per_year", positive=False)
    if not 1 <= int(approval_levels) <= 5:
        errors.add("approval_levels", "Số cấp duyệt từ 1 đến 5.")
    if parent is not None:
        if owner.pk != parent.owner_id and owner.pk not in tree.subtree_ids(parent.owner_id, starts_on):
            errors.add(
                "parent", f"«{owner.name}» không trực thuộc đơn vị tổ chức chương trình «{parent.name}»."
            )
        if starts_on < parent.starts_on or ends_on > parent.ends_on:
            errors.add("starts_on", "Thời gian phải nằm trong thời gian của chương trình cấp trên.")
    sources = list(funding)
    for source in sources:
        if source.kind not in FundingKind.values:
            errors.add("funding", "Nguồn kinh phí không hợp lệ.")
        whole_dong(source.amount, errors, "funding")
    errors.raise_if_any()
    campaign = Campaign(
        code=code,
        name=nfc(name.strip()),
        kind=kind,
        owner=owner,
        parent=parent,
        starts_on=starts_on,
        ends_on=ends_on,
        cap_per_person=cap_per_person,
        cap_per_year=cap_per_year,
        allows_non_members=allows_non_members,
        approval_levels=approval_levels,
        eligibility=eligibility or "",
    )
    campaign.full_clean()
    campaign.save()
    FundingSource.objects.bulk_create(
        FundingSource(campaign=campaign, kind=s.kind, contributor=s.contributor, amount=int(s.amount))
        for s in sources
    )
    after = snapshot(campaign, ["code", "name", "kind", "owner", "starts_on", "ends_on", "approval_levels"])
    after["funding"] = sum(int(s.amount) for s in sources)
    audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=campaign, unit=owner, after=after)
    return campaign


@transaction.atomic
def allocation_set(*, actor: Any, campaign: Campaign, unit: OrgUnit, people: int, amount: int) -> Allocation:
    """Hand down a quota of people and money to ``unit`` (the campaign's owner decides, like targets).
    The quotas under an allocated unit never add up to more than its own, nor below what is used."""
    require_writable(actor, campaign.owner)
    errors = Problems()
    day = campaign_day(campaign)
    amount = whole_dong(amount, errors, positive=False)
    if isinstance(people, bool) or not isinstance(people, int) or people < 0:
        errors.add("people", "Số suất phải là số nguyên không âm.")
    inside = tree.subtree_ids(campaign.owner_id, day)
    if unit.pk not in inside:
        errors.add("unit", f"«{unit.name}» không thuộc đơn vị tổ chức chương trình.")
    errors.raise_if_any()
    existing = Allocation.objects.filter(campaign=campaign, unit=unit).first()
    others = {a.unit_id: a for a in Allocation.objects.filter(campaign=campaign).exclude(unit=unit)}
    above = [a for a in tree.ancestor_ids(unit.pk, day) if a in others]
    if above:
        parent = others[above[0]]
        siblings = tree.subtree_ids(parent.unit_id, day)
        nearest_parent = {
            a.unit_id
            for a in others.values()
            if a.unit_id in siblings
            and a.unit_id != parent.unit_id
            and [x for x in tree.ancestor_ids(a.unit_id, day) if x in others][:1] == [parent.unit_id]
        }
        used_people = people + sum(others[u].people for u in nearest_parent)
        used_amount = amount + sum(others[u].amount for u in nearest_parent)
        if used_people > parent.people or used_amount > parent.amount:
            errors.add(
                "amount",
                f"Tổng phân bổ dưới «{parent.unit.name}» ({used_people} suất, {format_money(used_amount)}) "
                f"vượt phần được giao ({parent.people} suất, {format_money(parent.amount)}).",
            )
    rules = CaseRules(campaign)
    used = rules.used_under(unit.pk)
    if used[0] > people or used[1] > amount:
        errors.add(
            "amount",
            f"«{unit.name}» đã có {used[0]} hồ sơ, {format_money(used[1])}: "
            "không giảm phân bổ dưới mức đã dùng.",
        )
    errors.raise_if_any()
    if existing is None:
        allocation = Allocation.objects.create(campaign=campaign, unit=unit, people=people, amount=amount)
        audit_log(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=allocation,
            unit=unit,
            after={"campaign": campaign.code, "people": people, "amount": amount},
        )
        return allocation
    model_update(actor=actor, instance=existing, fields={"people": people, "amount": amount}, unit=unit)
    return existing


# -- the rules of a case -------------------------------------------------------------------------------


@dataclass
class CaseInput:
    unit: OrgUnit
    amount: Any
    cccd: str = ""
    full_name: str = ""
    person: Person | None = None
    employer_name: str = ""
    reason: str = ""
    bank_account: str = ""
    bank_name: str = ""
    proposed_on: dt.date | None = None
    normalised: bool = False  # texts already NFC (read by the importer's ``cell_text``)


@dataclass
class CheckedCase:
    data: dict[str, Any]
    errors: Problems = field(default_factory=Problems)


class CaseRules:
    """The rules of one campaign, with what is already used read once: the live CCCDs, the used part
    of every allocation, the year totals of the CCCDs seen. ``check`` validates one case and, when it
    is good, counts it as used (so rows of one file are checked against each other too)."""

    def __init__(self, campaign: Campaign) -> None:
        self.campaign = campaign
        self.day = campaign_day(campaign)
        self.inside = tree.subtree_ids(campaign.owner_id, self.day) | {campaign.owner_id}
        self.allocations = {
            a.unit_id: a for a in Allocation.objects.filter(campaign=campaign).select_related("unit")
        }
        # unit id -> the allocated units covering it (itself and its ancestors that have a quota)
        self._covering: dict[int, list[int]] = {}
        for unit_id in self.allocations:
            for below in tree.subtree_ids(unit_id, self.day):
                self._covering.setdefault(below, []).append(unit_id)
        self.used: dict[int, list[int]] = {u: [0, 0] for u in self.allocations}
        live = Case.objects.filter(campaign=campaign, state__in=LIVE_STATES)
        self.taken: dict[str, tuple[str, int]] = {}
        for cccd, name, unit_id, amount in live.values_list(
            "cccd", "full_name", "unit_id", "amount"
        ).iterator():
            self.taken[cccd] = (name, unit_id)
            for a in self._covering.get(unit_id, ()):
                self.used[a][0] += 1
                self.used[a][1] += amount
        self._year: dict[str, int] | None = None
        self.unit_names: dict[int, str] = {}
        self.today = timezone.localdate()
        self.cccds: dict[str, str] = {}  # raw → normalised (a file's CCCDs are checked once)
        self.folded: dict[str, str] = {}  # name → search form (names repeat in a long list)

    def _fold(self, name: str) -> str:
        found = self.folded.get(name)
        if found is None:
            found = self.folded[name] = fold(name)
        return found

    def used_under(self, unit_id: int) -> tuple[int, int]:
        """People and money of the live cases under ``unit_id`` (an allocated unit or not)."""
        if unit_id in self.used:
            return self.used[unit_id][0], self.used[unit_id][1]
        units = tree.subtree_ids(unit_id, self.day)
        live = Case.objects.filter(campaign=self.campaign, state__in=LIVE_STATES, unit_id__in=units)
        total = live.aggregate(total=Sum("amount"))["total"]
        return live.count(), int(total or 0)

    def year_totals(self, cccds: Iterable[str]) -> None:
        """Load the year's totals per CCCD in the other campaigns (for the yearly cap)."""
        if not self.campaign.cap_per_year:
            self._year = {}
            return
        year = self.campaign.starts_on.year
        self._year = {}
        wanted = list(set(cccds))
        for i in range(0, len(wanted), 900):
            rows = (
                Case.objects.filter(
                    cccd__in=wanted[i : i + 900], state__in=LIVE_STATES, campaign__starts_on__year=year
                )
                .exclude(campaign=self.campaign)
                .values_list("cccd")
                .annotate(total=Sum("amount"))
                .order_by()
            )
            for cccd, total in rows:
                self._year[cccd] = int(total)

    def check(self, given: CaseInput, *, members: dict[str, Person] | None = None) -> CheckedCase:
        campaign = self.campaign
        errors = Problems()
        unit = given.unit
        amount = whole_dong(given.amount, errors)
        if unit.pk not in self.inside:
            errors.add("unit", f"«{unit.name}» không thuộc đơn vị tổ chức chương trình «{campaign.name}».")
        person = given.person
        cccd = ""
        raw = given.cccd or (person.cccd if person is not None else "") or ""
        if person is not None and not person.cccd:
            errors.add("cccd", f"Đoàn viên «{person.full_name}» chưa có số CCCD: bổ sung trước khi đề xuất.")
        elif raw in self.cccds:
            cccd = self.cccds[raw]
        else:
            try:
                cccd = self.cccds[raw] = normalize_cccd(raw)
            except ValueError as exc:
                errors.add("cccd", str(exc))
        if person is not None and cccd and person.cccd and person.cccd != cccd:
            errors.add("cccd", "Số CCCD khác với số CCCD của đoàn viên.")
        if person is None and cccd and members is not None:
            person = members.get(cccd)
        text = (lambda t: t.strip()) if given.normalised else (lambda t: nfc(t.strip()))
        full_name = text(given.full_name or (person.full_name if person else ""))
        if not full_name:
            errors.add("full_name", "Chưa nhập họ và tên.")
        if person is None and not campaign.allows_non_members:
            errors.add(
                "cccd",
                f"«{full_name}» (CCCD {cccd or raw}) không phải đoàn viên của đơn vị; "
                "chương trình chỉ hỗ trợ đoàn viên.",
            )
        account = check_bank(given.bank_account, given.bank_name, errors)
        if amount > 0 and campaign.cap_per_person and amount > campaign.cap_per_person:
            errors.add(
                "amount",
                f"Số tiền {format_money(amount)} vượt mức tối đa mỗi người của chương trình "
                f"({format_money(campaign.cap_per_person)}).",
            )
        if cccd and cccd in self.taken:
            name, unit_id = self.taken[cccd]
            errors.add(
                "cccd",
                f"Người có CCCD {cccd} đã có hồ sơ trong chương trình này («{name}», "
                f"{self._unit_name(unit_id)}): mỗi người chỉ được hỗ trợ một lần.",
            )
        if amount > 0 and cccd and campaign.cap_per_year:
            if self._year is None:
                self.year_totals([cccd])
            assert self._year is not None
            before = self._year.get(cccd, 0)
            if before + amount > campaign.cap_per_year:
                errors.add(
                    "amount",
                    f"Trong năm {campaign.starts_on.year} người này đã được hỗ trợ {format_money(before)}; "
                    f"thêm {format_money(amount)} vượt mức tối đa {format_money(campaign.cap_per_year)}.",
                )
        covering = self._covering.get(unit.pk, [])
        if self.allocations and not covering and unit.pk in self.inside:
            errors.add("unit", f"«{unit.name}» chưa được phân bổ suất trong chương trình «{campaign.name}».")
        if amount > 0:
            for a in covering:
                allocation = self.allocations[a]
                people, money = self.used[a]
                if people + 1 > allocation.people:
                    errors.add(
                        "unit",
                        f"Vượt số suất phân bổ cho «{allocation.unit.name}» ({allocation.people} suất).",
                    )
                elif money + amount > allocation.amount:
                    errors.add(
                        "amount",
                        f"Vượt kinh phí phân bổ cho «{allocation.unit.name}»: đã dùng {format_money(money)} "
                        f"trên {format_money(allocation.amount)}.",
                    )
        day = given.proposed_on or self.today
        if day > self.today:
            errors.add("proposed_on", f"Ngày đề xuất {format_date(day)} ở tương lai.")
        data = {
            "campaign": campaign,
            "unit": unit,
            "person": person,
            "full_name": full_name,
            "cccd": cccd,
            "employer_name": text(given.employer_name or "")[:200],
            "amount": amount,
            "reason": text(given.reason or "")[:255],
            "bank_account": account,
            "bank_name": (given.bank_name or "").strip()[:80],
            "proposed_on": day,
            "search_key": f"{self._fold(full_name)} {cccd}"[:200],
        }
        checked = CheckedCase(data, errors)
        if not errors:
            self.taken[cccd] = (full_name, unit.pk)
            for a in covering:
                self.used[a][0] += 1
                self.used[a][1] += amount
            if self._year is not None:
                self._year[cccd] = self._year.get(cccd, 0) + amount
        return checked

    def _unit_name(self, unit_id: int) -> str:
        if unit_id not in self.unit_names:
            self.unit_names[unit_id] = (
                OrgUnit.objects.filter(pk=unit_id).values_list("name", flat=True).first() or ""
            )
        return self.unit_names[unit_id]


def member_of(unit: OrgUnit, cccds: Iterable[str], day: dt.date) -> dict[str, Person]:
    """The members (by CCCD) with a membership held on ``day`` in a CĐCS under ``unit``."""
    wanted = list(set(c for c in cccds if c))
    units = tree.subtree_ids(unit.pk, day) | {unit.pk}
    found: dict[str, Person] = {}
    for i in range(0, len(wanted), 900):
        memberships = Membership.objects.filter(
            active_on_q(day), cdcs_id__in=units, person__cccd__in=wanted[i : i + 900]
        ).select_related("person")
        for m in memberships:
            found[m.person.cccd or ""] = m.person
    return found


@transaction.atomic
def case_propose(*, actor: Any, campaign: Campaign, given: CaseInput) -> Case:
    """Propose one case (a CĐCS or an upper union, for a unit it may write)."""
    require_writable(actor, given.unit)
    rules = CaseRules(campaign)
    members = None
    if given.person is None and given.cccd:
        try:
            members = member_of(given.unit, [normalize_cccd(given.cccd)], rules.day)
        except ValueError:
            members = None
    elif given.person is not None:
        day = rules.day
        units = tree.subtree_ids(given.unit.pk, day) | {given.unit.pk}
        if not Membership.objects.filter(active_on_q(day), person=given.person, cdcs_id__in=units).exists():
            raise ValidationError(
                {"person": f"«{given.person.full_name}» không sinh hoạt tại «{given.unit.name}»."}
            )
    checked = rules.check(given, members=members)
    checked.errors.raise_if_any()
    case = Case(**checked.data)
    case.full_clean(exclude=["search_key"])
    case.save()
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=case,
        unit=case.unit,
        after=snapshot(case, CASE_FIELDS),
    )
    return case


@transaction.atomic
def case_update(*, actor: Any, case: Case, **fields: Any) -> Case:
    """Change the amount, reason or bank details of a case not yet approved."""
    require_writable(actor, case.unit)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.state == CaseState.PAID:
        raise ValidationError(
            {"__all__": "Hồ sơ đã chi không được sửa; hãy lập điều chỉnh (hoàn) rồi đề xuất hồ sơ mới."}
        )
    if case.state != CaseState.PROPOSED:
        raise ValidationError({"__all__": f"Hồ sơ «{case.get_state_display()}» không sửa được."})
    allowed = {"amount", "reason", "bank_account", "bank_name", "employer_name"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"case_update cannot change {sorted(unknown)}")
    errors = Problems()
    if "amount" in fields:
        amount = whole_dong(fields["amount"], errors)
        if not errors:
            rules = CaseRules(case.campaign)
            extra = amount - case.amount
            if case.campaign.cap_per_person and amount > case.campaign.cap_per_person:
                errors.add(
                    "amount", f"Vượt mức tối đa mỗi người ({format_money(case.campaign.cap_per_person)})."
                )
            for a in rules._covering.get(case.unit_id, []):
                allocation = rules.allocations[a]
                if rules.used[a][1] + extra > allocation.amount:
                    errors.add("amount", f"Vượt kinh phí phân bổ cho «{allocation.unit.name}».")
        fields["amount"] = amount
    if "bank_account" in fields or "bank_name" in fields:
        fields["bank_account"] = check_bank(
            fields.get("bank_account", case.bank_account), fields.get("bank_name", case.bank_name), errors
        )
    errors.raise_if_any()
    model_update(actor=actor, instance=case, fields=fields, unit=case.unit, clean_exclude=["search_key"])
    return case


# -- approval ----------------------------------------------------------------------------------------


def approval_chain(case: Case, day: dt.date | None = None) -> list[int]:
    """The units that approve ``case``, lowest first: the top ``approval_levels`` of the units from the
    case's unit up to the campaign's owner."""
    campaign = case.campaign
    day = day or campaign_day(campaign)
    path = [case.unit_id, *tree.ancestor_ids(case.unit_id, day)]
    if campaign.owner_id not in path:
        return [campaign.owner_id]
    path = path[: path.index(campaign.owner_id) + 1]
    if len(path) > 1:
        path = path[1:]  # a unit does not approve its own proposals, unless it owns the campaign
    return path[-campaign.approval_levels :]


def approval_chains(campaign: Campaign, unit_ids: Iterable[int], day: dt.date) -> dict[int, list[int]]:
    """``approval_chain`` for the cases of many units, from one read of the owner's subtree."""
    parent = {i: p for i, p, _ in tree.tree_rows([campaign.owner_id], day)}
    out: dict[int, list[int]] = {}
    for unit_id in unit_ids:
        if unit_id not in parent:
            out[unit_id] = [campaign.owner_id]
            continue
        path = [unit_id]
        while path[-1] != campaign.owner_id:
            up = parent[path[-1]]
            assert up is not None  # only the owner, the root, has no parent here
            path.append(up)
        if len(path) > 1:
            path = path[1:]
        out[unit_id] = path[-campaign.approval_levels :]
    return out


def _not_in_chain(unit: OrgUnit) -> ValidationError:
    return ValidationError({"unit": f"«{unit.name}» không thuộc cấp duyệt tiếp theo của hồ sơ này."})


@transaction.atomic
def case_approve(*, actor: Any, case: Case, unit: OrgUnit, approve: bool = True, note: str = "") -> Case:
    """One level's decision on one case: ``unit`` must be the next approver in the case's chain."""
    require_writable(actor, unit)
    case = Case.objects.select_for_update().select_related("campaign").get(pk=case.pk)
    chain = approval_chain(case)
    level = case.approved_levels + 1
    if case.state == CaseState.PROPOSED and chain[case.approved_levels] != unit.pk:
        raise _not_in_chain(unit)
    if not approve:
        to = CaseState.REJECTED
    else:
        to = CaseState.APPROVED if level == len(chain) else CaseState.PROPOSED
    state_step(  # refuses a case that is not waiting for approval
        actor=actor,
        instance=case,
        allowed=[CaseState.PROPOSED],
        to=to,
        action="duyệt",
        unit=unit,
        fields={"approved_levels": level if approve else case.approved_levels},
        note=("duyệt" if approve else "không duyệt") + f" cấp {level}" + (f": {note}" if note else ""),
    )
    CaseApproval.objects.create(
        case=case, level=level, unit=unit, approved=approve, decided_on=timezone.localdate()
    )
    return case


@transaction.atomic
def cases_approve_batch(
    *, actor: Any, campaign: Campaign, unit: OrgUnit, case_ids: Iterable[int] | None = None
) -> int:
    """Approve, as ``unit``, every proposed case of the campaign whose next approver it is (or those of
    ``case_ids``; one of them not waiting for ``unit`` refuses the whole batch). One audit entry for
    the batch, naming the count. Returns the number approved.

    Set-based: the chain depends only on a case's unit, so the cases are taken by (unit, levels
    approved) groups; per group of the same step one ``INSERT … SELECT`` writes the approvals and one
    ``UPDATE`` moves the cases, whatever their number (100,000 cases: two statements per step)."""
    require_writable(actor, unit)
    day = campaign_day(campaign)
    proposed = Case.objects.filter(campaign=campaign, state=CaseState.PROPOSED).order_by()
    ids: list[int] | None = None
    if case_ids is not None:
        ids = sorted(set(case_ids))
        proposed = proposed.filter(pk__in=ids)
        if proposed.count() != len(ids):
            raise ValidationError({"__all__": "Có hồ sơ không ở trạng thái chờ duyệt."})
    groups = list(proposed.values_list("unit_id", "approved_levels").annotate(n=Count("pk")))
    chains = approval_chains(campaign, {g[0] for g in groups}, day)
    steps: dict[tuple[int, bool], list[int]] = {}  # (levels approved, final) -> units
    for unit_id, levels, _ in groups:
        chain = chains[unit_id]
        if levels < len(chain) and chain[levels] == unit.pk:
            steps.setdefault((levels, levels + 1 == len(chain)), []).append(unit_id)
        elif ids is not None:
            raise _not_in_chain(unit)
    today = timezone.localdate()
    approvals = CaseApproval._meta.db_table
    done = 0
    for (levels, final), unit_ids in sorted(steps.items()):
        for i in range(0, len(unit_ids), 500):
            these = proposed.filter(approved_levels=levels, unit_id__in=unit_ids[i : i + 500])
            select = these.annotate(
                _level=Value(levels + 1, output_field=IntegerField()),
                _unit=Value(unit.pk, output_field=IntegerField()),
                _approved=Value(True, output_field=BooleanField()),
                _on=Value(today, output_field=DateField()),
            ).values_list("pk", "_level", "_unit", "_approved", "_on")
            sql, params = select.query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {approvals} (case_id, level, unit_id, approved, decided_on) {sql}", params
                )
                inserted = cursor.rowcount
            moved = these.update(
                approved_levels=levels + 1, state=CaseState.APPROVED if final else CaseState.PROPOSED
            )
            if inserted != moved:  # a case changed between the two statements: nothing is kept
                raise ValidationError({"__all__": "Danh sách chờ duyệt vừa thay đổi; hãy duyệt lại."})
            done += moved
    if done:
        after: dict[str, Any] = {"approved": done, "campaign": campaign.code}
        if ids and len(ids) <= 200:
            after["cases"] = ids
        audit_log(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            object_type="care.case.batch",
            object_id=campaign.code,
            object_repr=f"Duyệt {done} hồ sơ – {campaign.name}"[:255],
            unit=unit,
            after=after,
            note="duyệt theo lô",
        )
    return done


# -- payment and reversal ------------------------------------------------------------------------------


@transaction.atomic
def case_pay(
    *,
    actor: Any,
    case: Case,
    method: str,
    paid_on: dt.date | None = None,
    bank_account: str = "",
    bank_name: str = "",
    items: str = "",
) -> Payment:
    require_writable(actor, case.unit)
    case = Case.objects.select_for_update().get(pk=case.pk)
    errors = Problems()
    paid_on = paid_on or timezone.localdate()
    if case.state == CaseState.PAID:
        errors.add("__all__", "Hồ sơ này đã chi: mỗi người chỉ được chi một lần.")
    elif case.state != CaseState.APPROVED:
        errors.add(
            "__all__",
            f"Chưa chi được: hồ sơ đang ở trạng thái «{case.get_state_display()}», chưa được duyệt.",
        )
    if method not in PaymentMethod.values:
        errors.add("method", "Hình thức chi không hợp lệ.")
    if paid_on > timezone.localdate():
        errors.add("paid_on", f"Ngày chi {format_date(paid_on)} ở tương lai.")
    if paid_on < case.proposed_on:
        errors.add("paid_on", "Ngày chi trước ngày đề xuất.")
    account = ""
    if method == PaymentMethod.BANK:
        account = check_bank(bank_account or case.bank_account, bank_name or case.bank_name, errors)
        if not account and "bank_account" not in errors.by_field:
            errors.add("bank_account", "Chuyển khoản cần số tài khoản.")
    if method == PaymentMethod.IN_KIND and not (items or "").strip():
        errors.add("items", "Ghi hiện vật và số lượng (ví dụ: 1 thùng mì, 10 kg gạo).")
    errors.raise_if_any()
    payment = Payment.objects.create(
        case=case,
        method=method,
        paid_on=paid_on,
        amount=case.amount,
        bank_account=account,
        bank_name=(bank_name or case.bank_name) if account else "",
        items=(items or "").strip(),
    )
    state_step(
        actor=actor,
        instance=case,
        allowed=[CaseState.APPROVED],
        to=CaseState.PAID,
        action="chi",
        unit=case.unit,
        dates={"paid_on": paid_on},
        note=f"chi: {payment.get_method_display()}, {format_money(case.amount)}",
    )
    return payment


@transaction.atomic
def cases_pay_batch(
    *, actor: Any, campaign: Campaign, unit: OrgUnit, method: str, paid_on: dt.date | None = None
) -> int:
    """Mark every approved case under ``unit`` paid (after the bank confirmed the file, or the cash
    list came back signed); bank transfers need each case's account. One audit entry."""
    require_writable(actor, unit)
    paid_on = paid_on or timezone.localdate()
    if method not in PaymentMethod.values or method == PaymentMethod.IN_KIND:
        raise ValidationError({"method": "Chi theo lô bằng tiền mặt hoặc chuyển khoản."})
    qs = Case.objects.filter(
        campaign=campaign,
        state=CaseState.APPROVED,
        unit_id__in=tree.in_subtree([unit.pk], campaign_day(campaign)),
    )
    if method == PaymentMethod.BANK:
        qs = qs.exclude(bank_account="")
    rows = list(qs.values_list("pk", "amount", "bank_account", "bank_name", "proposed_on"))
    if any(p > paid_on for *_, p in rows):
        raise ValidationError({"paid_on": "Ngày chi trước ngày đề xuất của một số hồ sơ."})
    for i in range(0, len(rows), 5000):
        part = rows[i : i + 5000]
        Payment.objects.bulk_create(
            [
                Payment(
                    case_id=pk,
                    method=method,
                    paid_on=paid_on,
                    amount=amount,
                    bank_account=account if method == PaymentMethod.BANK else "",
                    bank_name=bank if method == PaymentMethod.BANK else "",
                )
                for pk, amount, account, bank, _ in part
            ]
        )
        Case.objects.filter(pk__in=[r[0] for r in part]).update(state=CaseState.PAID, paid_on=paid_on)
    if rows:
        audit_log(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            object_type="care.case.batch",
            object_id=campaign.code,
            object_repr=f"Chi {len(rows)} hồ sơ – {campaign.name}"[:255],
            unit=unit,
            after={"paid": len(rows), "method": method, "amount": sum(r[1] for r in rows)},
            note="chi theo lô",
        )
    return len(rows)


@transaction.atomic
def case_reverse(*, actor: Any, case: Case, reason: str, on: dt.date | None = None) -> Reversal:
    """The correction of a paid case: a reversal of the whole amount (the case itself is not edited);
    the person may then get a corrected case."""
    require_writable(actor, case.unit)
    case = Case.objects.select_for_update().get(pk=case.pk)
    errors = Problems()
    on = on or timezone.localdate()
    if case.state != CaseState.PAID:
        errors.add("__all__", "Chỉ hoàn được hồ sơ đã chi.")
    if not (reason or "").strip():
        errors.add("reason", "Ghi lý do điều chỉnh.")
    if case.paid_on and on < case.paid_on:
        errors.add("on", "Ngày điều chỉnh trước ngày chi.")
    errors.raise_if_any()
    reversal = Reversal.objects.create(case=case, amount=-case.amount, reversed_on=on, reason=reason.strip())
    state_step(
        actor=actor,
        instance=case,
        allowed=[CaseState.PAID],
        to=CaseState.REVERSED,
        action="hoàn",
        unit=case.unit,
        note=f"điều chỉnh {format_money(reversal.amount)}: {reason.strip()}",
    )
    return reversal


@transaction.atomic
def document_attach(*, actor: Any, case: Case, name: str, data: bytes) -> CaseDocument:
    """A photo or scan: JPEG, PNG or PDF by content (not by name), at most 10 MB."""
    require_writable(actor, case.unit)
    kind = next((t for magic, t in DOCUMENT_TYPES.items() if data.startswith(magic)), None)
    if kind is None:
        raise ValidationError({"file": f"Tệp «{name}» không phải ảnh JPEG, PNG hay PDF."})
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ValidationError({"file": f"Tệp «{name}» lớn hơn 10 MB."})
    doc = CaseDocument.objects.create(case=case, name=name[:200], content_type=kind, data=data)
    audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=doc, object_repr=name, unit=case.unit)
    return doc


# -- Mái ấm Công đoàn and welfare deals ---------------------------------------------------------------


@transaction.atomic
def house_create(
    *,
    actor: Any,
    unit: OrgUnit,
    beneficiary: str,
    started_on: dt.date,
    amount: int | None = None,
    repair: bool = False,
    contributors: str = "",
    handed_over_on: dt.date | None = None,
    campaign: Campaign | None = None,
) -> House:
    require_writable(actor, unit)
    errors = Problems()
    amount = whole_dong(house_amount_default() if amount is None else amount, errors)
    if not (beneficiary or "").strip():
        errors.add("beneficiary", "Chưa nhập người được hỗ trợ.")
    if started_on > timezone.localdate():
        errors.add("started_on", f"Ngày khởi công {format_date(started_on)} ở tương lai.")
    if handed_over_on and handed_over_on < started_on:
        errors.add("handed_over_on", "Ngày bàn giao trước ngày khởi công.")
    errors.raise_if_any()
    house = House.objects.create(
        unit=unit,
        campaign=campaign,
        beneficiary=nfc(beneficiary.strip()),
        repair=repair,
        amount=amount,
        contributors=contributors or "",
        started_on=started_on,
        handed_over_on=handed_over_on,
    )
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=house,
        unit=unit,
        after=snapshot(house, ["beneficiary", "amount", "repair", "started_on", "handed_over_on"]),
    )
    return house


@transaction.atomic
def deal_create(
    *,
    actor: Any,
    unit: OrgUnit,
    partner: str,
    offer: str,
    signed_on: dt.date,
    discount_percent: int | None = None,
    valid_until: dt.date | None = None,
    how_to_claim: str = "",
) -> WelfareDeal:
    require_writable(actor, unit)
    errors = Problems()
    if not (partner or "").strip():
        errors.add("partner", "Chưa nhập đối tác.")
    if not (offer or "").strip():
        errors.add("offer", "Chưa nhập nội dung ưu đãi.")
    if discount_percent is not None and not 0 < discount_percent <= 100:
        errors.add("discount_percent", "Mức giảm giá từ 1 đến 100%.")
    if valid_until and valid_until < signed_on:
        errors.add("valid_until", "Ngày hết hiệu lực trước ngày ký.")
    errors.raise_if_any()
    deal = WelfareDeal.objects.create(
        unit=unit,
        partner=nfc(partner.strip()),
        offer=nfc(offer.strip()),
        discount_percent=discount_percent,
        signed_on=signed_on,
        valid_until=valid_until,
        how_to_claim=how_to_claim or "",
        search_key=fold(f"{partner} {offer}")[:400],
    )
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=deal,
        unit=unit,
        after=snapshot(deal, ["partner", "offer", "discount_percent", "signed_on", "valid_until"]),
    )
    return deal
