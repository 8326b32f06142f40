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
