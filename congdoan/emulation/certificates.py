"""Certificates (giấy khen, bằng khen …) printed from the federation's own Word template (docxtpl).

A template may use only the variables of :data:`VARIABLES`; an uploaded template using any other is
refused in Vietnamese, naming them (as the reports app checks its templates). Rendering runs in
Jinja's sandbox with autoescaping. Without an uploaded template, a plain A4 landscape one is built.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.core.exceptions import ValidationError
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .models import AwardProposal, CertificateTemplate

VARIABLES: dict[str, str] = {
    "co_quan_cap_tren": "Cơ quan cấp trên của đơn vị quyết định (in hoa)",
    "don_vi_quyet_dinh": "Đơn vị ra quyết định khen thưởng (in hoa)",
    "hinh_thuc": "Hình thức khen thưởng: «GIẤY KHEN», «BẰNG KHEN» …",
    "nguoi_nhan": "Họ tên cá nhân hoặc tên tập thể được khen thưởng",
    "don_vi": "Đơn vị công tác (cá nhân) hoặc đơn vị được khen thưởng",
    "thanh_tich": "Thành tích được khen thưởng",
    "nam": "Năm thi đua",
    "so_quyet_dinh": "Số quyết định",
    "ngay_quyet_dinh": "Ngày ký quyết định dd/mm/yyyy",
    "dia_danh_ngay": "Địa danh và ngày: «Hà Nội, ngày 15 tháng 01 năm 2025»",
    "chuc_vu_nguoi_ky": "Chức vụ người ký",
    "nguoi_ky": "Họ tên người ký",
}
MAX_BYTES = 10 * 1024 * 1024


def _env() -> ImmutableSandboxedEnvironment:
    return ImmutableSandboxedEnvironment(autoescape=True)


def _fail(message: str, code: str) -> ValidationError:
    return ValidationError({"file": ValidationError(message, code=code)})


def check_template(data: bytes, filename: str = "mau.docx") -> list[str]:
    """The variables a certificate template uses; refused (Vietnamese) when it is not a plain .docx
    or uses variables outside :data:`VARIABLES`."""
    if not filename.lower().endswith(".docx"):
        raise _fail("Tệp mẫu phải là tệp Word .docx.", "extension")
    if len(data) > MAX_BYTES:
        raise _fail("Tệp mẫu quá lớn (tối đa 10 MB).", "size")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise _fail("Tệp không phải là tệp Word .docx hợp lệ.", "not_docx") from None
    if "word/document.xml" not in names:
        raise _fail("Tệp không phải là tệp Word .docx hợp lệ (thiếu phần nội dung văn bản).", "not_docx")
    if any("vbaproject" in n.lower() for n in names):
        raise _fail("Tệp mẫu chứa macro; không được chấp nhận.", "macro")
    try:
        used = set(DocxTemplate(io.BytesIO(data)).get_undeclared_template_variables(jinja_env=_env()))
    except TemplateSyntaxError as exc:
        raise _fail(f"Mẫu có lỗi cú pháp: {exc.message}.", "syntax") from None
    except Exception:
        raise _fail("Không đọc được nội dung tệp Word; tệp có thể bị hỏng.", "not_docx") from None
    unknown = sorted(used - set(VARIABLES))
    if unknown:
        names_text = ", ".join(f"«{n}»" for n in unknown)
        raise _fail(
            f"Mẫu giấy chứng nhận dùng biến không có trong danh sách: {names_text}. "
            f"Các biến được dùng: {', '.join(VARIABLES)}.",
            "unknown_variables",
        )
    return sorted(used)


def default_template() -> bytes:
    """A plain certificate: header, form, recipient, achievement, decision and signature."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))

    def line(text: str, size: int = 14, bold: bool = False, italic: bool = False) -> None:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.font.name, run.font.size, run.bold, run.italic = "Times New Roman", Pt(size), bold, italic

    line("{{ co_quan_cap_tren }}", 13)
    line("{{ don_vi_quyet_dinh }}", 13, bold=True)
    line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, bold=True)
    line("Độc lập - Tự do - Hạnh phúc", 13, bold=True)
    line("{{ hinh_thuc }}", 30, bold=True)
    line("TẶNG", 16, bold=True)
    line("{{ nguoi_nhan }}", 22, bold=True)
    line("{{ don_vi }}", 14, italic=True)
    line("Đã có thành tích: {{ thanh_tich }}", 14)
    line("Năm {{ nam }}", 14)
    line("Quyết định số {{ so_quyet_dinh }} ngày {{ ngay_quyet_dinh }}", 12, italic=True)
    line("{{ dia_danh_ngay }}", 13, italic=True)
    line("{{ chuc_vu_nguoi_ky }}", 13, bold=True)
    line("{{ nguoi_ky }}", 13, bold=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def context(proposal: AwardProposal) -> dict[str, Any]:
    decision = proposal.decision
    issuer = decision.issuer if decision else proposal.unit
    day = decision.signed_on if decision else proposal.proposed_on
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    place = "Hà Nội"
    return {
        "co_quan_cap_tren": "TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM",
        "don_vi_quyet_dinh": issuer.name.upper(),
        "hinh_thuc": proposal.get_form_display().upper(),
        "nguoi_nhan": proposal.recipient,
        "don_vi": proposal.unit.name if proposal.individual else "",
        "thanh_tich": proposal.achievement or "Đã có thành tích xuất sắc trong phong trào thi đua",
        "nam": str(proposal.year),
        "so_quyet_dinh": decision.number if decision else "",
        "ngay_quyet_dinh": day.strftime("%d/%m/%Y"),
        "dia_danh_ngay": f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}",
        "chuc_vu_nguoi_ky": "TM. BAN THƯỜNG VỤ",
        "nguoi_ky": decision.signer if decision else "",
    }


def template_for(proposal: AwardProposal) -> bytes:
    """The newest template uploaded by the issuer or one of the units above it, else the plain one."""
    from congdoan.org import tree

    issuer = proposal.decision.issuer if proposal.decision else proposal.unit
    owners = [issuer.pk, *tree.ancestor_ids(issuer.pk, proposal.awarded_on or proposal.proposed_on)]
    for owner in owners:
        found = CertificateTemplate.objects.filter(owner_id=owner).first()
        if found is not None:
            return bytes(found.content)
    return default_template()


def render(proposal: AwardProposal, data: bytes | None = None) -> bytes:
    doc = DocxTemplate(io.BytesIO(data if data is not None else template_for(proposal)))
    doc.render(context(proposal), jinja_env=_env(), autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
