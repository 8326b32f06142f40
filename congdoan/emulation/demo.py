"""Demo data of the emulation app (filled in below)."""

from __future__ import annotations

from typing import Any

from congdoan.core import registry


def demo_command_emulation(run: registry.DemoRun) -> dict[str, Any]:
    return {}
