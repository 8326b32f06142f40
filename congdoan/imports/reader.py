"""Reading tabular import files: CSV, XLSX, XLS and ODS, one row at a time.

The pipeline (architecture §3, §5) is read → validate → preview → commit → report. This module is
the *read* step and the types every importer shares:

- :func:`open_table` checks the file (size, zip bomb, encoding, header) and returns a :class:`Table`
  whose :meth:`Table.rows` is a generator of :class:`Row` — CSV is streamed from disk; spreadsheets
  are read by python-calamine (which holds one sheet in memory, bounded by the zip checks below).
- Structural problems (too big, not a spreadsheet, wrong encoding, wrong header, empty) raise
  :class:`ImportFailed` at once. Problems in a cell (a formula) are attached to its :class:`Row`
  so the importer can report them together with its own validation errors.
- :class:`RowError` numbers rows as the user sees them in the spreadsheet: the header is row 1.
- :func:`write_all_or_nothing` is the *commit* step every importer ends with, and the one meaning of
  a **dry run** (``congdoan import KIND FILE --dry-run``, the preview of an upload): check everything,
  then do the very writes a real run would do inside a transaction (a savepoint when the caller is
  already in one) that is always rolled back — so the counts created/updated/unchanged are exactly the
  real run's, even where rows depend on rows written before them (a unit under a unit of the same
  file, a ratio whose parts come later), and nothing stays stored. Only a real run writes its audit
  entry. (On PostgreSQL a dry run may consume sequence numbers: ids are never reused, gaps are harmless.)

Encoding decision: CSV must be UTF-8 (with or without BOM). Anything else — Windows-1258, UTF-16,
or the legacy TCVN3/VNI font encodings still found in old Vietnamese files — is refused with a
message telling the user to save as "CSV UTF-8" or XLSX. We do not guess: TCVN3 and VNI files are
valid byte strings in cp1258/cp1252 too, so a "successful" cp1258 decode can silently store mojibake
in the source of truth; a one-time "save as UTF-8" is the cheaper mistake.

Settings (all optional): ``IMPORT_MAX_BYTES`` (default 200 MB, the file itself),
``IMPORT_MAX_UNCOMPRESSED_BYTES`` (default 1 GB, sum of an xlsx/ods zip's members) and
``IMPORT_MAX_ZIP_RATIO`` (default 100, uncompressed/compressed, checked above 10 MB uncompressed).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import os
import re
import sys
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, BinaryIO, TextIO, TypeVar

from django.conf import settings
from django.db import transaction

from congdoan.core.formatting import parse_date
from congdoan.core.text import fold, nfc

__all__ = [
    "Cell",
    "Column",
    "ImportFailed",
    "ImportResult",
    "ProgressBar",
    "ProgressCallback",
    "Row",
    "RowError",
    "Source",
    "Table",
    "cell_date",
    "cell_text",
    "column_letter",
    "file_sha256",
    "open_table",
    "source_name",
    "write_all_or_nothing",
]

Cell = str | int | float | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None
Source = str | os.PathLike[str] | IO[bytes]
ProgressCallback = Callable[[int, int | None], None]
"""``progress(done, total)``: rows read so far and the (estimated) total, or None when unknown."""

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
DEFAULT_MAX_UNCOMPRESSED = 1024 * 1024 * 1024
DEFAULT_MAX_RATIO = 100
RATIO_CHECK_ABOVE = 10 * 1024 * 1024
MAX_ZIP_MEMBERS = 10_000

SAVE_AS_HINT = "Hãy mở tệp bằng Excel và lưu lại dưới dạng «CSV UTF-8» hoặc «Sổ làm việc Excel (.xlsx)»."

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


# -- shared types ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One problem, where the user will find it: ``row`` as numbered in the spreadsheet (header = 1;
    0 = the file as a whole) and ``column`` as headed in the file ("" = the whole row)."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.row and self.column:
            return f"Dòng {self.row}, cột {self.column}: {self.message}"
        if self.row:
            return f"Dòng {self.row}: {self.message}"
        return self.message


class ImportFailed(Exception):
    """The file cannot be imported; ``errors`` lists every problem found."""

    def __init__(self, errors: Sequence[RowError] | RowError | str) -> None:
        if isinstance(errors, str):
            errors = [RowError(0, "", errors)]
        elif isinstance(errors, RowError):
            errors = [errors]
        self.errors: list[RowError] = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


@dataclass
class ImportResult:
    """What an import did (or, on a dry run, would do). Nothing is stored when ``errors`` is set."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False
    file_name: str = ""
    sha256: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def summary(self) -> str:
        return f"Đã tạo: {self.created}, cập nhật: {self.updated}, không đổi: {self.unchanged}"


