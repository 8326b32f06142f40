"""The figure check as pages, the API and the CLI read it: extract, check the arithmetic and, given a
unit and a period, compare with the records (scoped to the user; ``user`` None: the system)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from congdoan.core.periods import Period
from congdoan.org import selectors as org_selectors
from congdoan.org.models import OrgUnit

from .arithmetic import check_arithmetic
from .datacheck import check_data
from .extraction import VERDICT_LABELS, Claim, Extraction, extract

__all__ = ["VERDICT_LABELS", "check_text", "claim_json", "summary", "units_for"]


def check_text(
    *, user: Any, text: str, unit: OrgUnit | None = None, period: Period | None = None
) -> Extraction:
    """Every claim of ``text`` with its verdict. With ``unit`` and ``period`` the claims are compared
    with the roll-up engine's figures of that unit (404 when the unit is not in the user's scope)."""
    extraction = check_arithmetic(extract(text))
    if unit is not None and period is not None:
        if user is not None:
            unit = org_selectors.unit_get(user=user, code=unit.code)  # OutOfScope (404) if not theirs
        check_data(extraction, user=user, unit=unit, period=period)
    return extraction


def units_for(*, user: Any) -> list[OrgUnit]:
    """The units the picker offers: the user's own units and the units under them (today, or an
    ended unit's last day), never one outside the scope."""
    day = org_selectors.view_day(user=user)
    return list(org_selectors.unit_list(user=user, on=day).order_by("code")[:2000])


def _plain(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def claim_json(claim: Claim) -> dict[str, Any]:
    """One claim as the CLI's JSON gives it (the fields of issue 17)."""
    return {
        "text": claim.text,
        "start": claim.start,
        "end": claim.end,
        "kind": claim.kind,
        "values": [_plain(v) for v in claim.values],
        "verdict": claim.verdict,
        "expected": claim.expected or None,
        "indicator": claim.indicator or None,
        "database_value": None if claim.database_value is None else [_plain(v) for v in claim.database_value],
    }


def summary(extraction: Extraction) -> dict[str, int]:
    counts = dict.fromkeys(VERDICT_LABELS, 0)
    for claim in extraction.claims:
        counts[claim.verdict] += 1
    return counts
