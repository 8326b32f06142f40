"""The import reader on real files: CSV in several encodings, XLSX written by openpyxl, zip bombs."""

from __future__ import annotations

import datetime as dt
import io
import types
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
import pytest

from congdoan.imports.reader import (
    Column,
    ImportFailed,
    ProgressBar,
    RowError,
    cell_date,
    cell_text,
    column_letter,
    file_sha256,
    looks_like_formula,
    open_table,
)

COLUMNS = [
    Column("code", "Mã đơn vị"),
    Column("name", "Tên đơn vị"),
    Column("valid_from", "Ngày hiệu lực", required=False),
]


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows wrote it: base letters precomposed, tones as combining marks."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
            out += (base + tones).encode("cp1258")
    return out


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def read_all(source: object, columns: list[Column] = COLUMNS, **kwargs: object) -> list:
    table = open_table(source, columns, **kwargs)  # type: ignore[arg-type]
    return list(table.rows())


def messages(exc: pytest.ExceptionInfo[ImportFailed]) -> str:
    return "\n".join(str(e) for e in exc.value.errors)


# -- CSV -----------------------------------------------------------------------------------------


def test_csv_utf8_with_bom_and_vietnamese_headers(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "dv.csv",
        "Mã đơn vị,Tên đơn vị,Ngày hiệu lực\r\n"
        "GL1,CĐCS Công ty May Gia Lâm,01/03/2010\r\n"
        "GL2,Trường Đặng Xá,\r\n",
        "utf-8-sig",
    )
    rows = read_all(path)
    assert [r.number for r in rows] == [2, 3]
    assert rows[0].values == {"code": "GL1", "name": "CĐCS Công ty May Gia Lâm", "valid_from": "01/03/2010"}
    assert rows[1].get("valid_from") is None
    assert rows[0].headers["code"] == "Mã đơn vị"


def test_csv_utf8_without_bom_contract_codes_and_semicolons(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "dv.csv", "code;name\nHN;LĐLĐ thành phố Hà Nội\n")
    rows = read_all(path)
    assert rows[0].values == {"code": "HN", "name": "LĐLĐ thành phố Hà Nội"}
    assert not rows[0].has("valid_from")


def test_headers_match_accent_and_case_insensitively(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "dv.csv", "MA DON VI (*), ten  don vi,STT\nA,Tên,1\n")
    rows = read_all(path)
    assert rows[0].values == {"code": "A", "name": "Tên"}


def test_blank_lines_are_skipped_but_row_numbers_kept(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "dv.csv", "code,name\n\nA,Một\n,\nB,Hai\n")
    assert [(r.number, r.get("code")) for r in read_all(path)] == [(3, "A"), (5, "B")]


def test_rows_are_streamed(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "dv.csv", "code,name\n" + "".join(f"U{i},Đơn vị {i}\n" for i in range(50)))
    table = open_table(path, COLUMNS)
    rows = table.rows()
    assert isinstance(rows, types.GeneratorType)
    assert next(rows).get("code") == "U0"
    assert sum(1 for _ in rows) == 49


def test_cp1258_csv_is_refused_with_a_save_as_utf8_hint(tmp_path: Path) -> None:
    text = "code,name\nGL1,Công đoàn cơ sở Công ty Dệt may Hà Nội\n"
    path = tmp_path / "cu.csv"
    path.write_bytes(to_cp1258(text))
    assert unicodedata.normalize("NFC", path.read_bytes().decode("cp1258")) == text
    with pytest.raises(ImportFailed) as exc:
        read_all(path)
    msg = messages(exc)
    assert "UTF-8" in msg and "Windows-1258" in msg and "XLSX" in msg.upper()


def test_non_utf8_far_down_the_file_is_refused_too(tmp_path: Path) -> None:
    good = "code,name\n" + "".join(f"U{i},Đơn vị số {i}\n" for i in range(5000))
    path = tmp_path / "mixed.csv"
    path.write_bytes(good.encode("utf-8") + to_cp1258("X,Công đoàn\n"))
    table = open_table(path, COLUMNS)
    with pytest.raises(ImportFailed) as exc:
        list(table.rows())
    assert "UTF-8" in messages(exc) and "dòng 5002" in messages(exc)


def test_utf16_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "u16.csv", "code\tname\nA\tB\n", "utf-16")
    with pytest.raises(ImportFailed) as exc:
        read_all(path)
    assert "UTF-16" in messages(exc)


def test_empty_file(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "empty.csv", "")
    with pytest.raises(ImportFailed) as exc:
        read_all(path)
    assert "rỗng" in messages(exc)


def test_blank_lines_only(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "blank.csv", "\n\n \n", "utf-8-sig")
    with pytest.raises(ImportFailed) as exc:
        read_all(path)
    assert "rỗng" in messages(exc)


def test_header_only(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "header.csv", "code,name\n")
    with pytest.raises(ImportFailed) as exc:
        read_all(path)
    assert "chỉ có dòng tiêu đề" in messages(exc)


