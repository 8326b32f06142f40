"""The text of a report from a file: plain text (UTF-8, UTF-16, Windows-1258), DOCX (python-docx) or
PDF with a text layer (pypdf). Every refusal is a ``ReadError`` with a clear Vietnamese message."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

__all__ = ["MAX_BYTES", "ReadError", "read_bytes", "read_path"]

MAX_BYTES = 20 * 1024 * 1024


class ReadError(ValueError):
    """The file cannot be read as a report (the message says why, in Vietnamese)."""


def read_path(path: str | Path) -> str:
    p = Path(path)
    if not p.exists():
        raise ReadError(f"Không tìm thấy tệp «{p}».")
    if p.is_dir():
        raise ReadError(f"«{p}» là một thư mục, không phải tệp báo cáo.")
    return read_bytes(p.read_bytes(), p.name)


def read_bytes(data: bytes, name: str = "") -> str:
    """The text of the file ``data`` (``name`` only helps the messages); never an empty string."""
    label = f"«{name}»" if name else "Tệp"
    if not data or not data.strip():
        raise ReadError(f"{label} rỗng: không có nội dung để kiểm tra.")
    if len(data) > MAX_BYTES:
        raise ReadError(f"{label} lớn hơn {MAX_BYTES // (1024 * 1024)} MB: hãy tách báo cáo thành nhiều tệp.")
    if data[:5] == b"%PDF-":
        text = _pdf(data, label)
    elif data[:2] == b"PK":
        text = _docx(data, label)
    elif data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ReadError(
            f"{label} là tệp Word cũ (.doc) hoặc Excel cũ (.xls): hãy mở bằng Word và lưu lại dạng .docx."
        )
    else:
        text = _plain(data, label)
    if not text.strip():
        raise ReadError(f"{label} không có chữ nào để kiểm tra.")
    return text


def _plain(data: bytes, label: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        raise ReadError(
            f"{label} không phải văn bản, DOCX hay PDF (có vẻ là tệp nhị phân: ảnh, tệp nén…). "
            "Hãy tải lên báo cáo dạng .docx, .pdf hoặc .txt."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1258")  # Windows-1258: Vietnamese text saved by old Windows programs
    except UnicodeDecodeError:
        raise ReadError(
            f"{label} không đọc được theo bảng mã UTF-8 hay Windows-1258: hãy lưu lại dạng UTF-8."
        ) from None


def _docx(data: bytes, label: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
    except zipfile.BadZipFile:
        raise ReadError(f"{label} là tệp nén hỏng, không phải DOCX đọc được.") from None
    if "word/document.xml" not in names:
        kind = "Excel (.xlsx)" if "xl/workbook.xml" in names else "tệp nén không phải Word"
        raise ReadError(f"{label} là {kind}, không phải báo cáo Word (.docx), PDF hay văn bản.")
    from docx import Document

    try:
        document = Document(io.BytesIO(data))
    except Exception:  # python-docx raises several kinds for a broken package
        raise ReadError(f"{label} là tệp Word hỏng, không đọc được.") from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            cells: list[str] = []
            for cell in row.cells:
                if not cells or cells[-1] != cell.text:  # merged cells repeat their text
                    cells.append(cell.text)
            lines.append(" | ".join(cells))
    return "\n".join(lines)


_WRAPPED_RE = re.compile(r"(?<![.:;!?])\n(?=[a-zà-ỹđ(])")


def _unwrap(text: str) -> str:
    """Join the lines a PDF broke inside a sentence (the next line goes on in lower case); a table row
    starts with its number and stays a line of its own."""
    return _WRAPPED_RE.sub(" ", text)


def _pdf(data: bytes, label: str) -> str:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ReadError(f"{label} là PDF có mật khẩu: hãy gỡ mật khẩu rồi tải lên lại.")
        pages = [page.extract_text() or "" for page in reader.pages]
    except ReadError:
        raise
    except Exception:  # pypdf raises many kinds of errors for a broken file
        raise ReadError(f"{label} là PDF hỏng, không đọc được.") from None
    text = _unwrap("\n".join(pages))
    if not text.strip():
        raise ReadError(
            f"{label} là PDF dạng ảnh (bản scan), không có lớp chữ: cần nhận dạng chữ (OCR) trước khi "
            "kiểm tra, hoặc tải lên bản Word (.docx) của báo cáo."
        )
    return text