T = TypeVar("T")


def write_all_or_nothing(
    write: Callable[[], T], *, dry_run: bool, audit: Callable[[], object] | None = None
) -> T:
    """Run an importer's ``write()`` in one transaction: all of it is stored, or nothing.

    ``dry_run``: the same writes, always rolled back (a savepoint when a transaction is already open),
    so a dry run checks what only writing can check and counts exactly what a real run would.
    ``audit()`` runs after the writes of a real run only, in the same transaction. An exception raised
    by ``write`` (the importer's own "abort" with its row errors) rolls everything back and propagates.
    """
    with transaction.atomic():
        outcome = write()
        if dry_run:
            transaction.set_rollback(True)
        elif audit is not None:
            audit()
    return outcome


@dataclass(frozen=True)
class Column:
    """An expected column: its contract code (``key``), a Vietnamese label and accepted aliases."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = True

    def names(self) -> set[str]:
        return {_header_key(n) for n in (self.key, self.label, *self.aliases)}

    def describe(self) -> str:
        return f"{self.key} ({self.label})"


@dataclass
class Row:
    """One data row: ``values`` by column key (missing optional columns are absent), with the
    header text of each column (for error messages) and any cell problems the reader found."""

    number: int
    values: dict[str, Cell]
    headers: dict[str, str]
    errors: list[RowError] = field(default_factory=list)

    def get(self, key: str) -> Cell:
        return self.values.get(key)

    def has(self, key: str) -> bool:
        return key in self.values

    def error(self, key: str, message: str) -> RowError:
        return RowError(self.number, self.headers.get(key, key), message)


# -- cell helpers ------------------------------------------------------------------------------


def column_letter(index: int) -> str:
    """0 → "A", 25 → "Z", 26 → "AA" (as Excel names columns)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


def cell_text(value: Cell) -> str:
    """A cell as NFC text: numbers typed as codes come back without ".0"; empty → ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M") if value.time() != dt.time() else value.strftime("%d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    text = str(value)
    if text.isascii():  # codes, numbers: only the whitespace part of nfc() applies
        return " ".join(text.split())
    return nfc(text)


def cell_date(value: Cell) -> dt.date | None:
    """A date cell (a spreadsheet date, or text dd/mm/yyyy or yyyy-mm-dd); empty → None.

    Raises ValueError with a Vietnamese message."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool | int | float):
        raise ValueError(f"Ngày không hợp lệ: «{cell_text(value)}» (dùng dd/mm/yyyy, ví dụ 15/01/2021)")
    return parse_date(str(value))


# A value a spreadsheet program would run as a formula (CSV/formula injection): "=…" always; "+", "-"
# or "@" followed by a function call, a cell reference, a DDE "|…!" or a nested "=". Plain signed
# numbers, phone numbers ("+84 912 345 678"), dashes used as "nothing" and "- text" stay allowed.
_FORMULA_RE = re.compile(
    r"""^\s*(?:
        =.+
      | [+\-@]\s*[A-Za-z_][\w.]*\s*\(
      | [+\-@].*[|!=]
      | [+\-@]\s*\$?[A-Za-z]{1,3}\$?\d+\b
      | @[A-Za-z_]
    )""",
    re.VERBOSE | re.DOTALL,
)


def looks_like_formula(value: str) -> bool:
    return bool(_FORMULA_RE.match(value))


# -- sources -----------------------------------------------------------------------------------