def test_missing_and_unknown_columns_list_what_is_expected(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bad.csv", "code,ten_dv_sai\nA,B\n")
    with pytest.raises(ImportFailed) as exc:
        read_all(path)
    errors = exc.value.errors
    assert RowError(1, "ten_dv_sai", "Không nhận ra cột «ten_dv_sai» (ô B1).") in errors
    msg = messages(exc)
    assert "Thiếu cột: name (Tên đơn vị)" in msg
    assert (
        "Các cột cần có: code (Mã đơn vị), name (Tên đơn vị); có thể thêm: valid_from (Ngày hiệu lực)" in msg
    )


def test_duplicate_column(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "dup.csv", "code,Mã đơn vị,name\nA,A,B\n")
    with pytest.raises(ImportFailed) as exc:
        read_all(path)
    assert "Cột «Mã đơn vị» trùng với cột «code»." in messages(exc)


def test_formula_cells_are_refused_naming_the_cell(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "f.csv",
        'code,name\nA,=HYPERLINK("http://x";"bấm")\nB,+84 912 345 678\nC,-\nD,@SUM(A1:A2)\n'
        "E,- Tổ 1\nF,-5\nG,+A1\nH,=1+1\n",
    )
    rows = read_all(path)
    bad = {r.get("code"): r.errors for r in rows if r.errors}
    assert set(bad) == {"A", "D", "G", "H"}
    assert bad["A"][0].row == 2 and bad["A"][0].column == "name"
    assert bad["A"][0].message.startswith("Ô B2 chứa công thức «=HYPERLINK(")
    assert rows[0].get("name") is None  # the formula is never passed on
    assert rows[1].get("name") == "+84 912 345 678"


@pytest.mark.parametrize(
    ("value", "formula"),
    [
        ("=A1", True),
        ("=", False),
        ("+SUM(1,2)", True),
        ("-cmd|' /C calc'!A0", True),
        ("@A1", True),
        ("+84912345678", False),
        ("-12,5", False),
        ("- Ghi chú", False),
        ("Nguyễn Văn A", False),
    ],
)
def test_looks_like_formula(value: str, formula: bool) -> None:
    assert looks_like_formula(value) is formula


def test_file_too_big(tmp_path: Path, settings: object) -> None:
    settings.IMPORT_MAX_BYTES = 20  # type: ignore[attr-defined]
    path = write_csv(tmp_path / "big.csv", "code,name\n" + "A,B\n" * 10)
    with pytest.raises(ImportFailed) as exc:
        read_all(path)
    assert "vượt giới hạn" in messages(exc)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ImportFailed) as exc:
        read_all(tmp_path / "khong-co.csv")
    assert "Không tìm thấy tệp" in messages(exc)


def test_file_object_source(tmp_path: Path) -> None:
    buf = io.BytesIO("code,name\nA,Ạ\n".encode())
    buf.name = "upload.csv"  # type: ignore[attr-defined]
    table = open_table(buf, COLUMNS)
    assert table.name == "upload.csv"
    assert [r.get("name") for r in table.rows()] == ["Ạ"]
    assert file_sha256(buf) == file_sha256(io.BytesIO("code,name\nA,Ạ\n".encode()))


# -- XLSX ----------------------------------------------------------------------------------------


def test_xlsx_first_sheet_by_default_with_dates_and_numbers(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "dv.xlsx",
        {
            "Đơn vị": [["Mã đơn vị", "Tên đơn vị", "Ngày hiệu lực"], [123, "Tổ 1", dt.date(2025, 7, 1)]],
            "Khác": [["code", "name"], ["X", "Y"]],
        },
    )
    table = open_table(path, COLUMNS)
    assert table.kind == "xlsx" and table.sheet_name == "Đơn vị"
    rows = list(table.rows())
    assert rows[0].number == 2
    assert cell_text(rows[0].get("code")) == "123"
    assert cell_date(rows[0].get("valid_from")) == dt.date(2025, 7, 1)


@pytest.mark.parametrize("sheet", ["Khác", "khac", 1, "2"])
def test_xlsx_sheet_by_name_or_index(tmp_path: Path, sheet: str | int) -> None:
    sheets: dict[str, list[list[object]]] = {
        "Đơn vị": [["code", "name"]],
        "Khác": [["code", "name"], ["X", "Y"]],
    }
    path = write_xlsx(tmp_path / "dv.xlsx", sheets)
    assert [r.get("code") for r in read_all(path, sheet=sheet)] == ["X"]


def test_xlsx_unknown_sheet(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "dv.xlsx", {"Đơn vị": [["code", "name"], ["A", "B"]]})
    with pytest.raises(ImportFailed) as exc:
        read_all(path, sheet="Sheet9")
    assert "Không có trang tính «Sheet9». Các trang tính trong tệp: «Đơn vị»." in messages(exc)


