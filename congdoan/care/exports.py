"""The files of a campaign's payments: the bank payment file and the signed cash list.

**Bank payment file** (``chi-ho-<campaign>.xlsx`` / ``.csv``): the layout Vietnamese banks accept for
batch salary-style transfers (chi hộ lương: Vietcombank, BIDV, VietinBank and Agribank take a table
with these columns; the bank's own template only renames the headers). One row per approved case with
an account, in unit and name order:

| column | content |
|---|---|
| STT | row number from 1 |
| Số tài khoản | the beneficiary's account, digits only (text, so leading zeros stay) |
| Tên người thụ hưởng | the name in capitals without diacritics, as banks match account names |
| Ngân hàng thụ hưởng | the bank as recorded on the case |
| Số tiền | integer đồng, no separators |
| Nội dung chuyển khoản | "<CAMPAIGN CODE> <CCCD> <name without diacritics>", at most 210 characters |
| Mã hồ sơ | the case id (for reconciling the bank's return file) |

CSV: UTF-8 with BOM, comma separated, a header row, amounts as plain integers.

**Signed cash list** (``ky-nhan-<campaign>.xlsx`` or ``.pdf``, optionally of one unit's subtree):
approved cases without an account, in unit order, with the columns STT, Họ và tên, Số CCCD (masked but
the last 4 digits), Đơn vị, Số tiền and an empty "Ký nhận" column for the signature, a total row and
the signature lines of the payer.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from congdoan.core.formatting import format_money_words, format_number
from congdoan.core.pdf import NEXT_LINE, SERIF, DocumentPDF
from congdoan.core.text import fold
from congdoan.core.xlsx import BOLD, Style, WorkbookWriter

from . import selectors
from .models import Campaign

BANK_HEADER = [
    "STT",
    "Số tài khoản",
    "Tên người thụ hưởng",
    "Ngân hàng thụ hưởng",
    "Số tiền",
    "Nội dung chuyển khoản",
    "Mã hồ sơ",
]
CASH_HEADER = ["STT", "Họ và tên", "Số CCCD", "Đơn vị", "Số tiền (đồng)", "Ký nhận"]
BANK_FIELDS = ("pk", "bank_account", "full_name", "bank_name", "amount", "cccd")


def bank_name_ascii(name: str) -> str:
    return fold(name).upper().replace("Đ", "D")


def bank_rows(user: Any, campaign: Campaign) -> Iterator[list[Any]]:
    qs = selectors.payable(user=user, campaign=campaign, bank=True)
    for i, (pk, account, name, bank, amount, cccd) in enumerate(
        selectors.iter_rows(qs, BANK_FIELDS), start=1
    ):
        plain = bank_name_ascii(name)
        yield [i, account, plain, bank, amount, f"{campaign.code} {cccd} {plain}"[:210], pk]


def bank_xlsx(user: Any, campaign: Campaign) -> tuple[WorkbookWriter, int]:
    book = WorkbookWriter(title=f"Chi hộ – {campaign.name}")
    sheet = book.sheet("Chi ho", widths=[7, 20, 32, 24, 14, 48, 10], freeze="A2")
    sheet.append(BANK_HEADER, BOLD)
    count = 0
    for row in bank_rows(user, campaign):
        sheet.append(row)
        count += 1
    return book, count


def bank_csv(user: Any, campaign: Campaign) -> tuple[bytes, int]:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(BANK_HEADER)
    count = 0
    for row in bank_rows(user, campaign):
        writer.writerow(row)
        count += 1
    return ("\ufeff" + out.getvalue()).encode("utf-8"), count


def mask(cccd: str) -> str:
    return "•" * max(0, len(cccd) - 4) + cccd[-4:]


def cash_xlsx(user: Any, campaign: Campaign, unit: Any = None) -> tuple[WorkbookWriter, int]:
    book = WorkbookWriter(title=f"Danh sách ký nhận – {campaign.name}")
    sheet = book.sheet("Ky nhan", widths=[7, 30, 18, 36, 16, 22], print_title_rows="3:3")
    sheet.append([f"DANH SÁCH KÝ NHẬN – {campaign.name.upper()}"], Style(bold=True, size=13))
    sheet.append([f"Chương trình {campaign.code}, đơn vị tổ chức: {campaign.owner.name}"])
    sheet.append(CASH_HEADER, BOLD)
    qs = selectors.payable(user=user, campaign=campaign, bank=False, unit=unit)
    total = 0
    count = 0
    for i, (name, cccd, unit, amount) in enumerate(
        selectors.iter_rows(qs, ("full_name", "cccd", "unit__name", "amount")), start=1
    ):
        sheet.append([i, name, mask(cccd), unit, amount, ""])
        total += amount
        count += 1
    sheet.append(["", "Cộng", "", f"{count} người", total, ""], BOLD)
    sheet.append([])
    sheet.append(["", "Người lập danh sách", "", "Kế toán", "", "Thủ trưởng đơn vị"], BOLD)
    sheet.append(["", "(Ký, ghi rõ họ tên)", "", "(Ký, ghi rõ họ tên)", "", "(Ký tên, đóng dấu)"])
    return book, count


# -- the signed cash list as PDF ---------------------------------------------------------------------
#
# Drawn with fpdf2 in Liberation Serif (Times New Roman metrics, every Vietnamese glyph), as the annual
# report's PDF is: WeasyPrint lays out a few hundred table rows a second, and a campaign's cash list can
# hold tens of thousands. A4 portrait; the header row repeats on every page; the unit's name heads its
# rows; a total row and the three signature blocks (người lập, kế toán, thủ trưởng) close the list.

# STT, Họ và tên, Số CCCD, Đơn vị, Số tiền, Ký nhận (mm; 180 mm between the margins)
CASH_WIDTHS = (11.0, 47.0, 27.0, 38.0, 25.0, 32.0)
ROW_H = 8.0


class _CashPDF(DocumentPDF):
    """``core.pdf.DocumentPDF`` (fonts, margins, "Trang x/y") with the list's header row on every page."""

    def __init__(self, title: str) -> None:
        super().__init__(title)
        self.set_auto_page_break(auto=False, margin=18)  # ``room`` breaks pages, repeating the header row

    def header_row(self) -> None:
        self.set_font(SERIF, "B", 9.5)
        for width, text in zip(CASH_WIDTHS, CASH_HEADER, strict=True):
            self.cell(width, ROW_H, self.fit(text, width), border=1, align="C")
        self.ln(ROW_H)
        self.set_font(SERIF, "", 10)

    def room(self, height: float) -> None:
        """A new page (with the header row) when ``height`` no longer fits."""
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()
            self.header_row()