def source_name(source: Source) -> str:
    if isinstance(source, str | os.PathLike):
        return Path(source).name
    return Path(str(getattr(source, "name", "") or "")).name


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _open_binary(source: Source) -> tuple[BinaryIO, bool]:
    """The source as a seekable binary file, and whether we opened it (and must close it)."""
    if isinstance(source, str | os.PathLike):
        try:
            return open(source, "rb"), True
        except FileNotFoundError:
            raise ImportFailed(f"Không tìm thấy tệp «{source}».") from None
        except IsADirectoryError:
            raise ImportFailed(f"«{source}» là một thư mục, không phải tệp.") from None
        except OSError as exc:
            raise ImportFailed(f"Không mở được tệp «{source}»: {exc.strerror}.") from None
    fh: Any = source
    if not (hasattr(fh, "read") and hasattr(fh, "seek")):
        raise TypeError("path_or_file must be a path or a seekable binary file")
    fh.seek(0)
    return fh, False


def _size(fh: BinaryIO) -> int:
    fh.seek(0, io.SEEK_END)
    size = fh.tell()
    fh.seek(0)
    return size


def file_sha256(source: Source) -> str:
    """The hex SHA-256 of the file's bytes (recorded in the import's audit entry)."""
    fh, owned = _open_binary(source)
    try:
        fh.seek(0)
        digest = hashlib.file_digest(fh, "sha256").hexdigest()  # type: ignore[arg-type]
        fh.seek(0)
        return digest
    finally:
        if owned:
            fh.close()


def _fmt_mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB".replace(".", ",")


def _check_zip(fh: BinaryIO, compressed_size: int) -> str:
    """Refuse zip bombs before calamine inflates anything; returns "xlsx" or "ods"."""
    try:
        with zipfile.ZipFile(fh) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            kind = ""
            if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
                kind = "xlsx"
            elif "content.xml" in names:
                kind = "ods"
                if "mimetype" in names:
                    with zf.open("mimetype") as m:
                        if m.read(200).strip() != _ODS_MIMETYPE:
                            kind = ""
    except (zipfile.BadZipFile, OSError, EOFError):
        raise ImportFailed("Tệp bảng tính bị hỏng hoặc không đọc được. " + SAVE_AS_HINT) from None
    finally:
        fh.seek(0)
    if not kind:
        raise ImportFailed("Tệp nén này không phải bảng tính XLSX hoặc ODS. " + SAVE_AS_HINT)
    total = sum(i.file_size for i in infos)
    max_total = _setting("IMPORT_MAX_UNCOMPRESSED_BYTES", DEFAULT_MAX_UNCOMPRESSED)
    max_ratio = _setting("IMPORT_MAX_ZIP_RATIO", DEFAULT_MAX_RATIO)
    too_many = len(infos) > MAX_ZIP_MEMBERS
    too_big = total > max_total
    too_dense = total > RATIO_CHECK_ABOVE and total > max_ratio * max(compressed_size, 1)
    if too_many or too_big or too_dense:
        raise ImportFailed(
            f"Tệp bảng tính khi giải nén lên tới {_fmt_mb(total)} (tệp gốc {_fmt_mb(compressed_size)}), "
            "vượt giới hạn an toàn; tệp có thể bị làm hỏng hoặc chứa dữ liệu độc hại. "
            "Hãy chia nhỏ tệp hoặc xóa các trang tính, định dạng không cần thiết rồi thử lại."
        )
    return kind


def _sniff_kind(fh: BinaryIO, name: str, size: int) -> str:
    head = fh.read(8)
    fh.seek(0)
    if head.startswith(_ZIP_MAGIC):
        return _check_zip(fh, size)
    if head.startswith(_OLE_MAGIC):
        return "xls"
    suffix = Path(name).suffix.lower()
    if suffix in {".xlsx", ".xlsm", ".ods", ".xls"}:
        raise ImportFailed(f"Tệp «{name}» không phải bảng tính {suffix[1:].upper()} hợp lệ. " + SAVE_AS_HINT)
    return "csv"


# -- header ------------------------------------------------------------------------------------

_IGNORED_HEADERS = {"stt", "so tt", "so thu tu", "ghi chu"}


