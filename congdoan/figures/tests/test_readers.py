"""Reading a report from a file: text, DOCX, PDF; every refusal with a clear Vietnamese message."""

from __future__ import annotations

import unicodedata

import pytest

from congdoan.figures.extraction import extract
from congdoan.figures.readers import ReadError, read_bytes, read_path

from .files import docx_bytes, pdf_bytes, scanned_pdf_bytes, xlsx_bytes

SENTENCE = "Năm 2024, toàn huyện ký kết được 29/24 bản (đạt 120,83% chỉ tiêu), hỗ trợ 2.703 lượt NLĐ."


def test_plain_text_utf8_with_bom_utf16_and_windows_1258() -> None:
    assert read_bytes(("\ufeff" + SENTENCE).encode("utf-8")) == SENTENCE
    assert read_bytes(SENTENCE.encode("utf-16")) == SENTENCE
    # Windows-1258 writes "ờ" as "ơ" + a combining grave accent.
    legacy = "Đoàn viên: 2.703 ngươ\u0300i".encode("cp1258")
    assert unicodedata.normalize("NFC", read_bytes(legacy)) == "Đoàn viên: 2.703 người"


def test_docx_paragraphs_and_tables() -> None:
    data = docx_bytes([SENTENCE], table=[["Chỉ tiêu", "Kết quả"], ["Thỏa ước ký mới", "29/24 bản (120,83%)"]])
    text = read_bytes(data, "bao-cao.docx")
    assert SENTENCE in text and "Thỏa ước ký mới | 29/24 bản (120,83%)" in text
    assert [c.kind for c in extract(text).claims] == ["ratio", "count", "ratio"]


def test_pdf_with_a_text_layer(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bao-cao.pdf"
    path.write_bytes(pdf_bytes([SENTENCE]))
    text = read_path(path)
    claims = extract(text).claims
    assert [(c.kind, [str(v) for v in c.values]) for c in claims] == [
        ("ratio", ["29", "24", "120.83"]),
        ("count", ["2703"]),
    ]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (
            scanned_pdf_bytes(),
            "scan.pdf",
            "PDF dạng ảnh (bản scan), không có lớp chữ: cần nhận dạng chữ (OCR)",
        ),
        (b"", "rong.txt", "«rong.txt» rỗng"),
        (b"   \n\n", "rong.txt", "rỗng"),
        (xlsx_bytes(), "so-lieu.xlsx", "là Excel (.xlsx), không phải báo cáo Word (.docx), PDF hay văn bản"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "anh.png", "không phải văn bản, DOCX hay PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "cu.doc", "tệp Word cũ (.doc)"),
        (b"PK\x03\x04broken", "hong.docx", "tệp nén hỏng"),
        (b"%PDF-1.4\n%%EOF\n", "hong.pdf", "PDF hỏng"),
    ],
)
def test_files_that_cannot_be_read_say_why(data: bytes, name: str, message: str) -> None:
    with pytest.raises(ReadError) as error:
        read_bytes(data, name)
    assert message in str(error.value)


def test_a_missing_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ReadError, match="Không tìm thấy tệp"):
        read_path(tmp_path / "khong-co.docx")
    with pytest.raises(ReadError, match="là một thư mục"):
        read_path(tmp_path)
