"""The arithmetic of score sheets, without the database: computed points, group totals and grades.

Points are ``Decimal`` with two decimals (rounded half up), never floats.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def q2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def computed_points(
    maximum: Decimal, low: Decimal | None, high: Decimal | None, x: Decimal | None
) -> Decimal:
    """0 at or below ``low``, ``maximum`` at or above ``high``, linear between; no figure: 0."""
    if x is None:
        return Decimal("0.00")
    lo = low if low is not None else Decimal(0)
    hi = high if high is not None else lo
    if x >= hi:
        return q2(maximum)
    if x <= lo:
        return Decimal("0.00")
    return q2(maximum * (x - lo) / (hi - lo))


def basis_value(value: Decimal | None, achievement: Decimal | None, basis: str) -> Decimal | None:
    """The number a computed criterion compares with its thresholds: the value, or the achievement of
    the target in percent (``None`` without a target)."""
    if basis == "achievement":
        return None if achievement is None else achievement * HUNDRED
    return value


@dataclass(frozen=True)
class GroupScore:
    number: str
    points: Decimal
    maximum: Decimal
    bonus: bool

    @property
    def share(self) -> Decimal:
        return self.points / self.maximum if self.maximum else Decimal(1)


def group_scores(groups: Iterable[tuple[str, Decimal, bool, Sequence[Decimal | None]]]) -> list[GroupScore]:
    """Each group's points: the sum of its criteria's, never above the group's maximum."""
    return [
        GroupScore(
            number, min(q2(sum((p or Decimal(0) for p in points), Decimal(0))), maximum), maximum, bonus
        )
        for number, maximum, bonus, points in groups
    ]


def total(groups: Sequence[GroupScore]) -> Decimal:
    return q2(sum((g.points for g in groups), Decimal(0)))


def grade_for(
    points: Decimal, groups: Sequence[GroupScore], grades: Sequence[dict[str, Any]], min_share: Decimal
) -> str:
    """The first grade (best first) whose ``min`` the total reaches and, when the grade asks it, whose
    every (non-bonus) group reaches ``min_share`` of its maximum; the last grade otherwise."""
    groups_ok = all(g.share >= min_share for g in groups if not g.bonus)
    for grade in grades:
        if points >= Decimal(str(grade["min"])) and (groups_ok or not grade.get("groups")):
            return str(grade["code"])
    return str(grades[-1]["code"]) if grades else ""