def _header_key(text: str) -> str:
    """ "Mã đơn vị cấp trên (*)" → "ma don vi cap tren"; "parent_code" → "parent code"."""
    key = fold(str(text))
    key = re.sub(r"\(\s*\*\s*\)|\*", " ", key)
    key = re.sub(r"[\s_\-.:]+", " ", key)
    return key.strip()


def _expected(columns: Sequence[Column]) -> str:
    required = ", ".join(c.describe() for c in columns if c.required)
    optional = ", ".join(c.describe() for c in columns if not c.required)
    text = f"Các cột cần có: {required}"
    return text + (f"; có thể thêm: {optional}." if optional else ".")


def _map_header(
    header: list[Cell], columns: Sequence[Column], row: int = 1, offset: int = 0
) -> tuple[dict[int, str], dict[str, str]]:
    """Column index → key, and key → header text; raises ImportFailed listing what is wrong."""
    lookup: dict[str, Column] = {}
    for column in columns:
        for n in column.names():
            lookup[n] = column
    positions: dict[int, str] = {}
    texts: dict[str, str] = {}
    errors: list[RowError] = []
    for i, raw in enumerate(header):
        text = cell_text(raw)
        key = _header_key(text)
        if not key or key in _IGNORED_HEADERS:
            continue
        col = lookup.get(key)
        if col is None:
            errors.append(
                RowError(row, text, f"Không nhận ra cột «{text}» (ô {column_letter(i + offset)}{row}).")
            )
        elif col.key in texts:
            errors.append(RowError(row, text, f"Cột «{text}» trùng với cột «{texts[col.key]}»."))
        else:
            positions[i] = col.key
            texts[col.key] = text
    missing = [c for c in columns if c.required and c.key not in texts]
    if missing:
        names = ", ".join(c.describe() for c in missing)
        errors.append(RowError(row, "", f"Thiếu cột: {names}."))
    if errors:
        errors.append(RowError(row, "", _expected(columns) + " Dòng đầu tiên của tệp phải là dòng tiêu đề."))
        raise ImportFailed(errors)
    return positions, texts


# -- reading -----------------------------------------------------------------------------------


class _CountingReader(io.RawIOBase):
    """Counts bytes as the CSV is read, for a progress estimate without a second pass."""

    def __init__(self, fh: BinaryIO) -> None:
        self.fh = fh
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.fh.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.count += n
        return n


def _check_text_encoding(fh: BinaryIO) -> None:
    """Refuse files that are not UTF-8 by looking at their first 64 KB (the rest is checked as read)."""
    head = fh.read(65536)
    fh.seek(0)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise ImportFailed(
            "Tệp được lưu theo mã UTF-16 (Unicode Text), không phải CSV UTF-8. " + SAVE_AS_HINT
        )
    if b"\x00" in head:
        raise ImportFailed("Tệp không phải tệp CSV (có dữ liệu nhị phân). " + SAVE_AS_HINT)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        raise ImportFailed(_encoding_message()) from None


def _encoding_message(row: int | None = None) -> str:
    where = f" (từ dòng {row})" if row else ""
    return (
        f"Tệp CSV không dùng bảng mã UTF-8{where}: có thể được lưu theo bảng mã cũ "
        "(Windows-1258, TCVN3, VNI) nên chữ tiếng Việt sẽ bị lỗi. " + SAVE_AS_HINT
    )


def _sniff_delimiter(first_line: str) -> str:
    # Excel on a Vietnamese (decimal comma) Windows saves "CSV" with ";" between fields.
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


