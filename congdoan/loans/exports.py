"""The loan fund's statements as files: the borrower's statement and the fund's monthly statement, each as
XLSX and as PDF from the same figures (``selectors.loan_statement``, ``selectors.fund_statement``): the
exports only lay them out.

**Borrower statement** (``sao-ke-khoan-vay-<id>``): the schedule (kỳ, ngày đến hạn, gốc, lãi, phí, what
was paid of each, what is left, the day it was paid in full) with its total row, every repayment (ngày,
số tiền, phí, lãi, gốc) with its total row, and the principal still owed. The PDF (A4 landscape) carries
the fund's official heading, the loan's particulars and the signatures of the borrower, the CĐCS and the
fund.

**Fund monthly statement** (``sao-ke-quy-<code>``): the opening cash, every cash line of the month
(ngày, diễn giải, loại, thu, chi, số dư), the closing cash (= opening + thu − chi); the PDF adds the
month's totals by kind of movement and the principal outstanding at the end of the month, then the
signatures of the preparer, the accountant and the head of the unit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from fpdf.fonts import FontFace

from congdoan.core.formatting import format_date, format_number
from congdoan.core.pdf import HEADINGS, NEXT_LINE, SERIF, DocumentPDF
from congdoan.core.xlsx import WorkbookWriter, table_sheet

from .models import Fund
from .selectors import FundStatement, LoanStatement

SCHEDULE_HEADER = [
    "Kỳ",
    "Ngày đến hạn",
    "Gốc",
    "Lãi",
    "Phí",
    "Gốc đã trả",
    "Lãi đã trả",
    "Phí đã trả",
    "Còn phải trả",
    "Ngày trả đủ",
]
REPAYMENT_HEADER = ["Ngày trả", "Số tiền", "Phí", "Lãi", "Gốc"]
FUND_HEADER = ["Ngày", "Diễn giải", "Loại", "Thu", "Chi", "Số dư"]
OPENING = "Số dư đầu kỳ"
CLOSING = "Số dư cuối kỳ"
TOTAL = "Cộng"
BOLD_ROW = FontFace(emphasis="BOLD")


def _n(value: int) -> str:
    return format_number(int(value), 0)


def _d(value: dt.date | None) -> str:
    return format_date(value) if value else ""


# -- the borrower's statement ------------------------------------------------------------------------


def loan_statement_xlsx(st: LoanStatement) -> tuple[WorkbookWriter, int]:
    """Two sheets: the schedule and the repayments (each with its total row)."""
    book = WorkbookWriter(title=f"Sao kê khoản vay #{st.loan.pk}")
    s = st.scheduled
    table_sheet(
        book,
        "Lịch trả nợ",
        SCHEDULE_HEADER,
        [
            *(
                [
                    i.number,
                    i.due_on,
                    i.principal,
                    i.interest,
                    i.fee,
                    i.principal_paid,
                    i.interest_paid,
                    i.fee_paid,
                    i.outstanding,
                    i.paid_on,
                ]
                for i in st.instalments
            ),
            [
                TOTAL,
                None,
                s["principal"],
                s["interest"],
                s["fee"],
                s["principal_paid"],
                s["interest_paid"],
                s["fee_paid"],
                st.left,
                None,
            ],
        ],
    )
    r = st.repaid
    table_sheet(
        book,
        "Các lần trả nợ",
        REPAYMENT_HEADER,
        [
            *([x.paid_on, x.amount, x.fee, x.interest, x.principal] for x in st.repayments),
            [TOTAL, r["amount"], r["fee"], r["interest"], r["principal"]],
        ],
    )
    return book, len(st.instalments) + len(st.repayments)


def _heading_of(fund: Fund) -> tuple[str, str]:
    """(upper, unit) of an official heading issued by ``fund``: the fund under the union that owns it."""
    return fund.owner.name, fund.name


def _particulars(pdf: DocumentPDF, pairs: Sequence[tuple[str, str]]) -> None:
    """Label: value lines, two per row."""
    half = pdf.epw / 2
    for k in range(0, len(pairs), 2):
        for label, value in pairs[k : k + 2]:
            pdf.set_font(SERIF, "B", pdf.body_size)
            width = pdf.get_string_width(label + ": ") + 1
            pdf.cell(width, 6, label + ":")
            pdf.set_font(SERIF, "", pdf.body_size)
            pdf.cell(half - width, 6, pdf.fit(value, half - width))
        pdf.ln(6)
    pdf.ln(2)


def _table(
    pdf: DocumentPDF,
    widths: Sequence[float],
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    align: Sequence[str],
    total: Sequence[str] | None = None,
) -> None:
    """A table whose heading row repeats on every page, the total row (if any) in bold."""
    with pdf.table(
        col_widths=tuple(widths),
        text_align=tuple(align),
        headings_style=HEADINGS,
        line_height=6,
        repeat_headings=1,
    ) as table:
        table.row(list(header))
        for row in rows:
            table.row([pdf.fit(str(v), w) for v, w in zip(row, widths, strict=True)])
        if total is not None:
            table.row(list(total), style=BOLD_ROW)
    pdf.ln(3)


def _title(pdf: DocumentPDF, text: str) -> None:
    """A section's title, on a new page when its table's first rows would not follow it."""
    if pdf.get_y() + 25 > pdf.page_break_trigger:
        pdf.add_page()
    pdf.set_font(SERIF, "B", 11)
    pdf.cell(0, 7, text, **NEXT_LINE)
    pdf.set_font(SERIF, "", pdf.body_size)


def loan_statement_pdf(st: LoanStatement) -> bytes:
    loan = st.loan
    pdf = DocumentPDF(f"Sao kê khoản vay #{loan.pk}", landscape=True)
    pdf.add_page()
    upper, unit = _heading_of(loan.fund)
    pdf.state_heading(
        upper=upper,
        unit=unit,
        title="Sao kê khoản vay",
        subtitle=f"Khoản vay số {loan.pk} – {loan.person.full_name}",
        day=st.day,
    )
    rate = f"{format_number(loan.rate, 2, trim=True)}%/{'năm' if loan.rate_period == 'year' else 'tháng'}"
    _particulars(
        pdf,
        [
            ("Người vay", loan.person.full_name),
            ("CĐCS", loan.cdcs.name),
            ("Dự án", f"{loan.project.code} – {loan.project.name}"),
            ("Sản phẩm", loan.product.name),
            ("Số tiền vay", f"{_n(loan.amount)} đồng"),
            ("Thời hạn", f"{loan.term} {loan.product.term_unit}, lãi suất {rate}"),
            ("Ngày giải ngân", _d(loan.disbursed_on) or "chưa giải ngân"),
            ("Trạng thái", str(loan.get_state_display())),
        ],
    )
    _title(pdf, "I. Lịch trả nợ (đồng)")
    s = st.scheduled
    _table(
        pdf,
        (12, 27, 27, 24, 20, 27, 24, 20, 28, 28),
        SCHEDULE_HEADER,
        [
            [
                str(i.number),
                _d(i.due_on),
                _n(i.principal),
                _n(i.interest),
                _n(i.fee),
                _n(i.principal_paid),
                _n(i.interest_paid),
                _n(i.fee_paid),
                _n(i.outstanding),
                _d(i.paid_on),
            ]
            for i in st.instalments
        ],
        ("CENTER", "CENTER", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "CENTER"),
        total=[
            TOTAL,
            "",
            _n(s["principal"]),
            _n(s["interest"]),
            _n(s["fee"]),
            _n(s["principal_paid"]),
            _n(s["interest_paid"]),
            _n(s["fee_paid"]),
            _n(st.left),
            "",
        ],
    )
    _title(pdf, "II. Các lần trả nợ (đồng)")
    r = st.repaid
    if st.repayments:
        _table(
            pdf,
            (40, 45, 40, 45, 45),
            REPAYMENT_HEADER,
            [
                [_d(x.paid_on), _n(x.amount), _n(x.fee), _n(x.interest), _n(x.principal)]
                for x in st.repayments
            ],
            ("CENTER", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
            total=[TOTAL, _n(r["amount"]), _n(r["fee"]), _n(r["interest"]), _n(r["principal"])],
        )
    else:
        pdf.cell(0, 6, "Chưa có lần trả nợ nào.", **NEXT_LINE)
        pdf.ln(2)
    pdf.set_font(SERIF, "B", pdf.body_size + 1)
    pdf.cell(0, 7, f"Dư nợ gốc còn lại: {_n(st.outstanding)} đồng", **NEXT_LINE)
    pdf.signatures("Người vay", "Công đoàn cơ sở", "Quỹ trợ vốn", notes=("", "", "(Ký tên, đóng dấu)"))
    return pdf.bytes()


# -- the fund's monthly statement --------------------------------------------------------------------


def _fund_rows(st: FundStatement) -> list[list[Any]]:
    return [
        [st.start, OPENING, "", None, None, st.opening],
        *([x.day, x.memo, x.kind, x.received, x.paid, x.balance] for x in st.lines),
        [st.end, CLOSING, "", st.received, st.paid, st.closing],
    ]


def fund_statement_xlsx(st: FundStatement) -> tuple[WorkbookWriter, int]:
    book = WorkbookWriter(title=f"Sao kê quỹ {st.fund.name} tháng {st.start:%m/%Y}")
    count = table_sheet(book, "Sao kê", FUND_HEADER, _fund_rows(st))
    return book, count


def fund_statement_pdf(st: FundStatement, day: dt.date) -> bytes:
    fund = st.fund
    pdf = DocumentPDF(f"Sao kê quỹ {fund.name} tháng {st.start:%m/%Y}")
    pdf.add_page()
    upper, unit = _heading_of(fund)
    pdf.state_heading(
        upper=upper,
        unit=unit,
        title=f"Sao kê quỹ tháng {st.start:%m/%Y}",
        subtitle=f"Từ ngày {_d(st.start)} đến ngày {_d(st.end)} – đơn vị tính: đồng",
        day=day,
    )
    rows = [
        [_d(day_), memo, kind, _n(r) if r else "", _n(p) if p else "", _n(b)]
        for day_, memo, kind, r, p, b in _fund_rows(st)
    ]
    _table(
        pdf,
        (22, 62, 26, 23, 23, 24),
        FUND_HEADER,
        rows,
        ("CENTER", "LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT"),
    )
    _title(pdf, "Tổng hợp trong tháng")
    kinds = st.by_kind()
    _table(
        pdf,
        (80, 50, 50),
        ["Loại nghiệp vụ", "Thu", "Chi"],
        [[k, _n(r), _n(p)] for k, r, p in kinds],
        ("LEFT", "RIGHT", "RIGHT"),
        total=[TOTAL, _n(st.received), _n(st.paid)],
    )
    for label, value in (
        (OPENING, st.opening),
        ("Tổng thu trong kỳ", st.received),
        ("Tổng chi trong kỳ", st.paid),
        (CLOSING, st.closing),
        ("Dư nợ cho vay cuối kỳ", st.lent_out),
    ):
        pdf.set_font(SERIF, "B" if label in (OPENING, CLOSING) else "", pdf.body_size + 1)
        pdf.cell(70, 6, f"{label}:")
        pdf.cell(50, 6, f"{_n(value)} đồng", align="R", **NEXT_LINE)
    pdf.signatures("Người lập biểu", "Kế toán", "Thủ trưởng đơn vị", notes=("", "", "(Ký tên, đóng dấu)"))
    return pdf.bytes()
