"""The arithmetic of the claims: a percentage against its fraction, a total against its parts.

A percentage must equal X/Y to the precision it is written with, rounded half-up as on paper:
"120,83%" for 29/24 and "74,8%" for 98/131 are **ok**; "đạt 106%" for 33/31 (106,45%) is
**rounding** — right to the written precision but loose (a whole percent hides half a point), and so is
a truncated last digit ("74,86%" written "74,8%"); "78,4%" for 98/131 is **wrong**, with the right value.

A total followed by its parts ("… 1.250 đoàn viên, gồm 700 nam và 550 nữ") must equal their sum;
after "trong đó" the parts are only a subset, so they may not exceed it. A total written after its
parts ("…, tổng cộng 29 bản") is checked the same way.
"""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from congdoan.core.formatting import format_money_words, format_number
from congdoan.core.text import fold

from .extraction import Claim, Extraction

__all__ = ["check_arithmetic", "percent_verdict", "show_percent", "show_value"]

HUNDRED = Decimal(100)


def _quantize(value: Decimal, decimals: int, rounding: str) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=rounding)


def show_percent(value: Decimal, decimals: int = 2) -> str:
    return format_number(value, decimals, trim=True) + "%"


def show_value(claim: Claim, value: Decimal) -> str:
    if claim.kind == "money":
        return f"{format_number(value, 0)} đồng ({format_money_words(int(value))})"
    if claim.kind == "percent":
        return show_percent(value)
    return format_number(value, 2, trim=True)


def percent_verdict(
    numerator: Decimal, denominator: Decimal, stated: Decimal, decimals: int
) -> tuple[str, str]:
    """(verdict, the right percentage as it should be written) for ``stated``% = numerator/denominator."""
    if denominator == 0:
        return "wrong", "không xác định (mẫu số bằng 0)"
    exact = numerator / denominator * HUNDRED
    precision = decimals if decimals >= 1 else 2  # the written precision, two decimals for a whole one
    right = show_percent(_quantize(exact, precision, ROUND_HALF_UP), precision)
    if stated == _quantize(exact, decimals, ROUND_HALF_UP):
        # Right to the written precision; exact to two decimals, or written with one or more: ok.
        if decimals >= 1 or abs(exact - stated) < Decimal("0.005"):
            return "ok", right
        return "rounding", right
    if stated == _quantize(exact, decimals, ROUND_DOWN):
        return "rounding", right  # the last digit truncated instead of rounded
    return "wrong", right


def _fraction(claim: Claim) -> str:
    x, y = claim.values[0], claim.values[1]
    return f"{format_number(x, 2, trim=True)}/{format_number(y, 2, trim=True)}"


def _check_ratio(claim: Claim) -> None:
    if claim.problem or len(claim.values) < 3 or claim.decimals is None:
        if not claim.problem and len(claim.values) == 2:
            claim.explanation = (
                f"Phân số {_fraction(claim)} không kèm tỷ lệ phần trăm: không có phép tính để kiểm tra."
            )
        return
    x, y, stated = claim.values
    verdict, right = percent_verdict(x, y, stated, claim.decimals)
    written = show_percent(stated, claim.decimals)
    if claim.bound:
        verdict = _bound_verdict(claim.bound, stated, x / y * HUNDRED if y else None)
    claim.verdict = verdict
    if verdict == "ok":
        claim.explanation = f"{_fraction(claim)} = {right}: đúng."
    elif verdict == "rounding":
        claim.explanation = (
            f"{_fraction(claim)} = {right}; viết «{written}» là làm tròn chấp nhận được "
            "(nên ghi rõ số thập phân)."
        )
    else:
        claim.expected = right
        claim.explanation = f"{_fraction(claim)} = {right}, không phải «{written}»."


