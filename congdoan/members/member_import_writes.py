"""Step 3 of ``congdoan import members``: inserting new people and memberships fast.

:class:`RawInserter` stores the same column values the ORM would (defaults, ``auto_now`` dates) with
``executemany`` on SQLite and ``COPY`` on PostgreSQL; :class:`OrmInserter` is ``bulk_create``, for
other databases and for tests that compare the two (``member_import.RAW_WRITES``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import Model

from .models import Person

BATCH = 2_000  # rows per INSERT / UPDATE statement


class Inserter:
    """Inserts new rows of ``model`` given as ``{attname: value}``; fields left out get their default."""

    def __init__(self, model: type[Model], now: dt.datetime) -> None:
        self.model = model

    def insert(self, rows: list[dict[str, Any]], returning: bool = False) -> list[int]:
        raise NotImplementedError


class OrmInserter(Inserter):
    """``bulk_create``: ids come back on PostgreSQL and on SQLite ≥ 3.35 (RETURNING)."""

    def insert(self, rows: list[dict[str, Any]], returning: bool = False) -> list[int]:
        objs = [self.model(**row) for row in rows]
        for obj in objs:
            if isinstance(obj, Person):
                obj.fill_keys()
        self.model._default_manager.bulk_create(objs, batch_size=BATCH)
        ids = [obj.pk for obj in objs]
        if returning and None in ids:
            raise RuntimeError("bulk_create did not return ids on this database")
        return ids


class RawInserter(Inserter):
    """The same column values the ORM would store, without its per-field overhead (~70 µs a row).

    SQLite: ``executemany`` with ids taken after the table's highest id (the transaction holds the
    write lock, and ids stay above every id ever used, as AUTOINCREMENT requires); dates as ISO text
    and datetimes adapted as Django does. PostgreSQL: ids drawn from the table's sequence, then ``COPY``.
    """

    VENDORS = ("sqlite", "postgresql")

    def __init__(self, model: type[Model], now: dt.datetime) -> None:
        super().__init__(model, now)
        meta = model._meta
        fields = [f for f in meta.concrete_fields if not f.primary_key]
        self.table = meta.db_table
        self.pk_column: str = (meta.pk.column if meta.pk else None) or "id"
        self.attnames = [f.attname for f in fields]
        self.columns: list[str] = [f.column or f.attname for f in fields]
        self.defaults: dict[str, Any] = {}
        for f in fields:
            auto = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            self.defaults[f.attname] = now if auto else f.get_default()
        self.sqlite = connection.vendor == "sqlite"
        self.ops = connection.ops
        if self.sqlite:
            self.date_at = [i for i, f in enumerate(fields) if f.get_internal_type() == "DateField"]
            self.now = now
            self.now_text = self.ops.adapt_datetimefield_value(now)
            self.datetime_at = [i for i, f in enumerate(fields) if f.get_internal_type() == "DateTimeField"]

    def _values(self, row: dict[str, Any]) -> list[Any]:
        merged = {**self.defaults, **row}
        values = [merged[a] for a in self.attnames]
        if self.sqlite:
            for i in self.date_at:
                if values[i] is not None:
                    values[i] = values[i].isoformat()
            for i in self.datetime_at:
                value = values[i]
                if value is self.now:
                    values[i] = self.now_text
                elif value is not None:
                    values[i] = self.ops.adapt_datetimefield_value(value)
        return values

    def _ids(self, n: int) -> list[int]:
        qn = self.ops.quote_name
        with connection.cursor() as cursor:
            if self.sqlite:
                cursor.execute(
                    f"SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
                    f"coalesce((SELECT max({qn(self.pk_column)}) FROM {qn(self.table)}), 0))",
                    [self.table],
                )
                first = int(cursor.fetchone()[0]) + 1
                return list(range(first, first + n))
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [self.table, self.pk_column, n],
            )
            return [row[0] for row in cursor.fetchall()]

    def insert(self, rows: list[dict[str, Any]], returning: bool = False) -> list[int]:
        qn = self.ops.quote_name
        ids = self._ids(len(rows)) if returning else []
        columns = ([self.pk_column] if returning else []) + self.columns
        names = ", ".join(qn(c) for c in columns)
        if returning:
            values = [[pk, *self._values(row)] for pk, row in zip(ids, rows, strict=True)]
        else:
            values = [self._values(row) for row in rows]
        with connection.cursor() as cursor:
            if self.sqlite:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {qn(self.table)} ({names}) VALUES ({marks})", values)
            else:
                with cursor.cursor.copy(f"COPY {qn(self.table)} ({names}) FROM STDIN") as copy:
                    for value in values:
                        copy.write_row(value)
        return ids


def batches(values: list[Any], size: int) -> Iterable[list[Any]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]
