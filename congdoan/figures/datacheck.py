"""The data check: each claim against the figure the roll-up engine gives for the unit and period.

A claim is matched to an indicator by the words around it (``FigureMapping``: administrators edit
the phrases), then compared with ``indicators.selectors.achievement_tables`` — the engine every page and
report uses, scoped to the user (``user`` None: the system, as the CLI). The difference is shown, with
the link to the records behind the database figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from congdoan.core.formatting import format_number
from congdoan.core.periods import Period
from congdoan.core.text import fold
from congdoan.indicators import selectors as indicator_selectors
from congdoan.indicators.engine import Figure
from congdoan.indicators.models import Indicator
from congdoan.indicators.views_shared import records_url
from congdoan.org.models import OrgUnit

from .arithmetic import bound_verdict, show_percent, show_value
from .extraction import Claim, Extraction
from .models import FigureMapping

__all__ = ["Mapping", "active_mappings", "check_data", "match_indicator"]

HUNDRED = Decimal(100)
_SEVERITY = {"unchecked": 0, "ok": 1, "rounding": 2, "wrong": 3}


def _tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", fold(text))


@dataclass(frozen=True)
class Mapping:
    before: tuple[str, ...]
    after: tuple[str, ...]
    code: str
    kind: str

    @classmethod
    def of(cls, phrase: str, code: str, kind: str) -> Mapping:
        before, sep, after = phrase.partition("#")
        if not sep:
            before, after = "", phrase
        return cls(tuple(_tokens(before)), tuple(_tokens(after)), code, kind)


def active_mappings() -> list[Mapping]:
    rows = FigureMapping.objects.filter(active=True).values_list("phrase", "indicator__code", "kind")
    return [Mapping.of(phrase, code, kind) for phrase, code, kind in rows]


def _in_order(words: tuple[str, ...], tokens: list[str]) -> int:
    """The position after the last of ``words`` found in order in ``tokens`` (-1: not all found)."""
    pos = 0
    for word in words:
        try:
            pos = tokens.index(word, pos) + 1
        except ValueError:
            return -1
    return pos


def _score(mapping: Mapping, claim: Claim) -> tuple[int, int] | None:
    if mapping.kind and mapping.kind != claim.kind:
        return None
    noun = _tokens(claim.noun)[:16]
    if mapping.after:
        if not noun or noun[0] != mapping.after[0] or _in_order(mapping.after, noun) < 0:
            return None
    closeness = 0
    if mapping.before:
        lead = _tokens(claim.lead)[-12:]
        end = _in_order(mapping.before, lead)
        if end < 0:
            return None
        closeness = end - len(lead)  # 0 when the words end right before the figure
    return (len(mapping.before) + len(mapping.after), closeness)


def match_indicator(claim: Claim, mappings: list[Mapping]) -> str:
    """The indicator code the claim speaks of, "" when no phrase matches."""
    best: tuple[tuple[int, int], str] | None = None
    for mapping in mappings:
        score = _score(mapping, claim)
        if score is not None and (best is None or score > best[0]):
            best = (score, mapping.code)
    return best[1] if best else ""


def _resolution(claim: Claim, stated: Decimal) -> Decimal:
    """Half the unit of the last written digit: "1 tỷ 250,3 triệu" is written to 100.000 đồng."""
    if claim.kind == "money" or stated >= 100_000:
        exponent = stated.normalize().as_tuple().exponent
        step = Decimal(1).scaleb(int(exponent)) if isinstance(exponent, int) and exponent > 0 else Decimal(1)
        return step / 2
    return Decimal(0)


def _compare(claim: Claim, stated: Decimal, actual: Decimal | None, decimals: int | None = None) -> str:
    """ok / rounding / wrong / unchecked for one number of a claim against the database."""
    if actual is None:
        return "unchecked"
    if claim.bound:
        return bound_verdict(claim.bound, stated, actual)
    if decimals is not None:  # a percentage: to its written precision
        rounded = actual.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        if rounded == stated:
            return "ok" if decimals >= 1 or abs(actual - stated) < Decimal("0.005") else "rounding"
        return "wrong"
    if actual == stated:
        return "ok"
    if abs(actual - stated) <= _resolution(claim, stated):
        return "rounding"
    return "wrong"


def _pairs(
    claim: Claim, indicator: Indicator, figure: Figure
) -> list[tuple[Decimal, Decimal | None, int | None]]:
    """(stated, database, decimals of a percentage) for each number of the claim the database knows."""
    values = claim.values
    pct = figure.value * HUNDRED if indicator.is_ratio and figure.value is not None else None
    if claim.kind == "ratio":
        if indicator.is_ratio:
            out: list[tuple[Decimal, Decimal | None, int | None]] = [
                (values[0], figure.numerator, None),
                (values[1], figure.denominator, None),
            ]
            if len(values) > 2:
                out.append((values[2], pct, claim.decimals))
            return out
        achieved = figure.compared if figure.compared is not None else figure.value
        return [(values[0], achieved, None), (values[1], figure.target, None)]
    if claim.kind == "percent":
        if indicator.is_ratio:
            return [(values[0], pct, claim.decimals)]
        achievement = figure.achievement * HUNDRED if figure.achievement is not None else None
        return [(values[0], achievement, claim.decimals)]
    if indicator.is_ratio:
        return [(values[0], figure.numerator, None)]
    return [(values[0], figure.value, None)]


def _show(claim: Claim, value: Decimal, decimals: int | None) -> str:
    if decimals is not None:
        return show_percent(value, max(decimals, 1) if value != value.to_integral_value() else 0)
    if claim.kind == "money":
        return show_value(claim, value)
    return format_number(value, 2, trim=True)


def check_data(
    extraction: Extraction, *, user: Any, unit: OrgUnit, period: Period, mappings: list[Mapping] | None = None
) -> Extraction:
    """Compare each matched claim with the engine's figure of ``unit`` for ``period`` (in place).

    The unit must be in the user's scope (``achievement_tables`` answers 404 otherwise)."""
    mappings = active_mappings() if mappings is None else mappings
    wanted: dict[int, str] = {}
    for i, claim in enumerate(extraction.claims):
        if claim.values and not claim.problem:
            code = match_indicator(claim, mappings)
            if code:
                wanted[i] = code
    if not wanted:
        return extraction
    indicators = {
        i.code: i for i in indicator_selectors.indicator_list().filter(code__in=set(wanted.values()))
    }
    ready = [i for i in indicators.values() if _available(i)]
    tables = (
        indicator_selectors.achievement_tables(
            user=user, indicators=ready, period=period, under=unit, depth=0
        )
        if ready
        else {}
    )
    for i, code in wanted.items():
        claim = extraction.claims[i]
        indicator = indicators.get(code)
        if indicator is None:
            continue
        claim.indicator, claim.indicator_name = indicator.code, indicator.name
        figures = tables.get(code) or []
        if not figures:
            _note(claim, f"Chỉ tiêu «{indicator.name}» chưa có dữ liệu nguồn trên hệ thống.")
            continue
        figure = figures[0]
        pairs = _pairs(claim, indicator, figure)
        claim.database_value = [db for _, db, _ in pairs]
        claim.records_url = records_url(indicator, figure, period)
        verdicts = [_compare(claim, stated, db, dec) for stated, db, dec in pairs]
        known = [v for v in verdicts if v != "unchecked"]
        if not known:
            _note(claim, f"Chưa có số liệu «{indicator.name}» của {unit.name} {period.label}.")
            continue
        worst = max(known, key=_SEVERITY.__getitem__)
        shown = "; ".join(
            f"{_show(claim, stated, dec)} ghi / {_show(claim, db, dec)} trên hệ thống"
            for stated, db, dec in pairs
            if db is not None
        )
        where = f"«{indicator.name}» của {unit.name} {period.label}"
        if worst == "wrong":
            expected = _expected(claim, pairs)
            _merge(claim, "wrong", f"Khác số liệu {where}: {shown}.", expected)
        elif worst == "rounding":
            _merge(claim, "rounding", f"Khớp số liệu {where} sau làm tròn: {shown}.")
        else:
            _merge(claim, "ok", f"Khớp số liệu {where}: {shown}.")
    return extraction


