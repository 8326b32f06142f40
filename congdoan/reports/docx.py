"""Word output through docxtpl, and the check of templates administrators upload.

Templates are Jinja inside Word: every render runs in Jinja's *sandbox* with autoescaping (a unit
name with "&" or "<" cannot break the XML, and an uploaded template cannot reach Python internals),
with limits on what a template may produce: ``'a' * 200000000`` is refused before the string is built,
and a rendered part longer than :data:`MAX_RENDERED_CHARS` stops the render. The check of an uploaded
template renders it in a child process with a time limit (``REPORT_TEMPLATE_CHECK_SECONDS``) and a
memory limit, so a template that loops for ever is refused in seconds and never blocks anything else.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import zipfile
from pathlib import Path
from typing import Any

from django.conf import settings
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


# One Word part (the body, a header) after rendering; a 300-page report is about 10 million characters.
MAX_RENDERED_CHARS = 50_000_000
CHECK_SECONDS = 10.0  # default of REPORT_TEMPLATE_CHECK_SECONDS
CHECK_MEMORY_BYTES = 1024 * 1024 * 1024  # extra address space the checking process may use

MSG_TOO_BIG = "Mẫu tạo ra nội dung quá lớn (vượt giới hạn cho phép); không được chấp nhận."
MSG_TOO_SLOW = (
    "Dựng thử mẫu quá {seconds:g} giây; mẫu có vòng lặp hoặc biểu thức quá nặng, không được chấp nhận."
)


class RenderLimitExceeded(Exception):
    """A template produced, or was about to produce, more than the limits allow."""


def _limited_concat(chunks: Any) -> str:
    """Jinja's ``concat`` (``"".join``) counting what the template produced."""
    parts: list[str] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > MAX_RENDERED_CHARS:
            raise RenderLimitExceeded(MSG_TOO_BIG)
        parts.append(chunk)
    return "".join(parts)


class LimitedSandbox(ImmutableSandboxedEnvironment):
    """The sandbox, refusing the operators that build huge values in one step (``'a' * 10**9``)."""

    intercepted_binops = frozenset(["*", "**", "+"])
    concat = staticmethod(_limited_concat)  # type: ignore[assignment]

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        sized = (str, bytes, list, tuple)
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if (
                    isinstance(seq, sized)
                    and isinstance(times, int)
                    and len(seq) * times > MAX_RENDERED_CHARS
                ):
                    raise RenderLimitExceeded(MSG_TOO_BIG)
        elif operator == "**":
            if (
                isinstance(left, int | float)
                and isinstance(right, int | float)
                and abs(right) > 64
                and abs(left) > 1
            ):
                raise RenderLimitExceeded(MSG_TOO_BIG)
        elif operator == "+" and isinstance(left, sized) and isinstance(right, sized):
            if len(left) + len(right) > MAX_RENDERED_CHARS:
                raise RenderLimitExceeded(MSG_TOO_BIG)
        return super().call_binop(context, operator, left, right)


def _env() -> ImmutableSandboxedEnvironment:
    return LimitedSandbox(autoescape=True)


def render_docx(context: dict[str, Any], template: Path | bytes | None = None) -> bytes:
    """The filled Word document (the shipped template unless ``template`` is given)."""
    source: Any = SHIPPED_TEMPLATE if template is None else template
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    doc = DocxTemplate(source)
    context = _for_word(doc, context, {})
    doc.render(context, jinja_env=_env(), autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _for_word(doc: DocxTemplate, value: Any, drawn: dict[int, Any]) -> Any:
    """The context with each chart as an image, nested values too (``sections`` → parts); a chart
    shown twice (``org_chart`` and its part) is drawn once."""
    if isinstance(value, Chart):
        if id(value) not in drawn:
            drawn[id(value)] = InlineImage(doc, io.BytesIO(chart_png(value)), width=Cm(CHART_WIDTH_CM))
        return drawn[id(value)]
    if isinstance(value, dict):
        return {key: _for_word(doc, item, drawn) for key, item in value.items()}
    if isinstance(value, list):
        return [_for_word(doc, item, drawn) for item in value]
    return value


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
    return _check_in_child(data)


def _check_jinja(data: bytes) -> list[str]:
    """Parse the template, check its variables and render it with the sample context."""
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
    except (RenderLimitExceeded, MemoryError, OverflowError):
        raise _fail(MSG_TOO_BIG, "too_big") from None
    except (UndefinedError, TemplateSyntaxError, TypeError, ValueError) as exc:
        raise _fail(f"Không dựng thử được báo cáo từ mẫu: {exc}.", "render") from None
    return sorted(used)


def _child(data: bytes, conn: Any) -> None:
    """The checking process: at most CHECK_MEMORY_BYTES more memory than its parent; answers on ``conn``."""
    try:
        try:
            import resource

            with open("/proc/self/statm") as fh:
                current = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
            limit = current + CHECK_MEMORY_BYTES
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (ImportError, OSError, ValueError):
            pass  # not Linux: the time limit still holds
        conn.send(("ok", _check_jinja(data)))
    except ValidationError as exc:
        conn.send(("error", exc.messages[0], exc.code))
    except MemoryError:
        conn.send(("error", MSG_TOO_BIG, "too_big"))
    except BaseException:
        conn.send(("error", "Không dựng thử được báo cáo từ mẫu.", "render"))
    finally:
        conn.close()


def _check_in_child(data: bytes) -> list[str]:
    """Run :func:`_check_jinja` in a forked process, killed after ``REPORT_TEMPLATE_CHECK_SECONDS``.

    The child only parses and renders (no database); it ends with ``os._exit`` as every multiprocessing
    child does, so the parent's database connections are left alone."""
    seconds = float(getattr(settings, "REPORT_TEMPLATE_CHECK_SECONDS", CHECK_SECONDS))
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(data, sender), daemon=True)
    process.start()
    sender.close()
    try:
        answer = receiver.recv() if receiver.poll(seconds) else None
    except EOFError:  # the child died (killed by the memory limit)
        answer = ("error", MSG_TOO_BIG, "too_big")
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receiver.close()
    if answer is None:
        raise _fail(MSG_TOO_SLOW.format(seconds=seconds), "too_slow")
    if answer[0] == "ok":
        return list(answer[1])
    raise _fail(answer[1], answer[2])
