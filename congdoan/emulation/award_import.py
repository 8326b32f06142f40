"""``congdoan import emulation-awards FILE``: award proposals, and their decisions when already signed.

Columns (Vietnamese headers accepted): ``unit_code,form,level,year`` and, optionally,
``cccd,achievement,absent_days,months_employed,disciplined,issuer_code,decision_number,decision_date,
signer``. A row with a CCCD proposes the member (an individual award of ``unit_code``), without one
the unit itself (a collective award). ``form`` and ``level`` are the codes or the labels of the
pages ("Bằng khen", "LĐLĐ tỉnh, thành phố"). A row with a decision number and date is awarded by that
decision of ``issuer_code`` (the rows of one number make one decision).

The rules are ``services.proposal_create``'s and ``services.decision_create``'s: the eligibility rules
(``EMULATION_AWARD_RULES``: days absent, months employed, discipline, registration) refuse a row with
the reason; one proposal per recipient, form and year; a decision number used once per issuer; the
recipient under the issuer. Every problem is reported with its row and column, nothing is stored
unless the whole file is good; registrations, people, earlier proposals and decisions are read in
batches before the rows are checked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from congdoan.accounts.scope import OutOfScope
from congdoan.core.text import fold
from congdoan.imports.reader import (
    Cell,
    Column,
    ImportFailed,
    ImportResult,
    ProgressCallback,
    Row,
    RowError,
    Source,
    cell_date,
    cell_text,
)
from congdoan.imports.steps import columns_line, finish_import, read_rows
from congdoan.members.models import Person
from congdoan.org import tree
from congdoan.org.models import OrgUnit
from congdoan.org.selectors import units_by_code

from . import services
from .models import AwardDecision, AwardForm, AwardLevel, AwardProposal, ProposalState, Registration

KIND = "emulation-awards"
COLUMNS = [
    Column("unit_code", "Mã đơn vị", aliases=("Mã CĐCS", "Đơn vị")),
    Column("form", "Hình thức", aliases=("Hình thức khen thưởng",)),
    Column("level", "Cấp khen", aliases=("Cấp khen thưởng", "Cấp")),
    Column("year", "Năm", aliases=("Năm thi đua",)),
    Column("cccd", "Số CCCD", required=False, aliases=("CCCD", "Số căn cước")),
    Column("achievement", "Thành tích", required=False, aliases=("Tóm tắt thành tích",)),
    Column("absent_days", "Số ngày nghỉ", required=False, aliases=("Ngày nghỉ",)),
    Column("months_employed", "Số tháng công tác", required=False, aliases=("Tháng công tác",)),
    Column("disciplined", "Bị kỷ luật", required=False, aliases=("Kỷ luật",)),
    Column("issuer_code", "Đơn vị quyết định", required=False, aliases=("Mã đơn vị quyết định",)),
    Column("decision_number", "Số quyết định", required=False, aliases=("Số QĐ",)),
    Column("decision_date", "Ngày quyết định", required=False, aliases=("Ngày ký", "Ngày QĐ")),
    Column("signer", "Người ký", required=False),
]
HEADER = columns_line(COLUMNS)
YES = {"1", "x", "co", "yes", "true", "bi ky luat"}
NO = {"", "0", "khong", "no", "false"}


def _choice(value: Cell, choices: list[tuple[str, str]]) -> str | None:
    key = fold(cell_text(value))
    for code, label in choices:
        if key in (fold(code), fold(str(label))):
            return code
    return None


def _count(row: Row, key: str, default: int, errors: list[RowError], label: str) -> int:
    text = cell_text(row.get(key))
    if text == "":
        return default
    if text.isdigit() and int(text) < 10_000:
        return int(text)
    errors.append(row.error(key, f"{label} «{text}» phải là số nguyên không âm."))
    return default


@dataclass
class _Decision:
    issuer: OrgUnit
    number: str
    signed_on: dt.date
    signer: str
    first: Row
    rows: list[int] = field(default_factory=list)


def import_awards(
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
    today = timezone.localdate()

    codes = {cell_text(r.get("unit_code")) for r in rows} | {cell_text(r.get("issuer_code")) for r in rows}
    units = units_by_code(actor, codes, writable=True)
    cccds = {"".join(ch for ch in cell_text(r.get("cccd")) if ch.isdigit()) for r in rows} - {""}
    people = {p.cccd: p for p in Person.objects.filter(cccd__in=cccds)}
    unit_ids = {u.pk for u in units.values()}
    registered = set(
        Registration.objects.filter(unit_id__in=unit_ids).values_list("unit_id", "person_id", "year")
    )
    proposed: set[tuple[int, int | None, int, str]] = set(
        AwardProposal.objects.filter(unit_id__in=unit_ids)
        .exclude(state=ProposalState.REFUSED)
        .values_list("unit_id", "person_id", "year", "form")
    )
    used_numbers = set(
        AwardDecision.objects.filter(issuer_id__in=unit_ids).values_list("issuer_id", "number")
    )
    ancestors: dict[tuple[int, dt.date], set[int]] = {}

    proposals: list[tuple[Row, dict[str, Any], _Decision | None]] = []
    is_registered = False
    decisions: dict[tuple[int, str], _Decision] = {}
    for row in rows:
        found: list[RowError] = []
        code = cell_text(row.get("unit_code"))
        unit = units.get(code)
        if unit is None:
            found.append(
                row.error("unit_code", f"Không tìm thấy đơn vị «{code}» trong phạm vi được quyền nhập.")
            )
        form = _choice(row.get("form"), AwardForm.choices)
        if form is None:
            found.append(
                row.error("form", f"Hình thức khen thưởng «{cell_text(row.get('form'))}» không hợp lệ.")
            )
        level = _choice(row.get("level"), AwardLevel.choices)
        if level is None:
            found.append(row.error("level", f"Cấp khen thưởng «{cell_text(row.get('level'))}» không hợp lệ."))
        year_text = cell_text(row.get("year"))
        year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2100 else None
        if year is None:
            found.append(row.error("year", f"Năm «{year_text}» không hợp lệ."))
        person = None
        raw_cccd = cell_text(row.get("cccd"))
        if raw_cccd:
            digits = "".join(ch for ch in raw_cccd if ch.isdigit())
            person = people.get(digits)
            if person is None:
                found.append(row.error("cccd", f"Không tìm thấy người có số CCCD «{raw_cccd}»."))
        absent = _count(row, "absent_days", 0, found, "Số ngày nghỉ")
        months = _count(row, "months_employed", 12, found, "Số tháng công tác")
        flag = fold(cell_text(row.get("disciplined")))
        if flag not in YES | NO:
            found.append(
                row.error("disciplined", f"«{cell_text(row.get('disciplined'))}»: ghi «Có» hoặc «Không».")
            )
        disciplined = flag in YES
        decision = None
        number = cell_text(row.get("decision_number"))
        try:
            signed_on = cell_date(row.get("decision_date"))
        except ValueError as exc:
            found.append(row.error("decision_date", str(exc)))
            signed_on = None
        if number or signed_on:
            issuer_code = cell_text(row.get("issuer_code"))
            issuer = units.get(issuer_code)
            if not number:
                found.append(row.error("decision_number", "Có ngày quyết định nhưng chưa có số quyết định."))
            if signed_on is None and number:
                found.append(row.error("decision_date", "Có số quyết định nhưng chưa có ngày ký."))
            elif signed_on is not None and signed_on > today:
                found.append(row.error("decision_date", f"Ngày ký {signed_on:%d/%m/%Y} ở tương lai."))
            if issuer is None:
                found.append(
                    row.error(
                        "issuer_code",
                        f"Không tìm thấy đơn vị quyết định «{issuer_code}» trong phạm vi được quyền nhập.",
                    )
                )
            elif number and (issuer.pk, number) in used_numbers:
                found.append(row.error("decision_number", f"Số quyết định «{number}» đã được dùng."))
            elif unit is not None and signed_on is not None and unit.pk != issuer.pk:
                day = min(signed_on, today)
                if (unit.pk, day) not in ancestors:
                    ancestors[(unit.pk, day)] = set(tree.ancestor_ids(unit.pk, day))
                if issuer.pk not in ancestors[(unit.pk, day)]:
                    found.append(row.error("issuer_code", f"«{unit.name}» không thuộc «{issuer.name}»."))
            if issuer is not None and number and signed_on is not None:
                decision = decisions.get((issuer.pk, number))
                if decision is None:
                    signer = cell_text(row.get("signer"))
                    decision = decisions[(issuer.pk, number)] = _Decision(
                        issuer, number, signed_on, signer, row
                    )
                elif decision.signed_on != signed_on:
                    found.append(
                        row.error(
                            "decision_date",
                            f"Quyết định số {number} đã ghi ngày {decision.signed_on:%d/%m/%Y} ở dòng "
                            f"{decision.first.number}.",
                        )
                    )
        known = unit is not None and year is not None and form is not None and level is not None
        if known and (person is not None or not raw_cccd):
            assert unit is not None and year is not None and form is not None
            who = person.full_name if person else unit.name
            key = (unit.pk, person.pk if person else None, year, form)
            if key in proposed:
                label = AwardForm(form).label
                found.append(row.error("form", f"«{who}» đã được đề nghị «{label}» năm {year}."))
            proposed.add(key)
            is_registered = (unit.pk, person.pk if person else None, year) in registered
            reasons = services.eligibility(
                unit=unit,
                person=person,
                year=year,
                absent_days=absent,
                months_employed=months,
                disciplined=disciplined,
                registered=is_registered,
            )
            column = "cccd" if person is not None else "unit_code"
            found.extend(row.error(column, f"Không đủ điều kiện khen thưởng: {r}") for r in reasons)
        errors.extend(found)
        if found:
            continue
        assert unit is not None and year is not None and form is not None and level is not None
        data = {
            "unit": unit,
            "person": person,
            "year": year,
            "form": form,
            "level": level,
            "achievement": cell_text(row.get("achievement")),
            "absent_days": absent,
            "months_employed": months,
            "disciplined": disciplined,
            "registered": is_registered,
        }
        proposals.append((row, data, decision))

    def write() -> None:
        failed: list[RowError] = []
        chosen: dict[tuple[int, str], list[AwardProposal]] = {}
        for row, data, decision in proposals:
            try:
                proposal = services.proposal_create(actor=actor, **data)
            except ValidationError as exc:
                failed.extend(row.error("unit_code", m) for m in exc.messages)
                continue
            except OutOfScope:
                failed.append(row.error("unit_code", "Không được đề nghị khen thưởng cho đơn vị này."))
                continue
            result.created += 1
            if decision is not None:
                chosen.setdefault((decision.issuer.pk, decision.number), []).append(proposal)
        for key, decision in decisions.items():
            try:
                services.decision_create(
                    actor=actor,
                    issuer=decision.issuer,
                    number=decision.number,
                    signed_on=decision.signed_on,
                    proposals=chosen.get(key, []),
                    signer=decision.signer,
                )
            except ValidationError as exc:
                failed.extend(decision.first.error("decision_number", m) for m in exc.messages)
            except OutOfScope:
                failed.append(decision.first.error("issuer_code", "Không được ra quyết định cho đơn vị này."))
        if failed:
            raise ImportFailed(failed)

    return finish_import(result, errors, write, actor=actor, kind=KIND, dry_run=dry_run)
