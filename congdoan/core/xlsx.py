"""The one XLSX writer: every workbook the platform produces (list exports, report tables, cluster
files, import templates, the CLI) is written through :class:`WorkbookWriter`.

Why one writer:

- **Formula-safe.** Text starting with ``= + - @``, a tab or a carriage return would be evaluated by a
  spreadsheet (a unit renamed ``=HYPERLINK(...)`` becomes a live link). Every string goes through
  :func:`safe_cell`, which prefixes such text with an apostrophe, and is written as a text cell, so
  no cell we write is ever a formula — whoever built the row.
- **Streaming.** openpyxl's write-only mode: each row goes to a temporary file as it is appended
  (inline strings, no shared-string table), so a 100,000-row roster takes the memory of one row.
  The finished workbook is written to an anonymous temporary file and served with a
  :class:`~django.http.FileResponse` (:meth:`WorkbookWriter.response`), never held as bytes.
- **The styles the reports need**: bold headers, fonts, number formats (dates ``DD/MM/YYYY``,
  integers ``#,##0``, percentages), borders, alignment, column widths, row heights, merged title
  and header cells, frozen panes, landscape A4 fitted to the page width.

Write-only sheets are written top to bottom: column widths, frozen panes and page layout are given
when the sheet is created (:meth:`WorkbookWriter.sheet`), row heights before the row is appended;
merges may be declared at any time.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any, NamedTuple

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.cell_range import CellRange

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Text a spreadsheet would evaluate (OWASP "CSV injection"): formulas, DDE (``@``), and the tab / CR
# that some spreadsheets strip before evaluating what follows.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "DD/MM/YYYY"
INT_FORMAT = "#,##0"
# Excel's limit on sheet titles and the characters it refuses in them.
_TITLE_MAX = 31
_TITLE_FORBIDDEN = str.maketrans({c: "-" for c in "[]:*?/\\"})


def safe_cell(value: Any) -> Any:
    """A value safe to put in a cell: text a spreadsheet would evaluate gets a leading apostrophe
    (shown as written, never run); every other value is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def percent_format(decimals: int) -> str:
    """Excel's percentage format with ``decimals`` places: ``0%``, ``0.0%``, ``0.00%``."""
    return "0%" if decimals <= 0 else "0." + "0" * decimals + "%"


def dated_filename(stem: str, ext: str = "xlsx") -> str:
    """``doan-vien-20250314.xlsx``: the stem and today's date (ASCII; the stem is ours, not the user's)."""
    return f"{stem}-{timezone.localdate():%Y%m%d}.{ext}"


@dataclass(frozen=True)
class Style:
    """How a cell looks. Frozen (hashable): the writer turns each distinct style into openpyxl's
    style once and reuses it for every cell that has it."""

    bold: bool = False
    italic: bool = False
    size: float | None = None
    font: str | None = None  # font name; None = the workbook default (Calibri)
    number_format: str | None = None
    horizontal: str | None = None  # "left" | "center" | "right"
    vertical: str | None = None  # "top" | "center" | "bottom"
    wrap: bool = False
    border: bool = False  # a thin black box

    def but(self, **changes: Any) -> Style:
        return replace(self, **changes)


PLAIN = Style()
BOLD = Style(bold=True)
TITLE = Style(bold=True, size=14, horizontal="center")
_THIN = Side(style="thin", color="000000")


class Styled(NamedTuple):
    """A value with its own style inside a row (the row's style applies to the other cells)."""

    value: Any
    style: Style


