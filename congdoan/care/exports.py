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

**Signed cash list** (``ky-nhan-<campaign>.xlsx``): approved cases without an account, grouped in unit
order, with the columns STT, Họ và tên, Số CCCD (masked but the last 4 digits), Đơn vị, Số tiền and an
empty "Ký nhận" column for the signature, a total row and the signature lines of the payer.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

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


def cash_xlsx(user: Any, campaign: Campaign) -> tuple[WorkbookWriter, int]:
    book = WorkbookWriter(title=f"Danh sách ký nhận – {campaign.name}")
    sheet = book.sheet("Ky nhan", widths=[7, 30, 18, 36, 16, 22], print_title_rows="3:3")
    sheet.append([f"DANH SÁCH KÝ NHẬN – {campaign.name.upper()}"], Style(bold=True, size=13))
    sheet.append([f"Chương trình {campaign.code}, đơn vị tổ chức: {campaign.owner.name}"])
    sheet.append(CASH_HEADER, BOLD)
    qs = selectors.payable(user=user, campaign=campaign, bank=False)
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