def _bound_verdict(bound: str, stated: Decimal, actual: Decimal | None) -> str:
    """A figure written with a qualifier ("hơn 10 tỷ", "gần 100%") against the actual value."""
    if actual is None:
        return "wrong"
    tolerance = abs(stated) / 10
    ok = {
        "above": actual > stated,
        "below": actual < stated,
        "at_least": actual >= stated,
        "at_most": stated - tolerance <= actual <= stated,
        "about": abs(actual - stated) <= tolerance,
    }.get(bound, actual == stated)
    return "ok" if ok else "wrong"


bound_verdict = _bound_verdict

_EXHAUSTIVE = ("gom co", "bao gom", "gom", "cu the", "chia ra", "trong do")
_TOTAL_AFTER_RE = re.compile(r"(tổng cộng|tổng số|cộng|tổng)\s*(?:là|:)?\s*$", re.IGNORECASE)


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", fold(text)))


def _sentence_end(text: str, pos: int) -> int:
    m = re.compile(r"\.(?=\s|$)|\n").search(text, pos)
    return m.start() if m else len(text)


def _check_totals(extraction: Extraction) -> None:
    """Totals stated next to their parts, in one sentence: "X <noun>, gồm/trong đó A …, B … và C …" and
    "A …, B … và C …, tổng cộng X"."""
    claims, text = extraction.claims, extraction.text
    for i, total in enumerate(claims):
        if total.kind not in ("count", "money") or not total.values or total.problem:
            continue
        end = _sentence_end(text, total.end)
        after = _words(text[total.end : total.end + 80])
        word = next((w for w in _EXHAUSTIVE if re.search(rf"(^| ){w}( |$)", after[:40])), "")
        parts: list[int] = []
        if word:
            for j in range(i + 1, len(claims)):
                c = claims[j]
                if c.start >= end or c.kind != total.kind:
                    break
                if c.values and not c.problem and not c.bound:
                    parts.append(j)
        elif _TOTAL_AFTER_RE.search(text[max(0, total.start - 20) : total.start]):
            stops = [m.start() for m in re.finditer(r"\.(?=\s)|\n", text[: total.start])]
            start = stops[-1] if stops else -1
            word = "tong cong"
            for j in range(i - 1, -1, -1):
                c = claims[j]
                if c.start <= start or c.kind != total.kind:
                    break
                if c.values and not c.problem and not c.bound:
                    parts.insert(0, j)
        if len(parts) < 2:
            continue
        total_value = total.values[0]
        summed = sum((claims[j].values[0] for j in parts), Decimal(0))
        subset = word == "trong do"
        right = summed <= total_value if subset else summed == total_value
        if total.bound:
            right = _bound_verdict(total.bound, total_value, summed) == "ok" or subset and right
        total.parts = parts
        listed = " + ".join(show_value(claims[j], claims[j].values[0]).split(" (")[0] for j in parts)
        if right:
            if total.verdict in ("unchecked", "ok"):
                total.verdict = "ok"
            relation = "không vượt tổng" if subset else "khớp tổng"
            total.explanation = f"Các số thành phần {listed} = {show_value(total, summed)}: {relation}."
        else:
            total.verdict = "wrong"
            total.expected = show_value(total, summed) if not subset else f"≥ {show_value(total, summed)}"
            if subset:
                total.explanation = (
                    f"Các số «trong đó» cộng lại {listed} = {show_value(total, summed)}, "
                    f"lớn hơn tổng «{total.text}»."
                )
            else:
                total.explanation = (
                    f"Tổng các số thành phần {listed} = {show_value(total, summed)}, "
                    f"không bằng «{total.text}»."
                )


def check_arithmetic(extraction: Extraction) -> Extraction:
    """Set the verdict of every claim whose arithmetic can be checked (in place; returned for chaining)."""
    for claim in extraction.claims:
        if claim.problem:
            claim.explanation = claim.problem
        elif claim.kind == "ratio":
            _check_ratio(claim)
    _check_totals(extraction)
    return extraction