def test_xlsx_header_lower_down_keeps_spreadsheet_row_numbers(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["B3"], ws["C3"] = "code", "name"
    ws["B4"], ws["C4"] = "A", "=SUM(1,2)"
    ws["C4"].data_type = "s"  # text that looks like a formula, as a pasted cell would be
    ws["B6"], ws["C6"] = "B", "Hai"
    path = tmp_path / "offset.xlsx"
    wb.save(path)
    rows = read_all(path)
    assert [r.number for r in rows] == [4, 6]
    assert rows[0].errors[0].message.startswith("Ô C4 chứa công thức")


def test_xlsx_empty_sheet(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "dv.xlsx", {"Trống": []})
    with pytest.raises(ImportFailed) as exc:
        read_all(path)
    assert "rỗng" in messages(exc)


ODS_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:spreadsheet><table:table table:name="Đơn vị">
%s
</table:table></office:spreadsheet></office:body></office:document-content>"""


ODS_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
<manifest:file-entry manifest:full-path="/"
 manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""


def write_ods(path: Path, rows: list[list[str]]) -> Path:
    """A minimal OpenDocument spreadsheet, as LibreOffice would save it (mimetype first, stored)."""
    cell = '<table:table-cell office:value-type="string"><text:p>%s</text:p></table:table-cell>'
    body = "".join(f"<table:table-row>{''.join(cell % v for v in row)}</table:table-row>" for row in rows)
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", ODS_CONTENT % body, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml", ODS_MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
    return path


def test_ods(tmp_path: Path) -> None:
    path = write_ods(tmp_path / "dv.ods", [["Mã đơn vị", "Tên đơn vị"], ["A", "Tên Ạ"]])
    table = open_table(path, COLUMNS)
    assert table.kind == "ods" and table.sheet_name == "Đơn vị"
    assert [(r.number, r.values) for r in table.rows()] == [(2, {"code": "A", "name": "Tên Ạ"})]


def test_xlsx_extension_on_a_text_file(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "fake.xlsx", "code,name\nA,B\n")
    with pytest.raises(ImportFailed) as exc:
        read_all(path)
    assert "không phải bảng tính XLSX" in messages(exc)


def test_zip_that_is_not_a_spreadsheet(tmp_path: Path) -> None:
    path = tmp_path / "docs.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "xin chào")
    with pytest.raises(ImportFailed) as exc:
        read_all(path)
    assert "không phải bảng tính XLSX hoặc ODS" in messages(exc)


def test_zip_bomb_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (12 * 1024 * 1024))
    assert path.stat().st_size < 100_000
    with pytest.raises(ImportFailed) as exc:
        read_all(path)
    assert "vượt giới hạn an toàn" in messages(exc)


def test_uncompressed_size_limit_is_a_setting(tmp_path: Path, settings: object) -> None:
    path = write_xlsx(tmp_path / "dv.xlsx", {"Đơn vị": [["code", "name"], ["A", "B"]]})
    assert read_all(path)
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 1000  # type: ignore[attr-defined]
    with pytest.raises(ImportFailed) as exc:
        read_all(path)
    assert "vượt giới hạn an toàn" in messages(exc)


# -- helpers -------------------------------------------------------------------------------------


def test_cell_helpers() -> None:
    assert cell_text(12.0) == "12" and cell_text(None) == "" and cell_text("  Hoà  bình ") == "Hòa bình"
    assert cell_date("15/01/2021") == dt.date(2021, 1, 15)
    assert cell_date("2021-01-15") == dt.date(2021, 1, 15)
    assert cell_date(dt.datetime(2021, 1, 15, 0, 0)) == dt.date(2021, 1, 15)  # noqa: DTZ001
    assert cell_date("") is None
    with pytest.raises(ValueError, match="Ngày không hợp lệ"):
        cell_date("15.13")
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]


def test_row_error_text() -> None:
    assert str(RowError(5, "parent_code", "Không tìm thấy.")) == "Dòng 5, cột parent_code: Không tìm thấy."
    assert str(RowError(5, "", "Sai.")) == "Dòng 5: Sai."
    assert str(RowError(0, "", "Tệp rỗng.")) == "Tệp rỗng."


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_draws_only_on_a_terminal() -> None:
    tty = FakeTTY()
    with ProgressBar("Đang đọc", stream=tty) as bar:
        bar(500, 1000)
        bar(501, 1000)  # same percent: not redrawn
        bar(1000, 1000)
    out = tty.getvalue()
    assert out.count("\r") == 2 and " 50% 500/1.000 dòng" in out and out.endswith("\n")
    plain = io.StringIO()
    with ProgressBar(stream=plain) as bar:
        bar(1, 2)
    assert plain.getvalue() == ""


def test_progress_callback_gets_an_estimate_for_csv(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "dv.csv", "code,name\n" + "".join(f"U{i},Đơn vị {i}\n" for i in range(3000)))
    calls: list[tuple[int, int | None]] = []
    rows = list(open_table(path, COLUMNS).rows(lambda done, total: calls.append((done, total))))
    assert len(rows) == 3000 and calls[-1][0] == 3000
    assert calls[-1][1] is not None and calls[-1][1] >= 3000