def cash_pdf(user: Any, campaign: Campaign, unit: Any = None) -> tuple[bytes, int]:
    """The signed cash list as PDF: the approved cases without an account (of ``unit``'s subtree when
    given), in unit and name order."""
    pdf = _CashPDF(f"Danh sách ký nhận – {campaign.name}")
    pdf.add_page()
    pdf.set_font(SERIF, "B", 13)
    pdf.multi_cell(0, 6, f"DANH SÁCH KÝ NHẬN – {campaign.name.upper()}", align="C", **NEXT_LINE)
    pdf.set_font(SERIF, "I", 11)
    where = f" – {unit.name}" if unit is not None else ""
    subtitle = f"Chương trình {campaign.code}, đơn vị tổ chức: {campaign.owner.name}{where}"
    pdf.multi_cell(0, 6, subtitle, align="C", **NEXT_LINE)
    pdf.ln(3)
    pdf.header_row()
    qs = selectors.payable(user=user, campaign=campaign, bank=False, unit=unit)
    total = count = 0
    current = None
    for name, cccd, unit_name, amount in selectors.iter_rows(
        qs, ("full_name", "cccd", "unit__name", "amount")
    ):
        pdf.room(ROW_H * (2 if unit_name != current else 1))
        if unit_name != current:
            pdf.set_font(SERIF, "B", 10)
            pdf.cell(sum(CASH_WIDTHS), ROW_H, pdf.fit(unit_name, sum(CASH_WIDTHS)), border=1)
            pdf.ln(ROW_H)
            pdf.set_font(SERIF, "", 10)
            current = unit_name
        count += 1
        total += amount
        cells = (str(count), name, mask(cccd), unit_name, format_number(amount, 0), "")
        for i, (width, text) in enumerate(zip(CASH_WIDTHS, cells, strict=True)):
            pdf.cell(width, ROW_H, pdf.fit(text, width), border=1, align="R" if i in (0, 4) else "L")
        pdf.ln(ROW_H)
    pdf.room(ROW_H + 40)
    pdf.set_font(SERIF, "B", 10)
    pdf.cell(sum(CASH_WIDTHS[:4]), ROW_H, f"Cộng: {format_number(count, 0)} người", border=1, align="R")
    pdf.cell(CASH_WIDTHS[4], ROW_H, format_number(total, 0), border=1, align="R")
    pdf.cell(CASH_WIDTHS[5], ROW_H, "", border=1)
    pdf.ln(ROW_H)
    pdf.set_font(SERIF, "I", 10)
    pdf.multi_cell(0, 6, f"Bằng chữ: {format_money_words(total)}.", **NEXT_LINE)
    signers = ("Người lập danh sách", "Kế toán", "Thủ trưởng đơn vị")
    pdf.signatures(*signers, notes=("", "", "(Ký tên, đóng dấu)"))
    return pdf.bytes(), count
