"""``congdoan import units FILE``: org units and their parent links from CSV/XLSX (architecture §5).

Columns ``code,name,type,parent_code[,sector,valid_from]`` (or their Vietnamese headers). The import
is all-or-nothing and idempotent:

1. every row is read and checked first — own fields, duplicate codes, unknown or out-of-scope
   parents, levels, dates, cycles — and *all* problems are reported together;
2. then, in one transaction, new units are created in bulk (parents first), changed names/sectors
   are updated in bulk, new links are created in bulk, and the rare change of parent of an existing
   unit is a dated move through :func:`services.unit_move` (same rules as moving a unit by hand);
3. one audit entry records the job (file name, SHA-256, counts) — not one per row.

Semantics of a row for a unit that already exists: name (and sector, when the column is present —
an empty cell clears it) are compared and updated; the parent is compared with the unit's parent on
``valid_from`` (today when empty) and, if different, the unit moves under the new parent from that
day. The type of an existing unit is never changed by an import. ``valid_from`` is the day the unit
starts under its parent (not its founding date, which an import does not set).

A *new* unit without ``valid_from`` is an existing unit being described, not one founded today: it
sits under its parent since the parent began — the parent's ``valid_from`` in the file, or for a stored
parent its founding date or first link — and at the earliest since ``EARLIEST`` (01/01/1900). So a
federation that imports its tree and then last year's figures finds them in every roll-up. (A row for
a unit that already exists and names another parent without a date is a move, from today.)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from congdoan.accounts.permissions import is_global
from congdoan.accounts.scope import OutOfScope, Scope, scope_for
from congdoan.core.audit import audit_log
from congdoan.core.formatting import format_date
from congdoan.core.models import AuditEntry
from congdoan.core.registry import units_changed
from congdoan.core.sql import refresh_statistics
from congdoan.core.text import fold
from congdoan.imports.reader import (
    Column,
    ImportFailed,
    ImportResult,
    ProgressCallback,
    Row,
    RowError,
    Source,
    cell_date,
    cell_text,
    file_sha256,
    open_table,
    source_name,
    write_all_or_nothing,
)

from . import services, tree
from .models import (
    GRASSROOTS_TYPES,
    UNIT_LEVEL,
    OrgLink,
    OrgUnit,
    Sector,
    UnitType,
    unit_search_key,
    unit_sort_key,
)

__all__ = ["UNIT_COLUMNS", "ImportResult", "import_units", "parse_sector", "parse_unit_type"]

UNIT_COLUMNS = [
    Column("code", "Mã đơn vị", aliases=("Mã", "Mã ĐV", "Mã số đơn vị", "unit_code")),
    Column("name", "Tên đơn vị", aliases=("Tên", "Tên ĐV", "unit_name")),
    Column("type", "Loại", aliases=("Loại đơn vị", "Loại hình", "unit_type")),
    Column(
        "parent_code", "Mã đơn vị cấp trên", aliases=("Mã cấp trên", "Cấp trên", "Đơn vị cấp trên", "parent")
    ),
    Column("sector", "Khu vực", required=False, aliases=("Khu vực kinh tế", "Loại hình kinh tế")),
    Column("valid_from", "Ngày hiệu lực", required=False, aliases=("Từ ngày", "Hiệu lực từ", "Ngày bắt đầu")),
]

CHUNK = 500
# Where an undated unit's history begins: before any period a federation enters figures for.
EARLIEST = dt.date(1900, 1, 1)

# Short forms officers write besides the labels and codes of UnitType.
_TYPE_ALIASES: dict[str, str] = {
    "Tổng Liên đoàn": UnitType.TLD,
    "LĐLĐ tỉnh": UnitType.LDLD_TINH,
    "LĐLĐ thành phố": UnitType.LDLD_TINH,
    "Công đoàn ngành TW": UnitType.CDN_TW,
    "Công đoàn ngành Trung ương": UnitType.CDN_TW,
    "LĐLĐ quận": UnitType.LDLD_HUYEN,
    "LĐLĐ huyện": UnitType.LDLD_HUYEN,
    "LĐLĐ thị xã": UnitType.LDLD_HUYEN,
    "LĐLĐ quận, huyện": UnitType.LDLD_HUYEN,
    "Công đoàn ngành": UnitType.CD_NGANH,
    "Công đoàn KCN": UnitType.CD_KCN,
    "Công đoàn khu công nghiệp": UnitType.CD_KCN,
    "Công đoàn xã": UnitType.CD_XA,
    "Công đoàn phường": UnitType.CD_XA,
    "Công đoàn xã, phường": UnitType.CD_XA,
    "CĐCS": UnitType.CDCS,
    "CĐCS thành viên": UnitType.CDCS_TV,
    "Công đoàn cơ sở thành viên": UnitType.CDCS_TV,
}
_SECTOR_ALIASES: dict[str, str] = {
    "DNNN": Sector.DN_NHA_NUOC,
    "Doanh nghiệp ngoài quốc doanh": Sector.DN_NGOAI_NHA_NUOC,
    "Ngoài nhà nước": Sector.DN_NGOAI_NHA_NUOC,
    "Doanh nghiệp FDI": Sector.FDI,
    "Vốn đầu tư nước ngoài": Sector.FDI,
    "Hợp tác xã": Sector.HTX,
}


def _enum_key(text: str) -> str:
    return re.sub(r"[\s_,.;:/()\-]+", " ", fold(text)).strip()


def _lookup(choices: Iterable[tuple[str, str]], aliases: dict[str, str]) -> dict[str, str]:
    table = {_enum_key(alias): value for alias, value in aliases.items()}
    for value, label in choices:
        table[_enum_key(label)] = value
        table[_enum_key(value)] = value
    return table


_TYPES = _lookup(UnitType.choices, _TYPE_ALIASES)
_SECTORS = _lookup(Sector.choices, _SECTOR_ALIASES)


def parse_unit_type(text: str) -> str | None:
    """A UnitType value from its code or Vietnamese label ("Công đoàn cơ sở" → "CDCS"); None if unknown."""
    return _TYPES.get(_enum_key(text))


def parse_sector(text: str) -> str | None:
    """A Sector value from its code or Vietnamese label; None if unknown."""
    return _SECTORS.get(_enum_key(text))


def _type_label(value: str) -> str:
    return str(UnitType(value).label)


@dataclass
class _Item:
    """One checked data row."""

    row: Row
    code: str
    name: str
    type: str  # "" when the cell is invalid
    parent_code: str
    sector: str | None  # None: no sector column, leave as is
    valid_from: dt.date | None
    start: dt.date
    failed: bool = False
    existing: OrgUnit | None = None
    parent_unit: OrgUnit | None = None  # the stored parent, when the parent is already stored
    changes: dict[str, Any] | None = None
    move: bool = False

    @property
    def number(self) -> int:
        return self.row.number


class _Aborted(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("import aborted")
        self.errors = errors


class _UnitImport:
    def __init__(self, actor: Any, file_name: str) -> None:
        self.actor = actor
        self.file_name = file_name
        self.today = timezone.localdate()
        self.scope: Scope | None = None
        if actor is not None and not is_global(actor):
            self.scope = scope_for(actor, self.today)
        self.errors: list[RowError] = []
        self.items: list[_Item] = []
        self.by_code: dict[str, _Item] = {}
        self.stored: dict[str, OrgUnit] = {}
        self.links: dict[int, list[OrgLink]] = {}
        self._writable: dict[dt.date, set[int]] = {}
        self._stored_starts: dict[int, dt.date] = {}

    # -- errors ----------------------------------------------------------------------------------
    def fail(self, item: _Item, key: str, message: str) -> None:
        item.failed = True
        self.errors.append(item.row.error(key, message))

    # -- 1. parse every row ----------------------------------------------------------------------
    def parse(self, row: Row) -> None:
        self.errors.extend(row.errors)
        code = cell_text(row.get("code"))
        item = _Item(
            row=row,
            code=code,
            name=cell_text(row.get("name")),
            type="",
            parent_code=cell_text(row.get("parent_code")),
            sector=None,
            valid_from=None,
            start=self.today,
            failed=bool(row.errors),
        )
        if not code:
            self.fail(item, "code", "Chưa nhập mã đơn vị.")
        elif not services.CODE_RE.match(code):
            self.fail(
                item,
                "code",
                f"Mã đơn vị «{code}» không hợp lệ: chỉ gồm chữ không dấu, số, dấu gạch "
                "(-, _, .), tối đa 32 ký tự.",
            )
        elif code in self.by_code:
            self.fail(item, "code", f"Mã đơn vị «{code}» bị trùng với dòng {self.by_code[code].number}.")
        if not item.name:
            self.fail(item, "name", "Chưa nhập tên đơn vị.")
        elif len(item.name) > 255:
            self.fail(item, "name", "Tên đơn vị dài quá 255 ký tự.")
        type_text = cell_text(row.get("type"))
        if not type_text:
            self.fail(item, "type", "Chưa nhập loại đơn vị.")
        else:
            item.type = parse_unit_type(type_text) or ""
            if not item.type:
                self.fail(
                    item,
                    "type",
                    f"Loại đơn vị «{type_text}» không hợp lệ (ví dụ: CDCS hoặc "
                    "«Công đoàn cơ sở», LDLD_HUYEN hoặc «LĐLĐ quận, huyện, thị xã»).",
                )
        if row.has("sector"):
            sector_text = cell_text(row.get("sector"))
            item.sector = parse_sector(sector_text) if sector_text else ""
            if item.sector is None:
                self.fail(
                    item,
                    "sector",
                    f"Khu vực «{sector_text}» không hợp lệ (ví dụ: HCSN hoặc «Hành chính sự nghiệp», FDI).",
                )
        if row.has("valid_from"):
            try:
                item.valid_from = cell_date(row.get("valid_from"))
            except ValueError as exc:
                self.fail(item, "valid_from", str(exc))
            if item.valid_from is not None:
                item.start = item.valid_from
        self.items.append(item)
        if code and code not in self.by_code:
            self.by_code[code] = item

    # -- 2. check against the database and the rest of the file ------------------------------------
    def load(self) -> None:
        codes = sorted(
            {i.code for i in self.items if i.code} | {i.parent_code for i in self.items if i.parent_code}
        )
        for chunk in _chunks(codes):
            for unit in OrgUnit.objects.filter(code__in=chunk):
                self.stored[unit.code] = unit
        child_ids = [self.stored[i.code].pk for i in self.items if i.code in self.stored]
        for chunk in _chunks(child_ids):
            for link in OrgLink.objects.filter(child_id__in=chunk).order_by("valid_from"):
                self.links.setdefault(link.child_id, []).append(link)

    def writable(self, unit: OrgUnit, on: dt.date) -> bool:
        if self.scope is None:
            return True
        if on not in self._writable:
            ids = [u.pk for u in self.stored.values()]
            allowed: set[int] = set()
            for chunk in _chunks(ids):
                allowed.update(
                    OrgUnit.objects.filter(self.scope.writable_q(on), pk__in=chunk).values_list(
                        "pk", flat=True
                    )
                )
            self._writable[on] = allowed
        return unit.pk in self._writable[on]

    def _start_of_new(self, item: _Item, seen: frozenset[str] = frozenset()) -> dt.date | None:
        """When a unit new in the file starts in the tree (None: a top unit with no date): its
        ``valid_from``, else since its parent began (at the earliest ``EARLIEST``; module docstring)."""
        if item.valid_from is not None:
            return item.valid_from
        if not item.parent_code:
            return None
        stored = self.stored.get(item.parent_code)
        if stored is not None:
            return self._stored_start(stored)
        parent = self.by_code.get(item.parent_code)
        if parent is None or parent.code in seen:  # unknown parent or a cycle: refused in check()
            return EARLIEST
        return self._start_of_new(parent, seen | {item.code}) or EARLIEST

    def _stored_start(self, unit: OrgUnit) -> dt.date:
        """When a stored unit began: founded, else its first link, else ``EARLIEST``."""
        if unit.pk not in self._stored_starts:
            first = (
                OrgLink.objects.filter(child=unit).order_by("valid_from").values_list("valid_from", flat=True)
            ).first()
            self._stored_starts[unit.pk] = unit.founded_on or first or EARLIEST
        return self._stored_starts[unit.pk]

    def check(self) -> None:
        for item in self.items:
            if item.code and self.by_code.get(item.code) is item:
                self._check_item(item)
        self._check_cycles()

    def _check_item(self, item: _Item) -> None:
        existing = self.stored.get(item.code)
        date_key = "valid_from" if item.valid_from else "parent_code"
        if existing is not None:
            if not (self.writable(existing, self.today) or self.writable(existing, item.start)):
                # The code is taken; say no more about a unit the user may not see.
                self.fail(item, "code", f"Mã đơn vị «{item.code}» đã được dùng.")
                return
            item.existing = existing
            if item.type and item.type != existing.type:
                self.fail(
                    item,
                    "type",
                    f"Đơn vị «{item.code}» đang là loại «{existing.get_type_display()}»; "
                    "không đổi loại đơn vị bằng tệp nhập.",
                )
            stored_parent = self.stored.get(item.parent_code)
            link = self._link_near(existing, item.start) if stored_parent is not None else None
            if stored_parent is not None and link is not None and link.parent_id == stored_parent.pk:
                # Its parent as stored: nothing to check about the parent, even one the user may
                # not write to (an officer's own unit under the city federation) or one that ended.
                item.parent_unit = stored_parent
                if not item.failed:
                    self._plan_update(item, existing)
                return
        parent_type = ""
        if not item.parent_code:
            if existing is not None:
                link = self._link_near(existing, item.start)
                if link is not None:
                    self.fail(
                        item,
                        "parent_code",
                        f"Chưa nhập mã đơn vị cấp trên (đơn vị đang trực thuộc «{link.parent.code}»).",
                    )
            elif self.scope is not None:
                self.fail(item, "parent_code", "Chưa nhập mã đơn vị cấp trên.")
        elif item.parent_code == item.code:
            self.fail(item, "parent_code", "Đơn vị không thể trực thuộc chính nó.")
        else:
            in_file = self.by_code.get(item.parent_code)
            stored_parent = self.stored.get(item.parent_code)
            if stored_parent is not None and self.writable(stored_parent, item.start):
                item.parent_unit = stored_parent
                parent_type = stored_parent.type
                if stored_parent.founded_on and item.start < stored_parent.founded_on:
                    self.fail(
                        item,
                        date_key,
                        f"Ngày hiệu lực {format_date(item.start)} trước ngày thành lập đơn vị "
                        f"cấp trên «{stored_parent.code}» ({format_date(stored_parent.founded_on)}).",
                    )
                elif stored_parent.dissolved_on and item.start >= stored_parent.dissolved_on:
                    self.fail(
                        item,
                        date_key,
                        f"Đơn vị cấp trên «{stored_parent.code}» đã chấm dứt hoạt động "
                        f"từ ngày {format_date(stored_parent.dissolved_on)}.",
                    )
            elif in_file is not None and stored_parent is None:
                parent_type = in_file.type
                parent_start = self._start_of_new(in_file)
                # An undated unit starts with its parent (``_start_of_new``): only a date can be too early.
                if parent_start is not None and item.valid_from is not None and item.start < parent_start:
                    self.fail(
                        item,
                        date_key,
                        f"Ngày hiệu lực {format_date(item.start)} trước ngày đơn vị cấp trên "
                        f"«{in_file.code}» bắt đầu hoạt động ({format_date(parent_start)}, "
                        f"dòng {in_file.number}).",
                    )
            else:
                self.fail(item, "parent_code", f"Không tìm thấy đơn vị cấp trên «{item.parent_code}».")
            if item.type and parent_type and UNIT_LEVEL[parent_type] >= UNIT_LEVEL[item.type]:
                self.fail(
                    item,
                    "parent_code",
                    f"Đơn vị loại «{_type_label(item.type)}» không thể trực thuộc "
                    f"đơn vị loại «{_type_label(parent_type)}» («{item.parent_code}»).",
                )
        if existing is not None and not item.failed:
            self._plan_update(item, existing)

    def _link_near(self, unit: OrgUnit, day: dt.date) -> OrgLink | None:
        """The unit's link on ``day``; else its next link; else its last one (a unit that ended)."""
        links = self.links.get(unit.pk, [])
        for link in links:
            if link.valid_from <= day and (link.valid_to is None or link.valid_to > day):
                return link
        later = [link for link in links if link.valid_from > day]
        if later:
            return later[0]
        return links[-1] if links else None

    def _plan_update(self, item: _Item, unit: OrgUnit) -> None:
        changes: dict[str, Any] = {}
        if item.name != unit.name:
            changes["name"] = item.name
        if item.sector is not None and item.sector != unit.sector:
            changes["sector"] = item.sector
        item.changes = changes
        if not item.parent_code:
            return
        link = self._link_near(unit, item.start)
        if link is not None and item.parent_unit is not None and link.parent_id == item.parent_unit.pk:
            return
        # A different parent: a dated move from ``start``, checked now as unit_move would.
        item.move = True
        key = "valid_from" if item.valid_from else "parent_code"
        if unit.founded_on and item.start < unit.founded_on:
            self.fail(
                item,
                key,
                f"Ngày {format_date(item.start)} trước ngày thành lập đơn vị «{unit.code}» "
                f"({format_date(unit.founded_on)}).",
            )
            return
        if unit.dissolved_on and item.start >= unit.dissolved_on:
            self.fail(
                item,
                key,
                f"Đơn vị «{unit.code}» đã chấm dứt hoạt động từ ngày {format_date(unit.dissolved_on)}.",
            )
            return
        links = self.links.get(unit.pk, [])
        later = [link for link in links if link.valid_from > item.start]
        if later:
            self.fail(
                item,
                key,
                f"Đơn vị «{unit.code}» đã có thay đổi trực thuộc từ ngày "
                f"{format_date(later[0].valid_from)}; không thể chuyển đơn vị cấp trên "
                f"từ ngày {format_date(item.start)} trước đó.",
            )
            return
        if item.parent_unit is not None and item.parent_unit.pk in tree.subtree_ids(unit.pk, item.start):
            self.fail(
                item,
                "parent_code",
                f"Không thể chuyển «{unit.code}» vào «{item.parent_code}» vì "
                f"«{item.parent_code}» đang trực thuộc «{unit.code}».",
            )

    def _check_cycles(self) -> None:
        """Rows whose parents, followed through the file, come back to themselves."""
        state: dict[str, int] = {}  # 1 = on the current path, 2 = done
        reported: set[str] = set()
        for start in self.by_code:
            if state.get(start):
                continue
            path: list[str] = []
            code: str | None = start
            while code is not None and code in self.by_code and not state.get(code):
                state[code] = 1
                path.append(code)
                parent = self.by_code[code].parent_code
                code = parent if parent and parent != code else None
            if code is not None and state.get(code) == 1:
                cycle = path[path.index(code) :]
                text = " → ".join([*cycle, code])
                for member in cycle:
                    if member not in reported:
                        reported.add(member)
                        self.fail(self.by_code[member], "parent_code", f"Vòng lặp trực thuộc: {text}.")
            for member in path:
                state[member] = 2

    # -- 3. write ----------------------------------------------------------------------------------
    def _new_in_order(self) -> list[_Item]:
        """Units new in the file, parents before their children."""
        depth: dict[str, int] = {}
        for item in self.by_code.values():
            chain: list[str] = []
            code = item.code
            while code in self.by_code and self.by_code[code].existing is None and code not in depth:
                if code in chain:  # a cycle; refused in check(), never reaches here
                    break
                chain.append(code)
                code = self.by_code[code].parent_code
            base = depth.get(code, 0)
            for member in reversed(chain):
                base += 1
                depth[member] = base
        new = [i for i in self.by_code.values() if i.existing is None]
        return sorted(new, key=lambda i: (depth[i.code], i.number))

    def apply(self, result: ImportResult) -> None:
        new = self._new_in_order()
        now = timezone.now()
        OrgUnit.objects.bulk_create(
            [
                OrgUnit(
                    code=i.code,
                    name=i.name,
                    type=i.type,
                    sector=i.sector or "",
                    search_key=unit_search_key(i.code, i.name),
                    sort_key=unit_sort_key(i.name),
                )
                for i in new
            ],
            batch_size=CHUNK,
        )
        ids: dict[str, int] = {u.code: u.pk for u in self.stored.values()}
        for chunk in _chunks([i.code for i in new]):
            ids.update(OrgUnit.objects.filter(code__in=chunk).values_list("code", "pk"))
        updates: list[OrgUnit] = []
        fields: set[str] = set()
        for item in self.by_code.values():
            if item.existing is not None and item.changes:
                unit = item.existing
                for key, value in item.changes.items():
                    setattr(unit, key, value)
                    fields.add(key)
                unit.search_key = unit_search_key(unit.code, unit.name, unit.short_name)
                unit.sort_key = unit_sort_key(unit.name)
                unit.updated_at = now
                updates.append(unit)
        if updates:
            OrgUnit.objects.bulk_update(
                updates, [*sorted(fields), "search_key", "sort_key", "updated_at"], batch_size=CHUNK
            )
        # The kept figures reading units (CĐCS counts, enterprise CĐCS …), in this transaction: the new
        # grassroots unions (no founding date: there in every period) and those whose sector changed.
        # Only grassroots unions are counted by those providers; an import never changes a type.
        counted = [ids[i.code] for i in new if i.type in GRASSROOTS_TYPES]
        for item in self.by_code.values():
            if item.existing is not None and "sector" in (item.changes or {}):
                if item.existing.type in GRASSROOTS_TYPES:
                    counted.append(item.existing.pk)
        if counted:
            units_changed(counted)
        reason = f"Nhập từ tệp «{self.file_name}»"[:255]
        OrgLink.objects.bulk_create(
            [
                OrgLink(
                    child_id=ids[i.code],
                    parent_id=ids[i.parent_code],
                    valid_from=self._start_of_new(i) or i.start,
                    reason=reason,
                )
                for i in new
                if i.parent_code
            ],
            batch_size=CHUNK,
        )
        move_errors: list[RowError] = []
        moves = [i for i in self.by_code.values() if i.move]
        for item in sorted(moves, key=lambda i: (UNIT_LEVEL[i.type], i.number)):
            assert item.existing is not None
            unit = OrgUnit.objects.get(pk=item.existing.pk)
            parent = OrgUnit.objects.get(pk=ids[item.parent_code])
            try:
                services.unit_move(
                    actor=self.actor, unit=unit, new_parent=parent, on=item.start, reason=reason
                )
            except ValidationError as exc:
                move_errors.extend(item.row.error("parent_code", m) for m in exc.messages)
            except OutOfScope:
                move_errors.append(
                    item.row.error("parent_code", f"Không tìm thấy đơn vị cấp trên «{parent.code}».")
                )
        if move_errors:
            raise _Aborted(move_errors)
        result.created = len(new)
        result.updated = sum(
            1 for i in self.by_code.values() if i.existing is not None and (i.changes or i.move)
        )
        result.unchanged = len(self.by_code) - result.created - result.updated

    def audit(self, result: ImportResult, sheet_name: str) -> None:
        unit = None
        if self.scope is not None and self.scope.roots:
            unit = OrgUnit.objects.filter(pk=self.scope.roots[0].unit_id).first()
        audit_log(
            actor=self.actor,
            action=AuditEntry.Action.IMPORT,
            object_type="import.units",
            object_id=result.sha256,
            object_repr=self.file_name[:255],
            unit=unit,
            after={
                "file": self.file_name,
                "sheet": sheet_name,
                "sha256": result.sha256,
                "rows": result.total,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "moved": sum(1 for i in self.by_code.values() if i.move),
            },
        )


