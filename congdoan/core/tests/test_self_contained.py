"""The project's code and tests read only files inside the repository, so a plain clone runs them."""

from __future__ import annotations

import json
import re
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[3]
DATA_DIR = Path(__file__).resolve().parent / "data"

# A path built out of the repository into a sibling "shared" folder (as the core tests once did with
# `parents[3].parent / "shared" / "data"`), or an absolute path to the workstation's shared folder.
OUTSIDE_READS = re.compile(
    r"""\.parent\s*/\s*["']shared["']"""  # ... .parent / "shared"
    r"""|["']shared["']\s*/\s*["']data["']"""  # "shared" / "data"
    r"""|/work/shared/"""
)


def test_reference_vectors_are_carried_by_the_project() -> None:
    vectors = json.loads((DATA_DIR / "vi_vectors.json").read_text(encoding="utf-8"))
    assert {"same_after_nfc_and_tone_placement", "fold"} <= set(vectors)


def test_no_code_or_test_reads_a_file_outside_the_repository() -> None:
    offenders = [
        f"{path.relative_to(PROJECT_DIR)}:{number}"
        for folder in ("congdoan", "bench")
        for path in sorted((PROJECT_DIR / folder).rglob("*.py"))
        if path != Path(__file__).resolve()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if OUTSIDE_READS.search(line)
    ]
    assert offenders == []
