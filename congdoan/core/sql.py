"""Small helpers for hand-written SQL."""

from __future__ import annotations

from collections.abc import Iterable


def bigint_array(ids: Iterable[int]) -> str:
    """``ids`` as a PostgreSQL array literal, to bind as ``%s::bigint[]``.

    psycopg binds a Python list of small ints as ``int2[]``/``int4[]``; against a ``bigint`` column the
    comparison is then cross-type, and PostgreSQL does not hash ``col = ANY(array)`` for it: a filter on
    10,000 unit ids scanned the array for every row (4,900 memberships: 59 ms, hashed 9 ms). A literal
    is also ~4x cheaper to send than a list (10,000 ids: 1 ms against 3.7 ms).
    """
    return "{" + ",".join(str(int(i)) for i in ids) + "}"