def _expected(claim: Claim, pairs: list[tuple[Decimal, Decimal | None, int | None]]) -> str:
    """What the claim should say by the database: "4/7 (57,1%)" for a fraction, else the number."""
    shown = [_show(claim, db, dec) if db is not None else "?" for _, db, dec in pairs]
    if claim.kind == "ratio" and len(shown) >= 2:
        return f"{shown[0]}/{shown[1]}" + (f" ({shown[2]})" if len(shown) > 2 else "")
    return shown[0]


def _available(indicator: Indicator) -> bool:
    """Its figures can be computed: every computed part has a registered provider."""
    from congdoan.indicators.providers import REGISTRY

    parts = [indicator.numerator, indicator.denominator] if indicator.is_ratio else [indicator]
    return all(
        p is not None and (p.source != Indicator.Source.COMPUTED or p.provider in REGISTRY) for p in parts
    )


def _note(claim: Claim, text: str) -> None:
    claim.explanation = f"{claim.explanation} {text}".strip()


def _merge(claim: Claim, verdict: str, text: str, expected: str = "") -> None:
    """Combine with the arithmetic verdict: the worse one wins; both explanations are kept."""
    if _SEVERITY[verdict] >= _SEVERITY[claim.verdict]:
        if verdict == "wrong" and claim.verdict != "wrong":
            claim.expected = expected
        claim.verdict = verdict
    _note(claim, text)
