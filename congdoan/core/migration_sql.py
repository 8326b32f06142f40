"""SQL that only PostgreSQL runs, as a migration operation: triggers, functions and indexes that
SQLite (the demo, tests) has no need or no syntax for. Imported by migrations, so it must not change
behaviour: a migration applied once is never run again on that database."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import migrations


def _statements(sql: Sequence[str]) -> Callable[[Any, Any], None]:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in sql:
            schema_editor.execute(statement)

    return run


def postgresql_only(forward: Sequence[str], backward: Sequence[str]) -> migrations.RunPython:
    """Run ``forward`` (``backward`` when unapplied) statement by statement on PostgreSQL only."""
    return migrations.RunPython(_statements(forward), _statements(backward))