def _chunks(values: list[Any], size: int = CHUNK) -> Iterable[list[Any]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def import_units(
    *,
    actor: Any,
    path_or_file: Source,
    sheet: str | int | None = None,
    dry_run: bool = False,
    progress: ProgressCallback | None = None,
) -> ImportResult:
    """Import org units from a CSV/XLSX/XLS/ODS file (a path or a binary file object).

    Returns the counts, or — when anything is wrong — every error with its row and column, in
    which case nothing was stored. ``dry_run`` does the whole import and rolls it back
    (``reader.write_all_or_nothing``).
    ``actor`` None is the system (an operator at the console)."""
    name = source_name(path_or_file)
    result = ImportResult(dry_run=dry_run, file_name=name)
    job = _UnitImport(actor, name)
    try:
        table = open_table(path_or_file, UNIT_COLUMNS, sheet=sheet)  # checks the size first
        for row in table.rows(progress):
            job.parse(row)
        result.sha256 = file_sha256(path_or_file)  # after reading: a file object is rewound
    except ImportFailed as exc:
        result.errors = [*job.errors, *exc.errors]
        return result
    job.load()
    job.check()
    if job.errors:
        result.errors = sorted(job.errors, key=lambda e: e.row)
        return result
    try:
        # A dry run does the writes and rolls them back: a unit's counts depend on the units of the
        # same file written before it (its parent, a move).
        write_all_or_nothing(
            lambda: job.apply(result), dry_run=dry_run, audit=lambda: job.audit(result, table.sheet_name)
        )
    except _Aborted as exc:
        result.errors = sorted(exc.errors, key=lambda e: e.row)
    except IntegrityError:
        result.errors = [
            RowError(0, "", "Dữ liệu đơn vị vừa bị thay đổi trong khi nhập; chưa lưu gì, hãy thử lại.")
        ]
    if result.errors:
        result.created = result.updated = result.unchanged = 0
    elif not dry_run:
        refresh_statistics([OrgUnit._meta.db_table, OrgLink._meta.db_table], result.created + result.updated)
    return result
