"""``congdoan import care-cases FILE``: a campaign's list of cases (a Tết list of 100,000 gifts).

Columns (Vietnamese headers accepted): ``campaign_code,unit_code,full_name,cccd,amount`` and,
optionally, ``employer,reason,bank_account,bank_name,proposed_on``. Every row is checked by the same
rules as a case entered on the page (``services.CaseRules``: one case per CCCD per campaign, the caps,
the allocations, non-members, whole đồng, bank account digits), against the database and against the
rows above it; every problem is reported with its row and column and nothing is stored unless the
whole file is good (``imports.reader.write_all_or_nothing``). A row whose person already has the very
same case (unit and amount) is unchanged, so importing the same file twice changes nothing. The cases
are written in bulk with one audit entry for the file.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, connection
from django.db.models.expressions import RawSQL
from django.utils import timezone

from congdoan.core.formatting import parse_amount
from congdoan.imports.reader import (
    Cell,
    Column,
    ImportFailed,
    ImportResult,
    ProgressCallback,
    Source,
    cell_date,
    cell_text,
)
from congdoan.imports.steps import columns_line, finish_import, read_rows
from congdoan.members.member_import_writes import Inserter, OrmInserter, RawInserter
from congdoan.members.models import Membership, active_on_q
from congdoan.org import tree
from congdoan.org.selectors import units_by_code

from . import services
from .models import LIVE_STATES, Campaign, Case

KIND = "care-cases"
COLUMNS = [
    Column("campaign_code", "Mã chương trình", aliases=("Chương trình", "Mã đợt")),
    Column("unit_code", "Mã đơn vị", aliases=("Mã CĐCS", "Đơn vị", "cdcs_code")),
    Column("full_name", "Họ và tên", aliases=("Họ tên", "Tên")),
    Column("cccd", "Số CCCD", aliases=("CCCD", "Số căn cước", "CCCD/CMND")),
    Column("amount", "Số tiền", aliases=("Số tiền (đồng)", "Mức hỗ trợ", "Thành tiền")),
    Column("employer", "Nơi làm việc", required=False, aliases=("Doanh nghiệp", "Đơn vị công tác")),
    Column("reason", "Hoàn cảnh", required=False, aliases=("Lý do", "Hoàn cảnh khó khăn")),
    Column("bank_account", "Số tài khoản", required=False, aliases=("STK", "Tài khoản")),
    Column("bank_name", "Ngân hàng", required=False, aliases=("Tên ngân hàng",)),
    Column("proposed_on", "Ngày đề xuất", required=False, aliases=("Ngày",)),
]
HEADER = columns_line(COLUMNS)
FIELD_COLUMN = {
    "unit": "unit_code",
    "cccd": "cccd",
    "full_name": "full_name",
    "amount": "amount",
    "bank_account": "bank_account",
    "bank_name": "bank_name",
    "proposed_on": "proposed_on",
    "person": "cccd",
}
CHUNK = 5000
TEXT_KEYS = (
    "campaign_code",
    "unit_code",
    "full_name",
    "cccd",
    "employer",
    "reason",
    "bank_account",
    "bank_name",
)


def cell_amount(value: Cell) -> Any:
    """A money cell: a number (an integer or a float that must be whole) or text ("500.000", "1,5 triệu").
    Returns an int, or a Decimal with a fraction for the rules to refuse; raises ValueError on text
    that is no amount."""
    if isinstance(value, bool):
        raise ValueError("Số tiền không hợp lệ.")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else Decimal(str(value))
    return parse_amount(cell_text(value))


class _Tree:
    """The campaign owner's subtree on the campaign's day, read once: whether a CĐCS is under a unit."""

    def __init__(self, owner_id: int, day: dt.date) -> None:
        self.parent = {i: p for i, p, _ in tree.tree_rows([owner_id], day)}

    def under(self, unit_id: int, top_id: int) -> bool:
        seen = 0
        current: int | None = unit_id
        while current is not None and seen < 40:
            if current == top_id:
                return True
            current = self.parent.get(current)
            seen += 1
        return False


def import_cases(
    *,
    actor: Any,
    path_or_file: Source,
    sheet: str | int | None = None,
    dry_run: bool = False,
    progress: ProgressCallback | None = None,
) -> ImportResult:
    read = read_rows(path_or_file, COLUMNS, sheet=sheet, dry_run=dry_run, progress=progress)
    if read.failed:
        return read.result
    result, rows, errors = read.result, read.rows, read.errors
    # Every cell read once; a text seen before (a name, a bank, an amount typed the same way) is not
    # normalised again: a Tết list repeats its codes, banks, amounts and many names.
    texts: dict[Any, str] = {}

    def text(value: Cell) -> str:
        if not isinstance(value, str):
            return cell_text(value)
        found = texts.get(value)
        if found is None:
            found = texts[value] = cell_text(value)
        return found

    cells = [tuple(text(row.get(key)) for key in TEXT_KEYS) for row in rows]
    codes = {c[0].upper() for c in cells}
    campaigns = {c.code: c for c in Campaign.objects.filter(code__in=codes)}
    units = units_by_code(actor, {c[1] for c in cells}, writable=True)

    rules: dict[str, services.CaseRules] = {}
    trees: dict[str, _Tree] = {}
    existing: dict[str, dict[str, tuple[int, int]]] = {}
    members: dict[str, dict[str, tuple[Any, int]]] = {}

    def prepare(campaign: Campaign) -> None:
        rule = rules[campaign.code] = services.CaseRules(campaign)
        trees[campaign.code] = _Tree(campaign.owner_id, rule.day)
        live = Case.objects.filter(campaign=campaign, state__in=LIVE_STATES)
        existing[campaign.code] = {
            c: (u, a) for c, u, a in live.values_list("cccd", "unit_id", "amount").iterator(chunk_size=CHUNK)
        }
        wanted: list[str] = []
        for c in cells:
            if c[0].upper() != campaign.code:
                continue
            raw = c[3]
            try:
                wanted.append(rule.cccds.setdefault(raw, services.normalize_cccd(raw)))
            except ValueError:
                pass
        rule.year_totals(wanted)
        found: dict[str, tuple[Any, int]] = {}
        step = 900 if connection.vendor == "sqlite" else 50_000  # SQLite's bound parameters
        for i in range(0, len(wanted), step):
            part: Any = wanted[i : i + step]
            if connection.vendor == "postgresql":  # one array parameter, not 50,000
                part = RawSQL("SELECT unnest(%s::text[])", (part,))
            memberships = Membership.objects.filter(active_on_q(rule.day), person__cccd__in=part)
            memberships = memberships.select_related("person")
            for m in memberships:
                if m.cdcs_id in trees[campaign.code].parent:
                    found[m.person.cccd or ""] = (m.person, m.cdcs_id)
        members[campaign.code] = found

    for code in codes:
        if code in campaigns:
            prepare(campaigns[code])

    amounts: dict[Any, Any] = {}
    new_cases: list[dict[str, Any]] = []
    for row, (code, unit_code, full_name, raw_cccd, employer, reason, account, bank) in zip(
        rows, cells, strict=True
    ):
        code = code.upper()
        campaign = campaigns.get(code)
        if campaign is None:
            errors.append(row.error("campaign_code", f"Không có chương trình «{code}»."))
            continue
        unit = units.get(unit_code)
        if unit is None:
            errors.append(
                row.error("unit_code", f"Không tìm thấy đơn vị «{unit_code}» trong phạm vi được quyền nhập.")
            )
            continue
        raw_amount = row.get("amount")
        try:
            key = (type(raw_amount), raw_amount)
            amount = amounts.get(key)
            if amount is None:
                amount = amounts[key] = cell_amount(raw_amount)
        except ValueError as exc:
            errors.append(row.error("amount", str(exc)))
            continue
        try:
            proposed_on = cell_date(row.get("proposed_on"))
        except ValueError as exc:
            errors.append(row.error("proposed_on", str(exc)))
            continue
        cccd = rules[code].cccds.get(raw_cccd, "")
        before = existing[code].get(cccd) if cccd else None
        if before is not None and before == (unit.pk, amount):
            result.unchanged += 1
            continue
        person = None
        found = members[code].get(cccd)
        if found is not None and trees[code].under(found[1], unit.pk):
            person = found[0]
        given = services.CaseInput(
            unit=unit,
            amount=amount,
            cccd=raw_cccd,
            full_name=full_name,
            employer_name=employer,
            reason=reason,
            bank_account=account,
            bank_name=bank,
            proposed_on=proposed_on,
            normalised=True,
        )
        checked = rules[code].check(given, members={cccd: person} if person is not None else {})
        if checked.errors:
            for name, messages in checked.errors.messages().items():
                for message in messages:
                    errors.append(row.error(FIELD_COLUMN.get(name, "cccd"), message))
            continue
        data = checked.data
        data["campaign_id"] = data.pop("campaign").pk
        data["unit_id"] = data.pop("unit").pk
        found_person = data.pop("person")
        data["person_id"] = found_person.pk if found_person is not None else None
        new_cases.append(data)

    def write() -> None:
        # The rows as the ORM would store them, without its per-field cost (``members`` does the same).
        now = timezone.now()
        inserter: Inserter = (
            RawInserter(Case, now) if connection.vendor in RawInserter.VENDORS else OrmInserter(Case, now)
        )
        try:
            for i in range(0, len(new_cases), CHUNK):
                inserter.insert(new_cases[i : i + CHUNK])
        except IntegrityError as exc:  # another import of the same people at the same moment
            raise ImportFailed("Danh sách vừa có hồ sơ trùng được lưu cùng lúc; hãy nhập lại tệp.") from exc
        result.created = len(new_cases)

    return finish_import(result, errors, write, actor=actor, kind=KIND, dry_run=dry_run)
