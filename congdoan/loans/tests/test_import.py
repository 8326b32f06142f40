"""``congdoan import loans``: projects and their borrowers from a real XLSX with Vietnamese headers; the
same file twice; every problem with its row and column (the cells' and the rules') and nothing stored."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import openpyxl
from django.core.management import call_command

from congdoan.core.models import AuditEntry
from congdoan.loans import loan_import
from congdoan.loans.models import Loan, LoanState, Project

from .conftest import Book, cccd_of

d = dt.date
HEADER = [
    "Mã dự án",
    "Tên dự án",
    "Mã CĐCS",
    "Mã sản phẩm",
    "Ngày lập",
    "Họ và tên",
    "Số CCCD",
    "Số tiền vay",
    "Thời hạn",
    "Mục đích vay",
]


def xlsx(tmp_path: Path, rows: list[list[Any]], name: str = "du-an.xlsx") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def good_rows() -> list[list[Any]]:
    jan = d(2026, 1, 10)
    return [
        [
            "DA-GL1",
            "Chăn nuôi Gia Lâm",
            "GL1",
            "SX-24",
            jan,
            "Nguyễn Vay An",
            cccd_of(1, False),
            20_000_000,
            12,
            "chăn nuôi",
        ],
        [
            "DA-GL1",
            "Chăn nuôi Gia Lâm",
            "GL1",
            "SX-24",
            jan,
            "Nguyễn Vay Bình",
            cccd_of(2, True),
            "15.000.000",
            "12",
            "trồng rau",
        ],
        ["DA-GL1", "", "GL1", "sx-24", "10/01/2026", "", cccd_of(3, False), "10 triệu", 6, ""],
        [
            "DA-DD1",
            "Buôn bán nhỏ Đống Đa",
            "DD1",
            "SX-24",
            d(2026, 1, 12),
            "Trần Đống An",
            cccd_of(101, False),
            30_000_000,
            24,
            "bán hàng",
        ],
    ]


def test_a_good_file_then_the_same_file_again(book: Book, tmp_path: Path) -> None:
    path = xlsx(tmp_path, good_rows())
    result = loan_import.import_loans(actor=book.fed.kimlien, path_or_file=path)
    assert result.ok, [str(e) for e in result.errors]
    assert result.created == 4
    gl1 = Project.objects.get(code="DA-GL1")
    assert gl1.name == "Chăn nuôi Gia Lâm" and gl1.cdcs == book.fed.gl1 and gl1.submitted_on == d(2026, 1, 10)
    assert sorted(gl1.loans.values_list("amount", "term")) == [
        (10_000_000, 6),
        (15_000_000, 12),
        (20_000_000, 12),
    ]
    assert set(Loan.objects.values_list("state", flat=True)) == {LoanState.APPLIED}
    assert Project.objects.get(code="DA-DD1").loans.get().purpose == "bán hàng"
    again = loan_import.import_loans(actor=book.fed.kimlien, path_or_file=path)
    assert again.ok and again.created == 0 and again.unchanged == 4
    assert Loan.objects.count() == 4
    assert AuditEntry.objects.filter(object_type="import.loans").count() == 2


def test_every_problem_with_row_and_column_and_nothing_stored(book: Book, tmp_path: Path) -> None:
    jan = d(2026, 1, 10)
    rows = [
        *good_rows(),
        # a project whose cells read well but which breaks the product's rules
        [
            "DA-X",
            "Sai quy định",
            "GL1",
            "SX-24",
            jan,
            "",
            cccd_of(4, True),
            80_000_000,
            12,
            "",
        ],  # above 50 million
        [
            "DA-X",
            "Sai quy định",
            "GL1",
            "SX-24",
            jan,
            "",
            cccd_of(5, False),
            10_000_000,
            36,
            "",
        ],  # term above 24
        [
            "DA-X",
            "Sai quy định",
            "GL1",
            "SX-24",
            jan,
            "",
            cccd_of(101, False),
            10_000_000,
            12,
            "",
        ],  # not of GL1
        # cells that do not read
        [
            "DA-Y",
            "Ô sai",
            "GL2",
            "SX-24",
            jan,
            "",
            cccd_of(201, False),
            10_000_000,
            12,
            "",
        ],  # GL2: not Kim Liên's
        ["DA-Z", "Ô sai", "GL1", "KHONG-CO", "32/01/2026", "Ai Đó", "001099999999", "mười triệu", "x", ""],
        [
            "DA-GL1",
            "Chăn nuôi Gia Lâm",
            "DD1",
            "SX-24",
            jan,
            "Nguyễn Vay Sai",
            cccd_of(4, True),
            5_000_000,
            6,
            "",
        ],
    ]
    before = (Project.objects.count(), Loan.objects.count(), AuditEntry.objects.count())
    result = loan_import.import_loans(actor=book.fed.kimlien, path_or_file=xlsx(tmp_path, rows))
    assert not result.ok and result.created == 0
    found = {(e.row, e.column) for e in result.errors}
    assert found == {
        (6, "Số tiền vay"),
        (7, "Thời hạn"),
        (8, "Số CCCD"),
        (9, "Mã CĐCS"),
        (10, "Mã sản phẩm"),
        (10, "Ngày lập"),
        (10, "Số CCCD"),
        (10, "Số tiền vay"),
        (10, "Thời hạn"),
        (11, "Mã CĐCS"),
        (11, "Họ và tên"),
    }, [str(e) for e in result.errors]
    text = "\n".join(str(e) for e in result.errors)
    assert "Dòng 6, cột Số tiền vay: Nguyễn Vay Dung: số tiền 80.000.000 đ ngoài mức cho vay" in text
    assert "không phải đoàn viên đang sinh hoạt tại «CĐCS Công ty May Gia Lâm»" in text
    assert "Dòng 11, cột Mã CĐCS: Dự án «DA-GL1»: CĐCS khác với dòng 2." in text
    assert "Không tìm thấy CĐCS «GL2» trong phạm vi được quyền nhập." in text
    assert (Project.objects.count(), Loan.objects.count(), AuditEntry.objects.count()) == before


def test_a_borrower_with_an_active_loan_and_a_changed_project(book: Book, tmp_path: Path) -> None:
    assert loan_import.import_loans(actor=None, path_or_file=xlsx(tmp_path, good_rows()[:1])).ok
    rows = [
        ["DA-2", "Lần hai", "GL1", "SX-24", d(2026, 1, 15), "", cccd_of(1, False), 5_000_000, 6, ""],
        [
            "DA-GL1",
            "Chăn nuôi Gia Lâm",
            "GL1",
            "SX-24",
            d(2026, 1, 10),
            "",
            cccd_of(1, False),
            25_000_000,
            12,
            "",
        ],
    ]
    result = loan_import.import_loans(actor=None, path_or_file=xlsx(tmp_path, rows, "lan-hai.xlsx"))
    messages = {(e.row, e.column): e.message for e in result.errors}
    assert "chỉ cho vay một khoản mỗi người" in messages[(2, "Số CCCD")]
    assert "đã có với CĐCS hoặc danh sách người vay khác" in messages[(3, "Mã dự án")]
    assert Project.objects.count() == 1


def test_the_cli_and_a_dry_run(book: Book, tmp_path: Path) -> None:
    path = xlsx(tmp_path, good_rows())
    out = io.StringIO()
    call_command("import", "loans", str(path), "--dry-run", stdout=out, stderr=io.StringIO())
    assert not Project.objects.exists()
    out = io.StringIO()
    call_command("import", "loans", str(path), stdout=out, stderr=io.StringIO())
    assert "Đã tạo: 4" in out.getvalue()
    assert Project.objects.count() == 2
