"""The variables a report template sees (docxtpl / Jinja), built from a :class:`~.selectors.Report`.

``VARIABLES`` is the one list of every variable: the upload check refuses a template using any other
name, and the help page and ``docs/reports.md`` show the same list (a test keeps them in sync).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from congdoan.core import registry
from congdoan.core.formatting import format_date
from congdoan.core.periods import format_period, parse_period
from congdoan.org.models import OrgUnit

from .charts import Bar, Chart
from .selectors import Report, Row, Table, official_name

# (name, description, example)
VARIABLES: list[tuple[str, str, str]] = [
    (
        "issuer_parent_upper",
        "Tên đơn vị cấp trên trực tiếp, chữ in hoa (dòng đầu khối bên trái)",
        "LIÊN ĐOÀN LAO ĐỘNG THÀNH PHỐ HÀ NỘI",
    ),
    ("issuer_upper", "Tên đơn vị ban hành báo cáo, chữ in hoa", "LIÊN ĐOÀN LAO ĐỘNG HUYỆN GIA LÂM"),
    ("issuer_name", "Tên đơn vị ban hành báo cáo", "LĐLĐ huyện Gia Lâm"),
    ("issuer_official_name", "Tên đầy đủ của đơn vị (không viết tắt)", "Liên đoàn Lao động huyện Gia Lâm"),
    ("unit_code", "Mã đơn vị", "HN-GIALAM"),
    ("doc_symbol", "Ký hiệu văn bản", "BC-LĐLĐ"),
    ("number_line", "Dòng số, ký hiệu (số để trống cho văn thư điền)", "Số:       /BC-LĐLĐ"),
    ("place", "Địa danh", "Hà Nội"),
    ("date_line", "Địa danh và ngày tháng năm ban hành", "Hà Nội, ngày 05 tháng 01 năm 2025"),
    ("title", "Tên loại và trích yếu, chữ in hoa", "BÁO CÁO TỔNG KẾT CÔNG TÁC CÔNG ĐOÀN NĂM 2024"),
    ("report_kind", "«tổng kết» (năm, nhiệm kỳ) hoặc «sơ kết» (6 tháng, quý, tháng)", "tổng kết"),
    ("period_code", "Mã kỳ báo cáo", "2024"),
    ("period_label", "Tên kỳ báo cáo", "năm 2024"),
    ("period_start", "Ngày đầu kỳ (dd/mm/yyyy)", "01/01/2024"),
    ("period_end", "Ngày cuối kỳ, hoặc ngày cuối cùng đơn vị hoạt động nếu đơn vị đã chấm dứt", "31/12/2024"),
    ("area", "Cụm từ chỉ địa bàn", "toàn huyện"),
    ("intro", "Đoạn mở đầu báo cáo", "Ban Thường vụ Liên đoàn Lao động huyện Gia Lâm báo cáo …"),
    ("no_data", "Đúng khi cả báo cáo không có số liệu (kỳ chưa bắt đầu, đơn vị chưa thành lập…)", "False"),
    ("no_data_reason", "Lý do không có số liệu (rỗng nếu có số liệu)", "kỳ báo cáo chưa bắt đầu"),
    ("notes", "Danh sách các câu «Chưa có số liệu về …» của báo cáo", "[…]"),
    (
        "sections",
        "Các mục của báo cáo theo thứ tự (kể cả mục của ứng dụng mới): mỗi mục có heading, parts; "
        "mỗi phần có key, title, paragraphs, chart và table (bảng, rỗng nếu không có số liệu)",
        "[{heading: «I. CÔNG TÁC TỔ CHỨC …», parts: […]}]",
    ),
    (
        "org_paragraphs",
        "Mục I: danh sách các đoạn văn tự soạn từ số liệu",
        "[«Năm 2024, toàn huyện phát triển …»]",
    ),
    ("org_rows", "Mục I: các dòng của bảng theo đơn vị trực thuộc (xem các cột bên dưới)", "[…]"),
    ("org_total", "Mục I: dòng «Tổng cộng» của bảng", "{…}"),
    ("org_has_data", "Mục I: đúng khi bảng có số liệu", "True"),
    ("agreement_paragraphs", "Mục II.1: các đoạn văn về thỏa ước lao động tập thể", "[…]"),
    ("agreement_rows", "Mục II.1: các dòng của bảng thỏa ước theo đơn vị", "[…]"),
    ("agreement_total", "Mục II.1: dòng «Tổng cộng»", "{…}"),
    ("agreement_has_data", "Mục II.1: đúng khi bảng có số liệu", "True"),
    ("conference_paragraphs", "Mục II.2: các đoạn văn về hội nghị NLĐ, hội nghị CB,CC,VC, đối thoại", "[…]"),
    ("conference_rows", "Mục II.2: các dòng của bảng theo đơn vị", "[…]"),
    ("conference_total", "Mục II.2: dòng «Tổng cộng»", "{…}"),
    ("conference_has_data", "Mục II.2: đúng khi bảng có số liệu", "True"),
    (
        "org_chart",
        "Mục I: biểu đồ thực hiện/chỉ tiêu theo đơn vị trực thuộc (ảnh, trong đoạn riêng; rỗng nếu không có)",
        "(ảnh PNG)",
    ),
    ("agreement_chart", "Mục II.1: biểu đồ theo đơn vị (ảnh; rỗng nếu không có)", "(ảnh PNG)"),
    ("conference_chart", "Mục II.2: biểu đồ theo đơn vị (ảnh; rỗng nếu không có)", "(ảnh PNG)"),
    ("signer_on_behalf", "Thẩm quyền ký", "TM. BAN THƯỜNG VỤ"),
    ("signer_title", "Chức vụ người ký", "CHỦ TỊCH"),
    ("signer_name", "Họ tên người ký (để trống cho người ký điền)", ""),
    ("recipients", "Danh sách «Nơi nhận»", "[«LĐLĐ thành phố Hà Nội (để báo cáo);», «Lưu: VT.»]"),
    ("generated_at", "Thời điểm tạo tệp", "05/01/2025 14:30"),
    ("generated_by", "Người tạo tệp", "gialam"),
]
VARIABLE_NAMES = frozenset(name for name, _, _ in VARIABLES)

# Keys of every table row (``{{ r.name }}`` …): common ones, then each table's columns.
ROW_KEYS: list[tuple[str, str]] = [
    ("stt", "Số thứ tự (rỗng ở dòng Tổng cộng)"),
    ("name", "Tên đơn vị (dòng tổng: «Tổng cộng»)"),
    ("code", "Mã đơn vị"),
]


def table_columns() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(prefix, title, [(key, label)]) of each table, for the docs and the help page."""
    out = []
    for spec in (s.table for s in registry.report_sections() if s.table is not None):
        cols = [(c.key, f"{c.group} – {c.label}" if c.group else c.label) for c in spec.columns]
        out.append((spec.key, spec.title, cols))
    return out


