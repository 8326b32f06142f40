"""The dated org tree as SQL: "the subtree of U as of D" and "everything ever under U".

Recursive CTEs over ``org_orglink``; they run unchanged on SQLite and PostgreSQL and are used as
``id IN (...)`` subqueries, so scoping never ships id lists through Python. ``UNION`` (not
``UNION ALL``) makes a cycle in bad data terminate instead of looping.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any, Generic, TypeVar

from django.db import connection
from django.db.models.expressions import RawSQL

from congdoan.core.sql import IdList

_K = TypeVar("_K")
_V = TypeVar("_V")

FAR_FUTURE = dt.date(9999, 12, 31)
FAR_PAST = dt.date(1, 1, 1)


def _date(value: dt.date) -> Any:
    return connection.ops.adapt_datefield_value(value)


def _date_literal() -> str:
    # PostgreSQL needs the type of a bare parameter in a CTE's anchor; SQLite would mangle a CAST.
    return "CAST(%s AS date)" if connection.vendor == "postgresql" else "%s"


def _links(step: str, column: str) -> str:
    """The recursive step's join: the links ``l`` whose ``column`` is ``<step>.id``.

    SQLite with planner statistics (after ``ANALYZE`` or ``PRAGMA optimize``) puts a Bloom filter on
    ``org_orglink`` in the recursive step and scans the whole link table on every call (~20 ms at
    194,000 links, growing with the table); finding the link ids in a subquery keeps each step an index
    search with or without statistics (bench/tree_bench.py)."""
    if connection.vendor == "sqlite":
        ids = f"SELECT x.id FROM org_orglink x WHERE x.{column} = {step}.id"
        return f"{step} JOIN org_orglink l ON l.id IN ({ids})"
    return f"org_orglink l JOIN {step} ON l.{column} = {step}.id"


def subtree_sql(root_ids: list[int], on: dt.date) -> tuple[str, list[Any]]:
    """SQL selecting the ids of ``root_ids`` and every unit under them on day ``on``."""
    if not root_ids:
        return "SELECT id FROM org_orgunit WHERE 1 = 0", []
    marks = ", ".join(["%s"] * len(root_ids))
    sql = (
        "WITH RECURSIVE sub(id) AS ("
        f" SELECT id FROM org_orgunit WHERE id IN ({marks})"
        " UNION"
        f" SELECT l.child_id FROM {_links('sub', 'parent_id')}"
        " WHERE l.valid_from <= %s AND (l.valid_to IS NULL OR l.valid_to > %s)"
        ") SELECT id FROM sub"
    )
    day = _date(on)
    return sql, [*root_ids, day, day]


def subtree_ever_sql(root_id: int, start: dt.date | None, end: dt.date | None) -> tuple[str, list[Any]]:
    """SQL selecting every unit that sat under ``root_id`` at some day in ``[start, end)``.

    Each step carries the window in which the path from the root holds, so a unit counts only if
    all links on its path overlapped in time (a CĐCS moved under a district after the district
    ended is not that district's).
    """
    d = _date_literal()
    sql = (
        "WITH RECURSIVE sub(id, vf, vt) AS ("
        f" SELECT id, {d}, {d} FROM org_orgunit WHERE id = %s"
        " UNION"
        " SELECT l.child_id,"
        " CASE WHEN l.valid_from > sub.vf THEN l.valid_from ELSE sub.vf END,"
        " CASE WHEN COALESCE(l.valid_to, %s) < sub.vt THEN COALESCE(l.valid_to, %s) ELSE sub.vt END"
        f" FROM {_links('sub', 'parent_id')}"
        " WHERE l.valid_from < sub.vt AND COALESCE(l.valid_to, %s) > sub.vf"
        ") SELECT id FROM sub"
    )
    far = _date(FAR_FUTURE)
    return sql, [_date(start or FAR_PAST), _date(end or FAR_FUTURE), root_id, far, far, far]


def subtree_ids(root_id: int, on: dt.date) -> set[int]:
    sql, params = subtree_sql([root_id], on)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def tree_rows(root_ids: list[int], on: dt.date) -> list[tuple[int, int | None, int]]:
    """``(id, parent_id, depth)`` for the whole subtree on day ``on``, roots at depth 0."""
    if not root_ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(*_tree_rows_sql(root_ids, on))
        return [(r[0], r[1], r[2]) for r in cursor.fetchall()]


def _tree_rows_sql(root_ids: list[int], on: dt.date) -> tuple[str, list[Any]]:
    marks = ", ".join(["%s"] * len(root_ids))
    sql = (
        "WITH RECURSIVE sub(id, parent_id, depth) AS ("
        f" SELECT id, CAST(NULL AS bigint), 0 FROM org_orgunit WHERE id IN ({marks})"
        " UNION ALL"
        f" SELECT l.child_id, l.parent_id, sub.depth + 1 FROM {_links('sub', 'parent_id')}"
        " WHERE l.valid_from <= %s AND (l.valid_to IS NULL OR l.valid_to > %s) AND sub.depth < 32"
        ") SELECT id, parent_id, depth FROM sub"
    )
    day = _date(on)
    return sql, [*root_ids, day, day]


def version() -> int | None:
    """PostgreSQL: a number that changes whenever any org unit or link changes, never given twice
    (triggers set it from a sequence: migration ``0003_tree_version``); None on SQLite."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM org_tree_version WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def subtree_id_list(root_id: int, on: dt.date) -> IdList:
    """The ids of ``root_id``'s subtree on ``on``. On PostgreSQL kept in the process under ``version``:
    a city's 10,021 ids take 10–20 ms to read by the recursive query, the version one short query —
    the member list asks on every page. Shared: not to be changed."""
    current = version()
    if current is not None:
        kept = SUBTREES.get((root_id, on, current))
        if kept is not None:
            return kept
    rows, read_at = read_with_version(*subtree_sql([root_id], on))
    ids = IdList(row[0] for row in rows)
    if read_at is not None:
        SUBTREES.put((root_id, on, read_at), ids)
    return ids


def tree_rows_and_version(
    root_ids: list[int], on: dt.date
) -> tuple[list[tuple[int, int | None, int]], int | None]:
    """``tree_rows`` and the ``version`` they were read at (see ``read_with_version``)."""
    if not root_ids:
        return [], None
    rows, read_at = read_with_version(*_tree_rows_sql(root_ids, on))
    return [(r[0], r[1], r[2]) for r in rows], read_at


def read_with_version(sql: str, params: list[Any]) -> tuple[list[tuple[Any, ...]], int | None]:
    """The rows of ``sql`` and, on PostgreSQL, the ``version`` read in the same statement (one
    snapshot): what is kept under that version is what that version gives. None on SQLite."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall(), None
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.*, (SELECT version FROM org_tree_version WHERE id = 1) FROM ({sql}) s", params
        )
        found = cursor.fetchall()
    return [row[:-1] for row in found], (found[0][-1] if found else None)


class KeptByVersion(Generic[_K, _V]):
    """What a process derives from the org tree, kept under keys that end with the ``version`` it was
    read at (a version is never given twice, so an entry is never taken for another): at most
    ``size`` entries, the oldest out first; safe across threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: dict[_K, _V] = {}
        self._lock = threading.Lock()

    def get(self, key: _K) -> _V | None:
        with self._lock:
            return self._items.get(key)

    def put(self, key: _K, value: _V) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                del self._items[next(iter(self._items))]

    def __len__(self) -> int:
        return len(self._items)


# Subtrees kept in the process (``subtree_id_list``): (root id, day, version) → ids.
SUBTREES: KeptByVersion[tuple[int, dt.date, int], IdList] = KeptByVersion(256)


def ancestor_ids(unit_id: int, on: dt.date) -> list[int]:
    """Ids from the unit's parent up to the top of the tree on day ``on`` (nearest first)."""
    sql = (
        "WITH RECURSIVE anc(id, depth) AS ("
        " SELECT CAST(%s AS bigint), 0"
        " UNION ALL"
        f" SELECT l.parent_id, anc.depth + 1 FROM {_links('anc', 'child_id')}"
        " WHERE l.valid_from <= %s AND (l.valid_to IS NULL OR l.valid_to > %s) AND anc.depth < 32"
        ") SELECT id FROM anc WHERE depth > 0 ORDER BY depth"
    )
    day = _date(on)
    with connection.cursor() as cursor:
        cursor.execute(sql, [unit_id, day, day])
        return [row[0] for row in cursor.fetchall()]


def in_subtree(root_ids: list[int], on: dt.date) -> RawSQL:
    """For ``.filter(id__in=in_subtree(...))`` and ``.filter(unit_id__in=...)``."""
    sql, params = subtree_sql(root_ids, on)
    return RawSQL(sql, params)


def ever_in_subtree(root_id: int, start: dt.date | None, end: dt.date | None) -> RawSQL:
    sql, params = subtree_ever_sql(root_id, start, end)
    return RawSQL(sql, params)
