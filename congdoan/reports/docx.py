"""Word output through docxtpl, and the check of templates administrators upload.

Templates are Jinja inside Word: every render runs in Jinja's *sandbox* with autoescaping (a unit
name with "&" or "<" cannot break the XML, and an uploaded template cannot reach Python internals).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from docx.shared import Cm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .charts import Chart, chart_png
from .context import VARIABLE_NAMES, sample_context

SHIPPED_TEMPLATE = Path(__file__).resolve().parent / "templates_docx" / "bao_cao_tong_ket.docx"

MAX_TEMPLATE_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MACRO_CONTENT_TYPES = ("macroenabled", "vbaproject", "activex")
CHART_WIDTH_CM = 16


def _env() -> ImmutableSandboxedEnvironment:
    return ImmutableSandboxedEnvironment(autoescape=True)


def render_docx(context: dict[str, Any], template: Path | bytes | None = None) -> bytes:
    """The filled Word document (the shipped template unless ``template`` is given)."""
    source: Any = SHIPPED_TEMPLATE if template is None else template
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    doc = DocxTemplate(source)
    context = {
        key: InlineImage(doc, io.BytesIO(chart_png(value)), width=Cm(CHART_WIDTH_CM))
        if isinstance(value, Chart)
        else value
        for key, value in context.items()
    }
    doc.render(context, jinja_env=_env(), autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _fail(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def check_template(data: bytes, filename: str = "mau.docx") -> list[str]:
    """Refuse anything but a plain .docx whose every variable is known; returns the variables used.

    Messages are Vietnamese and name what is wrong (a macro, an unknown variable by name, …)."""
    lower = filename.lower()
    if lower.endswith((".docm", ".dotm")):
        raise _fail("Tệp mẫu có macro (.docm) không được chấp nhận; hãy lưu lại dưới dạng .docx.", "macro")
    if not lower.endswith(".docx"):
        raise _fail("Tệp mẫu phải là tệp Word .docx.", "extension")
    if len(data) > MAX_TEMPLATE_BYTES:
        raise _fail("Tệp mẫu quá lớn (tối đa 10 MB).", "size")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise _fail(
            "Tệp không phải là tệp Word .docx hợp lệ (không mở được như tệp .docx).", "not_docx"
        ) from None
    with archive:
        infos = archive.infolist()
        names = {i.filename for i in infos}
        if sum(i.file_size for i in infos) > MAX_UNCOMPRESSED_BYTES:
            raise _fail("Tệp mẫu giải nén quá lớn; không được chấp nhận.", "size")
        if "[Content_Types].xml" not in names or "word/document.xml" not in names:
            raise _fail("Tệp không phải là tệp Word .docx hợp lệ (thiếu phần nội dung văn bản).", "not_docx")
        if any(part in n.lower() for n in names for part in ("vbaproject", "vbadata", "activex/")):
            raise _fail("Tệp mẫu chứa macro (vbaProject.bin); không được chấp nhận.", "macro")
        content_types = archive.read("[Content_Types].xml").decode("utf-8", "replace").lower()
        if any(marker in content_types for marker in MACRO_CONTENT_TYPES):
            raise _fail("Tệp mẫu chứa macro hoặc điều khiển ActiveX; không được chấp nhận.", "macro")
    try:
        doc = DocxTemplate(io.BytesIO(data))
        used = doc.get_undeclared_template_variables(jinja_env=_env())
    except TemplateSyntaxError as exc:
        raise _fail(f"Mẫu có lỗi cú pháp: {exc.message}.", "syntax") from None
    except Exception:  # a damaged document part
        raise _fail("Không đọc được nội dung tệp Word; tệp có thể bị hỏng.", "not_docx") from None
    unknown = sorted(used - VARIABLE_NAMES)
    if unknown:
        names_text = ", ".join(f"«{n}»" for n in unknown)
        raise _fail(
            f"Mẫu dùng biến không có trong danh sách: {names_text}. Xem trang «Biến dùng trong mẫu báo cáo».",
            "unknown_variables",
        )
    try:
        render_docx(sample_context(), data)
    except SecurityError:
        raise _fail("Mẫu chứa biểu thức không được phép.", "unsafe") from None
    except (UndefinedError, TemplateSyntaxError, TypeError, ValueError) as exc:
        raise _fail(f"Không dựng thử được báo cáo từ mẫu: {exc}.", "render") from None
    return sorted(used)
