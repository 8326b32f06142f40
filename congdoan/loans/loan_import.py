"""``congdoan import loans FILE``: loan projects and their borrowers' applications from a spreadsheet
(a fund moving off its Excel book, or a CĐCS's list typed once).

Columns (Vietnamese headers accepted): ``project_code,cdcs_code,product_code,submitted_on,cccd,amount,
term`` and, optionally, ``project_name,full_name,purpose``. The rows of one project share its code; its
CĐCS, product, day and name must agree on every row. Each project is created by the same service as the
page (``services.project_create``: the product's amounts and terms, membership of the CĐCS that day,
one active loan per borrower, the officer's scope), so the rules are the page's; every problem is
reported with its row and column, and nothing is stored unless the whole file is good
(``imports.reader.write_all_or_nothing``). A project already stored with the very same borrowers,
amounts and terms is unchanged, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

from congdoan.accounts.scope import OutOfScope
from congdoan.core.formatting import parse_amount
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
    write_all_or_nothing,
)
from congdoan.imports.steps import columns_line, finish_import, read_rows
from congdoan.members.models import Person
from congdoan.org.models import OrgUnit
from congdoan.org.selectors import units_by_code

from . import selectors, services
from .models import Product, Project

KIND = "loans"
COLUMNS = [
    Column("project_code", "Mã dự án", aliases=("Dự án", "Mã DA")),
    Column("cdcs_code", "Mã CĐCS", aliases=("Mã đơn vị", "CĐCS", "Đơn vị")),
    Column("product_code", "Mã sản phẩm", aliases=("Sản phẩm", "Sản phẩm vay")),
    Column("submitted_on", "Ngày lập", aliases=("Ngày lập dự án", "Ngày đề nghị")),
    Column("cccd", "Số CCCD", aliases=("CCCD", "CCCD/CMND", "Số căn cước")),
    Column("amount", "Số tiền vay", aliases=("Số tiền", "Số tiền (đồng)", "Số tiền vay (đồng)")),
    Column("term", "Thời hạn", aliases=("Thời hạn (kỳ)", "Số kỳ", "Thời hạn vay")),
    Column("project_name", "Tên dự án", required=False, aliases=("Tên DA",)),
    Column("full_name", "Họ và tên", required=False, aliases=("Họ tên", "Người vay")),
    Column("purpose", "Mục đích vay", required=False, aliases=("Mục đích",)),
]
HEADER = columns_line(COLUMNS)
# A problem the service reports about the project, and the column the user will fix it in.
PROJECT_FIELD_COLUMN = {
    "code": "project_code",
    "name": "project_name",
    "cdcs": "cdcs_code",
    "product": "product_code",
    "submitted_on": "submitted_on",
}
BORROWER_FIELD_COLUMN = {"amount": "amount", "term": "term", "person": "cccd"}
BORROWER_KEY = re.compile(r"^borrowers\[(\d+)\]\.(\w+)$")


def cell_whole(value: Cell, what: str) -> int:
    """A whole number cell (an amount in đồng, a term in periods); raises ValueError in Vietnamese."""
    if isinstance(value, bool):
        raise ValueError(f"{what} không hợp lệ.")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValueError(f"{what} «{cell_text(value)}» phải là số nguyên.")
    text = cell_text(value)
    if not text:
        raise ValueError(f"Chưa nhập {what.lower()}.")
    try:
        return parse_amount(text)
    except ValueError:
        raise ValueError(f"{what} «{text}» không hợp lệ.") from None


@dataclass
class _Group:
    """The rows of one project code, and what its first row says about the project."""

    code: str
    rows: list[Row] = field(default_factory=list)
    cdcs: OrgUnit | None = None
    product: Product | None = None
    submitted_on: dt.date | None = None
    name: str = ""
    applications: list[services.Application] = field(default_factory=list)


def import_loans(
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

    units = units_by_code(actor, {cell_text(r.get("cdcs_code")) for r in rows}, writable=True)
    products_qs = Product.objects.all() if actor is None else selectors.product_list(user=actor)
    product_codes = {cell_text(r.get("product_code")).upper() for r in rows}
    products = {p.code.upper(): p for p in products_qs.filter(code__in=product_codes).select_related("fund")}
    cccds = {cell_text(r.get("cccd")).replace(" ", "") for r in rows}
    people = {p.cccd: p for p in Person.objects.filter(cccd__in=[c for c in cccds if c])}

    groups: dict[str, _Group] = {}
    for row in rows:
        code = cell_text(row.get("project_code")).upper()
        if not code:
            errors.append(row.error("project_code", "Chưa nhập mã dự án."))
            continue
        group = groups.get(code)
        first = group is None
        if group is None:
            group = groups[code] = _Group(code)
        group.rows.append(row)
        errors.extend(_project_cells(row, group, first, units, products))
        raw = cell_text(row.get("cccd")).replace(" ", "")
        person = people.get(raw)
        problems: list[RowError] = []
        if not raw:
            problems.append(row.error("cccd", "Chưa nhập số CCCD của người vay."))
        elif person is None:
            problems.append(row.error("cccd", f"Không tìm thấy đoàn viên có CCCD «{raw}»."))
        else:
            given = cell_text(row.get("full_name"))
            if given and fold(given) != fold(person.full_name):
                problems.append(
                    row.error(
                        "full_name",
                        f"Họ tên «{given}» không khớp với đoàn viên có CCCD «{raw}» ({person.full_name}).",
                    )
                )
        amount = term = 0
        try:
            amount = cell_whole(row.get("amount"), "Số tiền vay")
        except ValueError as exc:
            problems.append(row.error("amount", str(exc)))
        try:
            term = cell_whole(row.get("term"), "Thời hạn")
        except ValueError as exc:
            problems.append(row.error("term", str(exc)))
        errors.extend(problems)
        if not problems and person is not None:
            group.applications.append(
                services.Application(person, amount, term, cell_text(row.get("purpose"))[:255])
            )

    new: list[_Group] = []
    stored = {p.code: p for p in Project.objects.filter(code__in=list(groups))}
    for group in groups.values():
        project = stored.get(group.code)
        if project is None:
            new.append(group)
        elif _same(project, group):
            result.unchanged += len(group.rows)
        else:
            errors.append(
                group.rows[0].error(
                    "project_code",
                    f"Dự án «{group.code}» đã có với CĐCS hoặc danh sách người vay khác; "
                    "không sửa dự án đã lập qua tệp nhập.",
                )
            )

    def write(groups: list[_Group]) -> None:
        problems: list[RowError] = []
        for group in groups:
            assert group.cdcs is not None and group.product is not None and group.submitted_on is not None
            try:
                services.project_create(
                    actor=actor,
                    cdcs=group.cdcs,
                    product=group.product,
                    code=group.code,
                    name=group.name or f"Dự án {group.code}",
                    submitted_on=group.submitted_on,
                    borrowers=group.applications,
                )
            except OutOfScope:
                problems.append(
                    group.rows[0].error(
                        "cdcs_code", f"«{group.cdcs.code}» không thuộc phạm vi bạn được quyền thay đổi."
                    )
                )
            except ValidationError as exc:
                problems.extend(_row_errors(exc, group))
            else:
                result.created += len(group.rows)
        if problems:  # every project tried: all their problems at once, and nothing stored
            raise ImportFailed(sorted(problems, key=lambda e: (e.row, e.column)))

    if errors:
        # The projects whose rows read well still go through the service (always rolled back), so
        # that the file's every problem is reported at once: the cells' and the rules'.
        bad_rows = {e.row for e in errors}
        clean = [g for g in new if not any(r.number in bad_rows for r in g.rows)]
        try:
            write_all_or_nothing(lambda: write(clean), dry_run=True)
        except ImportFailed as exc:
            errors.extend(exc.errors)

    return finish_import(
        result,
        errors,
        lambda: write(new),
        actor=actor,
        kind=KIND,
        dry_run=dry_run,
        audit_extra=lambda: {"projects": len(new)},
    )


def _project_cells(
    row: Row, group: _Group, first: bool, units: dict[str, OrgUnit], products: dict[str, Product]
) -> list[RowError]:
    """The project's cells of ``row``: read on its first row, the same on every other row."""
    out: list[RowError] = []
    unit_code = cell_text(row.get("cdcs_code"))
    product_code = cell_text(row.get("product_code")).upper()
    name = cell_text(row.get("project_name"))[:255]
    bad_day = False
    try:
        day = cell_date(row.get("submitted_on"))
    except ValueError as exc:
        out.append(row.error("submitted_on", str(exc)))
        day, bad_day = None, True
    if first:
        group.cdcs = units.get(unit_code)
        if group.cdcs is None:
            out.append(
                row.error("cdcs_code", f"Không tìm thấy CĐCS «{unit_code}» trong phạm vi được quyền nhập.")
            )
        group.product = products.get(product_code)
        if group.product is None:
            out.append(row.error("product_code", f"Không có sản phẩm cho vay «{product_code}»."))
        group.submitted_on = day
        if day is None and not bad_day:
            out.append(row.error("submitted_on", "Chưa nhập ngày lập dự án."))
        group.name = name
        return out
    number = group.rows[0].number
    if group.cdcs is not None and unit_code != group.cdcs.code:
        out.append(row.error("cdcs_code", f"Dự án «{group.code}»: CĐCS khác với dòng {number}."))
    if group.product is not None and product_code != group.product.code.upper():
        out.append(row.error("product_code", f"Dự án «{group.code}»: sản phẩm khác với dòng {number}."))
    if group.submitted_on is not None and day is not None and day != group.submitted_on:
        out.append(row.error("submitted_on", f"Dự án «{group.code}»: ngày lập khác với dòng {number}."))
    if name and group.name and name != group.name:
        out.append(row.error("project_name", f"Dự án «{group.code}»: tên dự án khác với dòng {number}."))
    group.name = group.name or name
    return out


def _same(project: Project, group: _Group) -> bool:
    """Whether the stored project is the one the rows describe (same CĐCS, borrowers, amounts, terms)."""
    if group.cdcs is None or project.cdcs_id != group.cdcs.pk or len(group.applications) != len(group.rows):
        return False
    stored = sorted(project.loans.values_list("person_id", "amount", "term"))
    return stored == sorted((a.person.pk, a.amount, a.term) for a in group.applications)


def _row_errors(exc: ValidationError, group: _Group) -> list[RowError]:
    """The service's problems, each on the row and column of the file it comes from."""
    out: list[RowError] = []
    for key, messages in exc.message_dict.items():
        match = BORROWER_KEY.match(key)
        if match:
            k, part = int(match.group(1)), match.group(2)
            row = group.rows[k - 1] if 0 < k <= len(group.rows) else group.rows[0]
            column = BORROWER_FIELD_COLUMN.get(part, "cccd")
        else:
            row, column = group.rows[0], PROJECT_FIELD_COLUMN.get(key, "project_code")
        out.extend(row.error(column, message) for message in messages)
    return out