class Sheet:
    """One worksheet being written, row after row. Created by :meth:`WorkbookWriter.sheet`."""

    def __init__(self, book: WorkbookWriter, ws: WriteOnlyWorksheet, base: Style, int_format: str | None):
        self._book = book
        self._ws = ws
        self._base = base
        self._int_format = int_format
        self._with_format: dict[tuple[Style, str], Style] = {}
        self.rows = 0  # rows written so far (the last row's number)

    def append(
        self, values: Iterable[Any], style: Style | None = None, *, height: float | None = None
    ) -> int:
        """Write the next row and return its number. ``values`` are plain values or :class:`Styled`;
        ``style`` is for the whole row (default: the sheet's base style). Dates get ``DD/MM/YYYY``
        and integers the sheet's ``int_format`` unless the style names a number format."""
        row_style = style or self._base
        cells: list[Any] = []
        for item in values:
            cell_style = row_style
            value = item
            if isinstance(item, Styled):
                value, cell_style = item.value, item.style
            cells.append(self._cell(value, cell_style))
        self.rows += 1
        if height is not None:
            self._ws.row_dimensions[self.rows].height = height
        self._ws.append(cells)
        return self.rows

    def blank(self) -> int:
        """An empty row."""
        return self.append([])

    def title(self, text: str, span: int, style: Style = TITLE, *, height: float | None = None) -> int:
        """A title row: ``text`` in the first cell, merged across ``span`` columns."""
        row = self.append([text], style, height=height)
        if span > 1:
            self.merge(row, 1, row, span)
        return row

    def merge(self, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
        """Merge a block of cells (it may name rows not written yet: merges are saved at the end)."""
        if (first_row, first_col) != (last_row, last_col):
            self._ws.merged_cells.add(
                CellRange(min_row=first_row, min_col=first_col, max_row=last_row, max_col=last_col)
            )

    def _cell(self, value: Any, style: Style) -> Any:
        value = safe_cell(value)
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            value = timezone.localtime(value).replace(tzinfo=None)  # Excel has no time zones
        if style.number_format is None:
            if isinstance(value, dt.date):
                style = self._formatted(style, DATE_FORMAT)
            elif self._int_format and isinstance(value, int) and not isinstance(value, bool):
                style = self._formatted(style, self._int_format)
        if style is PLAIN and not (isinstance(value, str) and value.startswith("#")):
            # The fast path: openpyxl writes the bare value. Safe for text too: safe_cell left no
            # string starting with "=" (which openpyxl would make a formula), and "#..." (which it
            # would make an error value like #N/A) takes the slow path below.
            return value
        cell = WriteOnlyCell(self._ws)
        if style is not PLAIN:
            cell._style = StyleArray(self._book._style_array(style, self._ws))
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"  # text, whatever it looks like: never a formula or an error code
        return cell

    def _formatted(self, style: Style, number_format: str) -> Style:
        key = (style, number_format)
        found = self._with_format.get(key)
        if found is None:
            found = self._with_format[key] = style.but(number_format=number_format)
        return found


class WorkbookWriter:
    """A streaming workbook: add sheets, append rows, then :meth:`response`, :meth:`save` or
    :meth:`to_bytes` (once)."""

    def __init__(self, *, title: str = "", font: str | None = None):
        self._wb = Workbook(write_only=True)
        self._wb.properties.creator = "congdoan"
        if title:
            self._wb.properties.title = title
        self._font = font
        self._styles: dict[Style, StyleArray] = {}
        self.sheets: list[Sheet] = []

    def sheet(
        self,
        title: str,
        *,
        widths: Sequence[float] = (),
        freeze: str | None = None,
        landscape: bool = False,
        print_title_rows: str | None = None,
        base: Style | None = None,
        int_format: str | None = None,
    ) -> Sheet:
        """A new sheet. ``widths`` are the column widths from A; ``freeze`` the first scrolling
        cell (``"A6"``); ``landscape`` prints on A4 landscape fitted to the page width;
        ``base`` is the style of rows appended without one; ``int_format`` the number format of
        integer cells (e.g. ``INT_FORMAT``)."""
        ws = self._wb.create_sheet(title.translate(_TITLE_FORBIDDEN)[:_TITLE_MAX])
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        if freeze:
            ws.freeze_panes = freeze
        if print_title_rows:
            ws.print_title_rows = print_title_rows
        if landscape:
            ws.page_setup.orientation = "landscape"
            ws.page_setup.paperSize = "9"  # A4
            ws.page_setup.fitToWidth = 1
            ws.page_setup.fitToHeight = 0
            ws.sheet_properties.pageSetUpPr.fitToPage = True
        base = base or PLAIN
        if self._font and base.font is None:
            base = base.but(font=self._font)
        if base == PLAIN:
            base = PLAIN  # the identity the fast path checks
        sheet = Sheet(self, ws, base, int_format)
        self.sheets.append(sheet)
        return sheet

    def _style_array(self, style: Style, ws: WriteOnlyWorksheet) -> StyleArray:
        """openpyxl's style for ``style``, built once (building it per cell costs more than the cell)."""
        found = self._styles.get(style)
        if found is None:
            cell = WriteOnlyCell(ws)
            font_name = style.font or self._font
            if style.bold or style.italic or style.size or font_name:
                cell.font = Font(
                    name=font_name or "Calibri", size=style.size or 11, bold=style.bold, italic=style.italic
                )
            if style.number_format:
                cell.number_format = style.number_format
            if style.horizontal or style.vertical or style.wrap:
                cell.alignment = Alignment(
                    horizontal=style.horizontal, vertical=style.vertical, wrap_text=style.wrap or None
                )
            if style.border:
                cell.border = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
            found = self._styles[style] = StyleArray(cell._style)
        return found

    def save(self, target: str | Path | IO[bytes]) -> None:
        """Write the workbook to a path or a binary file (an empty workbook gets one empty sheet)."""
        if not self.sheets:
            self.sheet("Sheet1")
        self._wb.save(target)  # type: ignore[arg-type]

    def to_bytes(self) -> bytes:
        """The workbook's bytes, for the small files that are stored (reports) rather than streamed."""
        with tempfile.TemporaryFile() as fh:
            self.save(fh)
            fh.seek(0)
            return fh.read()

    def response(self, filename: str) -> FileResponse:
        """The workbook as a download, streamed from an anonymous temporary file (removed once sent)."""
        fh = tempfile.TemporaryFile()
        self.save(fh)
        fh.seek(0)
        return attachment_response(fh, filename, XLSX_CONTENT_TYPE)


def attachment_response(content: bytes | IO[bytes], filename: str, content_type: str) -> FileResponse:
    """A download (``Content-Disposition: attachment``) of bytes or an open binary file, streamed in
    blocks; the file is closed when the response is."""
    if isinstance(content, bytes):
        content = io.BytesIO(content)
    return FileResponse(content, as_attachment=True, filename=filename, content_type=content_type)


def table_sheet(
    book: WorkbookWriter,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    heading: str = "",
    widths: Sequence[float] | None = None,
    int_format: str | None = INT_FORMAT,
) -> int:
    """The usual list sheet: an optional bold heading line, the bold header row frozen at the top,
    then the rows (streamed from any iterable). Column widths follow the header unless given.
    Returns the number of rows written below the header."""
    if widths is None:
        widths = [max(12, min(60, len(str(name)) + 4)) for name in header]
    first = 2 if heading else 1
    sheet = book.sheet(title, widths=widths, freeze=f"A{first + 1}", int_format=int_format)
    if heading:
        sheet.append([heading], Style(bold=True, size=12))
    sheet.append(header, BOLD)
    count = 0
    for row in rows:
        sheet.append(row)
        count += 1
    return count
