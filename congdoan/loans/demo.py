"""Demo data of the loan fund (filled in below)."""

from __future__ import annotations

from typing import Any


def demo_command_loans(run: Any) -> dict[str, Any]:
    return {}
