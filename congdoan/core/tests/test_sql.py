"""``core.sql``: id arrays for PostgreSQL and the statistics refresh after large imports."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from congdoan.core import sql


def test_bigint_array_is_an_array_literal() -> None:
    assert sql.bigint_array([3, 1, 20_000_000_000]) == "{3,1,20000000000}"
    assert sql.bigint_array([]) == "{}"
    with pytest.raises(ValueError):
        sql.bigint_array(["1); DROP TABLE x; --"])  # type: ignore[list-item]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="only PostgreSQL's statistics are refreshed")
@pytest.mark.django_db(transaction=True)
def test_statistics_are_refreshed_after_enough_rows_outside_a_transaction(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On a table of its own (a temporary one): ``reltuples`` is -1 until it is analysed."""

    def rows_known() -> float:
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'stats_probe'::regclass")
            return cursor.fetchone()[0]

    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE stats_probe AS SELECT generate_series(1, 50) AS n")
    try:
        monkeypatch.setattr(sql, "ANALYZE_AFTER_ROWS", 20)
        sql.refresh_statistics(["stats_probe"], 19)  # too few rows written
        assert rows_known() == -1
        with transaction.atomic():  # inside a transaction that may still roll back
            sql.refresh_statistics(["stats_probe"], 50)
            assert rows_known() == -1
        sql.refresh_statistics(["stats_probe"], 50)
        assert rows_known() == 50
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE stats_probe")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
@pytest.mark.django_db
def test_a_prepared_statement_is_planned_once_and_runs_in_the_callers_transaction() -> None:
    statement = "INSERT INTO prepared_probe (n) SELECT generate_series(1, %s) WHERE %s::date IS NOT NULL"

    def prepared() -> list[tuple[str, int, int]]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements"
                " WHERE statement LIKE %s",
                ["%prepared_probe%"],
            )
            return cursor.fetchall()

    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE prepared_probe (n int)")
    assert sql.execute_prepared(statement, [3, "2026-01-01"]) == 3
    assert sql.execute_prepared(statement, [2, None]) == 0
    ((_, generic, custom),) = prepared()  # one statement for both calls, planned once: generic
    assert (generic, custom) == (2, 0)
    with pytest.raises(RuntimeError), transaction.atomic():
        assert sql.execute_prepared(statement, [4, "2026-01-01"]) == 4
        raise RuntimeError
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM prepared_probe")
        assert cursor.fetchone()[0] == 3  # the rolled-back rows went with the transaction
    connection.connection.prepare_threshold = None  # DATABASE_PREPARED_STATEMENTS off (a pooler)
    try:
        assert sql.execute_prepared(statement.replace("%s::date", "%s::text"), [1, "x"]) == 1
        assert not [row for row in prepared() if "::text" in row[0]]  # run, not prepared
    finally:
        connection.connection.prepare_threshold = 5
