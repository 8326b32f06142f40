"""Small helpers for hand-written SQL."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cached_property

from django.db import connection, transaction


def bigint_array(ids: Iterable[int]) -> str:
    """``ids`` as a PostgreSQL array literal, to bind as ``%s::bigint[]``.

    psycopg binds a Python list of small ints as ``int2[]``/``int4[]``; against a ``bigint`` column the
    comparison is then cross-type, and PostgreSQL does not hash ``col = ANY(array)`` for it: a filter on
    10,000 unit ids scanned the array for every row (4,900 memberships: 59 ms, hashed 9 ms). A literal
    is also ~4x cheaper to send than a list (10,000 ids: 1 ms against 3.7 ms).
    """
    if isinstance(ids, IdList):
        return ids.bigint_literal
    return "{" + ",".join(str(int(i)) for i in ids) + "}"


class IdList(list[int]):
    """A list of ids whose ``bigint_array`` literal is built once, however many queries bind it: a city's
    10,021 unit ids cost ~3 ms to write out, and the member list binds them in two or three queries of
    a page. Not to be changed after the first binding."""

    @cached_property
    def bigint_literal(self) -> str:
        return "{" + ",".join(str(int(i)) for i in self) + "}"


# After writing this many rows, an import refreshes PostgreSQL's statistics of its tables at once.
ANALYZE_AFTER_ROWS = 10_000


def refresh_statistics(tables: list[str], rows_written: int) -> None:
    """``ANALYZE`` the tables (PostgreSQL) once an import wrote ``ANALYZE_AFTER_ROWS`` rows or more.

    A table filled by one import has the statistics of its empty self until autovacuum comes round
    (never, where it is off): the next import's lookups of the same 1M members were then planned as
    sequential scans and a loop over every membership of the CĐCS concerned — 195 s instead of 67 s,
    for an ``ANALYZE`` of ~4 s. SQLite is left alone (Django never runs ANALYZE; see ``org.tree``).

    Not inside a transaction (the demo loader's, a test's): a rollback would undo the statistics but
    keep the row counts ``ANALYZE`` writes in place, and PostgreSQL would plan by a mixture.
    """
    if connection.vendor != "postgresql" or rows_written < ANALYZE_AFTER_ROWS or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))


@contextmanager
def serial_reads() -> Iterator[None]:
    """The queries inside run in one process, with no parallel workers (PostgreSQL: ``SET LOCAL`` in a
    transaction, so until that one ends; a caller's transaction keeps it to its own end).

    For reads of a page, which want a few rows of many: PostgreSQL plans them with two workers when it
    expects thousands of rows, and on a 2-CPU server starting the workers and passing rows between
    processes cost more than they save — the member search's matches (up to 5,000) took 36–53 ms so
    and 12–29 ms in one process; its capped count of "0101" (9,000 matches) ~60 ms and ~46 ms.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        yield


def execute_prepared(sql: str, params: list[object]) -> int:
    """PostgreSQL: run ``sql`` (``%s`` placeholders) as a prepared statement of this connection and return
    its row count: planned once per connection (settings: kept between requests, generic plans) instead
    of at every call. Django's cursors bind on the client (the values written into the text, new at
    each call), so this one cursor binds on the server; it runs in the connection's current transaction
    like any other statement. Unprepared where ``DATABASE_PREPARED_STATEMENTS`` is off."""
    import psycopg

    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=True)
        return cursor.rowcount