class Table:
    """An opened import file: its header is checked; iterate :meth:`rows` once."""

    def __init__(
        self,
        source: Source,
        columns: Sequence[Column],
        *,
        sheet: str | int | None = None,
        max_bytes: int | None = None,
    ) -> None:
        self.columns = list(columns)
        self.name = source_name(source)
        self._fh, self._owned = _open_binary(source)
        try:
            self.size = _size(self._fh)
            limit = max_bytes if max_bytes is not None else _setting("IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)
            if self.size > limit:
                raise ImportFailed(
                    f"Tệp «{self.name}» có dung lượng {_fmt_mb(self.size)}, vượt giới hạn {_fmt_mb(limit)}. "
                    "Hãy chia thành nhiều tệp nhỏ hơn."
                )
            if self.size == 0:
                raise ImportFailed(f"Tệp «{self.name}» rỗng, không có dữ liệu.")
            self.kind = _sniff_kind(self._fh, self.name, self.size)
            self.total: int | None = None
            self.sheet_name = ""
            if self.kind == "csv":
                self._raw_rows = self._csv_rows()
            else:
                self._raw_rows = self._sheet_rows(sheet)
            self.positions, self.headers = self._read_header()
        except BaseException:
            self.close()
            raise

    # Each raw row is (spreadsheet row number, column offset, cells).
    def _csv_rows(self) -> Iterator[tuple[int, int, list[Cell]]]:
        _check_text_encoding(self._fh)
        self._counter = _CountingReader(self._fh)
        state = {"records": 0}
        lines = _decoded_lines(io.BufferedReader(self._counter), state)
        number = 0
        try:
            first = next(lines, "")
            reader = csv.reader(_chain_first(first, lines), delimiter=_sniff_delimiter(first))
            for number, cells in enumerate(reader, start=1):
                state["records"] = number
                yield number, 0, list(cells)
        except csv.Error as exc:
            raise ImportFailed(RowError(number + 1, "", f"Dòng CSV không hợp lệ ({exc}).")) from None

    def _sheet_rows(self, sheet: str | int | None) -> Iterator[tuple[int, int, list[Cell]]]:
        from python_calamine import CalamineError, CalamineWorkbook

        try:
            book = CalamineWorkbook.from_filelike(self._fh)
        except CalamineError as exc:
            raise ImportFailed(
                f"Không đọc được tệp bảng tính «{self.name}» ({exc}). " + SAVE_AS_HINT
            ) from None
        names = list(book.sheet_names)
        index = _pick_sheet(names, sheet)
        try:
            data = book.get_sheet_by_index(index)
        except CalamineError:
            # The sheet is inflated only here: a zip whose header understates a member's size, or a
            # cut or tampered XML, fails now (calamine's XmlError), after the checks above passed.
            raise ImportFailed(
                f"Tệp bảng tính «{self.name}» bị hỏng: không đọc được trang tính «{names[index]}» "
                "(nội dung nén không khớp với khai báo hoặc bị cắt cụt). " + SAVE_AS_HINT
            ) from None
        self.sheet_name = names[index]
        start = data.start
        col_offset = start[1] if start else 0
        # calamine yields rows from the sheet's first row but columns from the first used column.
        self.total = max(data.height - 1, 0) if start else 0
        return _numbered(data.iter_rows(), col_offset)

    def _read_header(self) -> tuple[dict[int, str], dict[str, str]]:
        for number, offset, cells in self._raw_rows:
            if _blank(cells):
                continue
            return _map_header(cells, self.columns, number, offset)
        if self.kind == "csv":
            raise ImportFailed(f"Tệp «{self.name}» rỗng, không có dữ liệu.")
        raise ImportFailed(f"Trang tính «{self.sheet_name}» của tệp «{self.name}» rỗng, không có dữ liệu.")

    def rows(self, progress: ProgressCallback | None = None) -> Iterator[Row]:
        """Data rows after the header; blank rows are skipped. Raises ImportFailed if there is none."""
        seen = 0
        try:
            for number, offset, cells in self._raw_rows:
                if _blank(cells):
                    continue
                values: dict[str, Cell] = {}
                errors: list[RowError] = []
                for i, key in self.positions.items():
                    value = cells[i] if i < len(cells) else None
                    if isinstance(value, str):
                        value = value.strip()
                        if looks_like_formula(value):
                            ref = f"{column_letter(i + offset)}{number}"
                            errors.append(
                                RowError(
                                    number,
                                    self.headers[key],
                                    f"Ô {ref} chứa công thức «{_clip(value)}»; chỉ nhập giá trị, không nhập "
                                    "công thức.",
                                )
                            )
                            value = None
                        elif value == "":
                            value = None
                    values[key] = value
                seen += 1
                yield Row(number=number, values=values, headers=self.headers, errors=errors)
                if progress is not None:
                    progress(seen, self._estimate(seen))
            if progress is not None and seen:
                progress(seen, seen)
        finally:
            self.close()
        if seen == 0:
            raise ImportFailed(f"Tệp «{self.name}» chỉ có dòng tiêu đề, không có dòng dữ liệu nào.")

    def _estimate(self, seen: int) -> int | None:
        if self.total is not None:
            return self.total
        counted = getattr(self, "_counter", None)
        if counted is None or not counted.count:
            return None
        return max(seen, round(seen * self.size / counted.count))

    def close(self) -> None:
        if self._owned and not self._fh.closed:
            self._fh.close()

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _clip(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _blank(cells: Sequence[Cell]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _decoded_lines(raw: BinaryIO, state: dict[str, int]) -> Iterator[str]:
    """UTF-8 lines (BOM dropped), decoded one by one so a bad byte is reported on its own row."""
    for i, line in enumerate(raw):
        try:
            text = line.decode("utf-8-sig" if i == 0 else "utf-8")
        except UnicodeDecodeError:
            raise ImportFailed(_encoding_message(state["records"] + 1)) from None
        yield text


def _chain_first(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


def _numbered(rows: Iterator[list[Any]], offset: int) -> Iterator[tuple[int, int, list[Cell]]]:
    for index, cells in enumerate(rows):
        yield index + 1, offset, cells


def _pick_sheet(names: list[str], sheet: str | int | None) -> int:
    """``None`` → the first sheet; an int → 0-based index; a string → the sheet of that name (folded
    match), or, if no sheet has that name and it is a number, the 1-based position ("2" = second)."""
    if not names:
        raise ImportFailed("Tệp bảng tính không có trang tính nào.")
    listing = ", ".join(f"«{n}»" for n in names)
    if sheet is None:
        return 0
    if isinstance(sheet, int):
        if 0 <= sheet < len(names):
            return sheet
        raise ImportFailed(f"Tệp chỉ có {len(names)} trang tính: {listing}.")
    for i, n in enumerate(names):
        if n == sheet:
            return i
    for i, n in enumerate(names):
        if fold(n) == fold(sheet):
            return i
    if sheet.strip().isdigit() and 1 <= int(sheet) <= len(names):
        return int(sheet) - 1
    raise ImportFailed(f"Không có trang tính «{sheet}». Các trang tính trong tệp: {listing}.")


def open_table(
    source: Source,
    columns: Sequence[Column],
    *,
    sheet: str | int | None = None,
    max_bytes: int | None = None,
) -> Table:
    """Open ``source`` (a path or a seekable binary file) and check its header against ``columns``."""
    return Table(source, columns, sheet=sheet, max_bytes=max_bytes)


# -- terminal progress -------------------------------------------------------------------------


class ProgressBar:
    """``[██████░░░░]  60% 12.000/20.000 dòng`` on stderr, redrawn in place — only on a terminal."""

    def __init__(self, label: str = "Đang đọc", stream: TextIO | None = None, width: int = 30) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.label = label
        self.width = width
        isatty = getattr(self.stream, "isatty", None)
        self.enabled = bool(isatty and isatty())
        self._last: tuple[int, int] | None = None
        self._drawn = False

    def __call__(self, done: int, total: int | None) -> None:
        if not self.enabled:
            return
        if total:
            pct = min(100, done * 100 // total)
            key = (pct, 0)
            if key == self._last:
                return
            filled = self.width * pct // 100
            bar = "█" * filled + "░" * (self.width - filled)
            line = f"\r{self.label} [{bar}] {pct:3d}% {_dots(done)}/{_dots(max(total, done))} dòng"
        else:
            key = (-1, done // 1000)
            if key == self._last:
                return
            line = f"\r{self.label}… {_dots(done)} dòng"
        self._last = key
        self._drawn = True
        self.stream.write(line)
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _dots(n: int) -> str:
    return f"{n:,}".replace(",", ".")
