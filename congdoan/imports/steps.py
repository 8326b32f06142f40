"""The first and last steps every row importer takes, so that an importer holds only its own rules.

An importer reads like this::

    read = read_rows(path_or_file, COLUMNS, sheet=sheet, dry_run=dry_run, progress=progress)
    if read.failed:
        return read.result
    errors = read.errors                  # the cells' own problems (formulas …), row and column
    units = units_by_code(actor, codes)   # org.selectors, scoped to the importer
    ...                                   # its own checks, appending row.error(column, message)
    return finish_import(read.result, errors, write, actor=actor, kind=KIND, dry_run=dry_run)

``finish_import`` reports every problem at once (sorted by row, then column) and stores nothing, or
runs ``write`` all-or-nothing (``reader.write_all_or_nothing``: a dry run does the same writes and rolls
them back) and, on a real run, writes one audit entry naming the file, its SHA-256 and the counts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from congdoan.core.audit import audit_log
from congdoan.core.models import AuditEntry

from .reader import (
    Column,
    ImportFailed,
    ImportResult,
    ProgressCallback,
    Row,
    RowError,
    Source,
    file_sha256,
    open_table,
    source_name,
    write_all_or_nothing,
)

NO_ROWS = "Tệp không có dòng dữ liệu nào."


def columns_line(columns: Sequence[Column]) -> str:
    """The columns as the import's help lists them: the required keys, then the optional ones in
    brackets (``unit_code,title[,owner,description]``)."""
    required = ",".join(c.key for c in columns if c.required)
    optional = ",".join(c.key for c in columns if not c.required)
    return f"{required}[,{optional}]" if optional else required


@dataclass
class ReadRows:
    """The rows of a file that opened, or ``result.errors`` saying why it did not."""

    result: ImportResult
    rows: list[Row] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.result.errors)


def read_rows(
    source: Source,
    columns: Sequence[Column],
    *,
    sheet: str | int | None = None,
    dry_run: bool = False,
    progress: ProgressCallback | None = None,
    require_rows: bool = True,
) -> ReadRows:
    """Open and read the whole table. A file that cannot be read (size, kind, encoding, header) fails
    at once; a file with a header and no data rows fails too unless ``require_rows`` is False. The
    cells' own problems come back in ``errors`` to be reported with the importer's."""
    result = ImportResult(dry_run=dry_run, file_name=source_name(source))
    try:
        rows = list(open_table(source, columns, sheet=sheet).rows(progress))
        result.sha256 = file_sha256(source)
    except ImportFailed as exc:
        result.errors = exc.errors
        return ReadRows(result)
    errors = [e for row in rows for e in row.errors]
    if require_rows and not rows and not errors:
        result.errors = [RowError(0, "", NO_ROWS)]
    return ReadRows(result, rows, errors)


def finish_import(
    result: ImportResult,
    errors: Sequence[RowError],
    write: Callable[[], object],
    *,
    actor: Any,
    kind: str,
    dry_run: bool,
    audit_extra: Callable[[], dict[str, Any]] | None = None,
) -> ImportResult:
    """Report every problem and store nothing, or run ``write`` all-or-nothing and audit it.

    ``write`` sets ``result.created``/``updated``/``unchanged``; it may raise ``ImportFailed`` with row
    errors only writing can find (a duplicate stored at the same moment): then nothing is stored.
    ``audit_extra`` adds the importer's own counts to the audit entry (e.g. projects)."""
    if errors:
        result.errors = sorted(errors, key=lambda e: (e.row, e.column))
        result.created = result.updated = result.unchanged = 0
        return result

    def audit() -> None:
        after = {
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "sha256": result.sha256,
            **(audit_extra() if audit_extra is not None else {}),
        }
        audit_log(
            actor=actor,
            action=AuditEntry.Action.IMPORT,
            object_type=f"import.{kind}",
            object_id=result.sha256[:16],
            object_repr=result.file_name[:255],
            after=after,
        )

    try:
        write_all_or_nothing(write, dry_run=dry_run, audit=audit)
    except ImportFailed as exc:
        result.errors = exc.errors
        result.created = result.updated = result.unchanged = 0
    return result