_SYMBOL = {"LDLD_TINH": "BC-LĐLĐ", "LDLD_HUYEN": "BC-LĐLĐ", "TLD": "BC-TLĐ", "CDCS": "BC-CĐCS"}


def _date_words(place: str, day: dt.date) -> str:
    """ "Hà Nội, ngày 05 tháng 01 năm 2025" (day below 10 and months 1, 2 written with a leading zero)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def _rows(table: Table) -> list[dict[str, str]]:
    return [
        {"stt": str(i), "name": r.name, "code": r.code, **r.displays()} for i, r in enumerate(table.rows, 1)
    ]


def _total(row: Row) -> dict[str, str]:
    return {"stt": "", "name": row.name, "code": row.code, **row.displays()}


@dataclass(frozen=True)
class PlainTable:
    """A section's table as text: caption, one header row ("Đoàn viên – Kết nạp mới"), the total row
    then one row per child unit."""

    caption: str
    header: list[str]
    rows: list[list[str]]


def _plain_table(table: Table) -> PlainTable:
    header = ["STT", "Đơn vị", *(f"{c.group} – {c.label}" if c.group else c.label for c in table.columns)]
    total = ["", table.total.name, *table.total.displays().values()]
    rows = [[str(n), r.name, *r.displays().values()] for n, r in enumerate(table.rows, 1)]
    return PlainTable(f"Bảng {table.number}. {table.title} theo đơn vị", header, [total, *rows])


def _signer(unit: OrgUnit) -> tuple[str, str]:
    if unit.is_grassroots:
        return "TM. BAN CHẤP HÀNH", "CHỦ TỊCH"
    return "TM. BAN THƯỜNG VỤ", "CHỦ TỊCH"


def build_context(report: Report, *, generated_by: str = "", rows: bool = True) -> dict[str, Any]:
    """Every variable in :data:`VARIABLES`, as strings, lists of strings and rows of strings.

    ``rows=False`` (the preview page, which shows the report's own tables, folded) leaves the tables'
    rows as text empty: a city's ~500 CĐCS rows are then not formatted twice."""
    unit = report.unit
    period = report.period
    kind = "tổng kết" if report.is_annual else "sơ kết"
    symbol = _SYMBOL.get(unit.type, "BC-CĐ")
    official = official_name(unit)
    on_behalf, title = _signer(unit)
    recipients = []
    if report.parent is not None:
        recipients.append(f"{report.parent.name} (để báo cáo);")
    if any(table.rows for table in report.tables.values()):  # every table has a row per child
        recipients.append("Các công đoàn trực thuộc;")
    recipients.append("Lưu: VT.")
    label = format_period(period)
    intro = (
        f"Ban {'Chấp hành' if unit.is_grassroots else 'Thường vụ'} {official} báo cáo kết quả hoạt động "
        f"công đoàn {label} như sau:"
    )
    context: dict[str, Any] = {
        "issuer_parent_upper": official_name(report.parent).upper() if report.parent else "",
        "issuer_upper": official.upper(),
        "issuer_name": unit.name,
        "issuer_official_name": official,
        "unit_code": unit.code,
        "doc_symbol": symbol,
        "number_line": f"Số:       /{symbol}",
        "place": report.place,
        "date_line": _date_words(report.place, report.issued_on),
        "title": report.title,
        "report_kind": kind,
        "period_code": period.code,
        "period_label": label,
        "period_start": format_date(report.start),
        "period_end": format_date(report.end),
        "area": report.area,
        "intro": intro,
        "no_data": bool(report.reason),
        "no_data_reason": report.reason,
        "notes": list(report.notes),
        "signer_on_behalf": on_behalf,
        "signer_title": title,
        "signer_name": "",
        "recipients": recipients,
        "generated_at": timezone.localtime().strftime("%d/%m/%Y %H:%M"),
        "generated_by": generated_by,
    }
    context["sections"] = []
    for section in report.sections:
        parts = []
        for part in section.parts:
            key, table = part.key, part.table
            # A Chart: the Word renderer draws it as an image; "" when the part has none.
            context[f"{key}_chart"] = part.chart or ""
            context[f"{key}_paragraphs"] = part.paragraphs
            if table is not None:
                context[f"{key}_rows"] = _rows(table) if rows else []
                context[f"{key}_total"] = _total(table.total) if rows else {}
                context[f"{key}_has_data"] = table.has_data
            parts.append(
                {
                    "key": key,
                    "title": part.title,
                    "paragraphs": part.paragraphs,
                    "chart": part.chart or "",
                    "has_data": part.has_table,
                    # The table as plain rows, so a template can place any section's table with
                    # ``{{p part.table }}`` (``docx.render_docx`` lays it out as a Word table).
                    "table": _plain_table(table) if rows and table is not None and table.has_data else "",
                }
            )
        context["sections"].append({"heading": f"{section.number}. {section.title}", "parts": parts})
    missing = set(VARIABLE_NAMES) - set(context)
    assert not missing, missing
    return context


def sample_context() -> dict[str, Any]:
    """A context with every variable filled, for checking an uploaded template by rendering it."""
    row = {"stt": "1", "name": "CĐCS Công ty Mẫu", "code": "MAU"}
    for _, _, cols in table_columns():
        row.update({key: "1" for key, _ in cols})
    context: dict[str, Any] = {name: example for name, _, example in VARIABLES}
    context.update(
        no_data=False,
        notes=[],
        recipients=["Lưu: VT."],
        period_code=parse_period("2024").code,
    )
    for key, _, _ in table_columns():
        context[f"{key}_chart"] = Chart(
            title="Biểu đồ mẫu", bars=[Bar("CĐCS Công ty Mẫu", Decimal(3), Decimal(2), "3/2 (150%)")]
        )
        context[f"{key}_paragraphs"] = ["Đoạn văn mẫu."]
        context[f"{key}_rows"] = [row]
        context[f"{key}_total"] = {**row, "stt": "", "name": "Tổng cộng"}
        context[f"{key}_has_data"] = True
    sample_part = {
        "key": "mau",
        "title": "1. Phần mẫu",
        "paragraphs": ["Đoạn văn mẫu."],
        "chart": Chart(title="Biểu đồ mẫu", bars=[Bar("CĐCS Công ty Mẫu", Decimal(3), None, "3")]),
        "has_data": True,
        "table": PlainTable(
            "Bảng 1. Bảng mẫu theo đơn vị",
            ["STT", "Đơn vị", "Cột mẫu"],
            [["", "Tổng cộng", "1"], ["1", "CĐCS Công ty Mẫu", "1"]],
        ),
    }
    context["sections"] = [{"heading": "I. MỤC MẪU", "parts": [sample_part]}]
    return context
