"""Vietnamese number, percent, money and date formatting/parsing (architecture §4).

Conventions: thousands dot and decimal comma ("23.736", "120,83%"), money in integer đồng
("1.250.300.000 đ" or "1 tỷ 250,3 triệu đồng"), dates dd/mm/yyyy. All arithmetic is Decimal;
money is never a float. Rounding is half-up (what people expect on paper reports).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings

from congdoan.core.text import fold

__all__ = [
    "EMPTY",
    "format_date",
    "format_duration",
    "format_fraction_percent",
    "format_money",
    "format_money_words",
    "format_number",
    "format_percent",
    "percent_decimals",
    "parse_amount",
    "parse_date",
    "parse_number",
    "parse_percent",
]

Number = int | Decimal | float

EMPTY = "—"
"""Shown for an undefined value, e.g. a percentage with a zero denominator (never "0%" or "")."""

_TY = 1_000_000_000
_TRIEU = 1_000_000
_NGHIN = 1_000


def _to_decimal(n: Number | str) -> Decimal:
    # str() first so floats keep their short repr (0.1 -> Decimal("0.1"), not 0.1000000000000000055...).
    if isinstance(n, Decimal):
        return n
    if isinstance(n, float):
        return Decimal(repr(n))
    return Decimal(n)


def _round(d: Decimal, decimals: int) -> Decimal:
    return d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def format_number(n: Number, decimals: int = 0, *, trim: bool = False) -> str:
    """ "23.736", "1.234,50"; *trim* drops trailing decimal zeros ("1,5" instead of "1,50")."""
    d = _round(_to_decimal(n), decimals)
    if d == 0:
        d = abs(d)  # no "-0"
    sign = "-" if d < 0 else ""
    text = f"{abs(d):f}"
    whole, _, frac = text.partition(".")
    if trim:
        frac = frac.rstrip("0")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = sign + ".".join(groups)
    return f"{out},{frac}" if frac else out


def percent_decimals() -> int:
    """The one rule for percentages in pages and reports alike: ``settings.PERCENT_DECIMALS`` decimals
    (default 2, as the articles write "120,83%"), always shown, so one page never mixes precisions."""
    if not settings.configured:
        return 2
    return int(getattr(settings, "PERCENT_DECIMALS", 2))


def format_fraction_percent(value: float | Decimal | None, decimals: int | None = None) -> str:
    """A fraction as percent with a fixed number of decimals: 1.2083 -> "120,83%", 0.748 -> "74,80%";
    None -> "—". ``decimals`` defaults to :func:`percent_decimals` (pass one only for a non-page use)."""
    if value is None:
        return EMPTY
    places = percent_decimals() if decimals is None else decimals
    return format_number(_to_decimal(value) * 100, places) + "%"


def format_percent(numerator: Number, denominator: Number | None, decimals: int | None = None) -> str:
    """numerator/denominator as percent: (29, 24) -> "120,83%"; zero/None denominator -> "—"."""
    if denominator is None or _to_decimal(denominator) == 0:
        return EMPTY
    return format_fraction_percent(_to_decimal(numerator) / _to_decimal(denominator), decimals)


def format_duration(milliseconds: int | float | Decimal) -> str:
    """How long something took, as people say it: 1234 -> "1,2 giây", 80 -> "0,1 giây",
    95_000 -> "1 phút 35 giây" (never raw milliseconds)."""
    seconds = _round(_to_decimal(milliseconds) / 1000, 1)
    if seconds < 60:
        return f"{format_number(max(seconds, Decimal('0.1')), 1, trim=True)} giây"
    whole = int(_round(seconds, 0))
    minutes, rest = divmod(whole, 60)
    return f"{minutes} phút" + (f" {rest} giây" if rest else "")


def format_money(dong: int) -> str:
    """Full amount: 1250300000 -> "1.250.300.000 đ"."""
    return f"{format_number(int(dong))} đ"


def format_money_words(dong: int) -> str:
    """Report style: "1 tỷ 250,3 triệu đồng", "3,1 tỷ đồng", "535,8 triệu đồng", "50 nghìn đồng".

    Approximate by design: amounts from 1 triệu up are rounded to 0,1 triệu (100.000 đ), smaller
    ones to 0,1 nghìn; below 1.000 đ the exact amount is shown. When the part below 1 tỷ is a whole
    number of 100 triệu it is written as a decimal of tỷ ("3,1 tỷ"), otherwise in triệu.
    """
    dong = int(dong)
    sign = "-" if dong < 0 else ""
    amount = abs(dong)
    if amount < _NGHIN:
        return f"{sign}{amount} đồng"
    rounded = int(_round(Decimal(amount) / 100, 0)) * 100
    if rounded < _TRIEU:
        return f"{sign}{format_number(Decimal(rounded) / _NGHIN, 1, trim=True)} nghìn đồng"
    rounded = int(_round(Decimal(amount) / 100_000, 0)) * 100_000
    if rounded < _TY:
        return f"{sign}{format_number(Decimal(rounded) / _TRIEU, 1, trim=True)} triệu đồng"
    ty, rest = divmod(rounded, _TY)
    if rest % 100_000_000 == 0:
        return f"{sign}{format_number(Decimal(rounded) / _TY, 1, trim=True)} tỷ đồng"
    return f"{sign}{format_number(ty)} tỷ {format_number(Decimal(rest) / _TRIEU, 1, trim=True)} triệu đồng"


_NUMBER_RE = re.compile(r"[+-]?(\d+([.,]\d+)*|[.,]\d+)")


def parse_number(s: str) -> Decimal:
    """Parse a number typed the Vietnamese way ("23.736" -> 23736, "1,5" -> 1.5).

    Separators: with both "." and ",", the last one is the decimal mark ("1.234,5" and "1,234.5").
    A single "," is decimal; repeated ones are thousands. A single "." is thousands when exactly
    three digits follow and the integer part is not 0 ("23.736"), otherwise decimal ("1.5", "0.624").
    Spaces (incl. non-breaking) are ignored, so "1 234" works.
    """
    raw = s
    t = re.sub(r"\s+", "", str(s))
    if not _NUMBER_RE.fullmatch(t):
        raise ValueError(f"Số không hợp lệ: «{raw}»")
    sign = ""
    if t[0] in "+-":
        sign, t = ("-" if t[0] == "-" else ""), t[1:]
    dots, commas = t.count("."), t.count(",")
    if dots and commas:
        decimal_mark = "." if t.rfind(".") > t.rfind(",") else ","
        thousands = "," if decimal_mark == "." else "."
        if t.count(decimal_mark) > 1:
            raise ValueError(f"Số không hợp lệ: «{raw}»")
        t = t.replace(thousands, "").replace(decimal_mark, ".")
    elif commas:
        t = t.replace(",", "" if commas > 1 else ".")
    elif dots == 1:
        whole, frac = t.split(".")
        if len(frac) == 3 and whole.lstrip("0"):
            t = whole + frac
    elif dots > 1:
        t = t.replace(".", "")
    try:
        return Decimal(sign + t)
    except InvalidOperation as exc:  # pragma: no cover - the regex already guards this
        raise ValueError(f"Số không hợp lệ: «{raw}»") from exc


# Multipliers for amount units, matched on folded text (so "tỷ", "tỉ", "TỶ", "ty" all work).
_UNITS = {
    "ty": _TY,
    "ti": _TY,
    "trieu": _TRIEU,
    "tr": _TRIEU,
    "nghin": _NGHIN,
    "ngan": _NGHIN,
    "k": _NGHIN,
}
# A number is either space-grouped ("56 000 000") or a run of digits and separators.
_AMOUNT_TOKEN_RE = re.compile(
    r"([+-]?(?:\d{1,3}(?:\s\d{3})+(?![\d.,])|[\d.,]+))\s*(ty|ti|trieu|tr|nghin|ngan|k)?(?![a-z])"
)
_CURRENCY_RE = re.compile(r"(vnd|dong|d|₫)\.?$")


def parse_amount(s: str) -> int:
    """Parse money in đồng: "1.250.300.000", "1 tỷ 250,3 triệu đồng", "2,2 tỉ", "50 ngàn", "50k".

    Parts are summed ("1 tỷ 250,3 triệu") but units must decrease and a number without unit can
    only come last, so a typo like "56 000 00" is rejected instead of silently becoming 56 đồng.
    The result must be a whole number of đồng.
    """
    raw = s
    text = fold(str(s).replace("₫", " đ ")).strip()
    text = _CURRENCY_RE.sub("", text).strip()
    error = ValueError(f"Số tiền không hợp lệ: «{raw}» (ví dụ: 1.250.300.000 hoặc 1 tỷ 250,3 triệu)")
    total = Decimal(0)
    pos = 0
    last_unit = 0
    for m in _AMOUNT_TOKEN_RE.finditer(text):
        unit = _UNITS.get(m.group(2) or "", 1)
        if text[pos : m.start()].strip() or (last_unit and unit >= last_unit):
            raise error
        try:
            total += parse_number(m.group(1).replace(" ", "")) * unit
        except ValueError:
            raise error from None
        pos, last_unit = m.end(), unit
    if text[pos:].strip() or pos == 0:
        raise error
    if total != total.to_integral_value():
        raise ValueError(f"Số tiền phải là số nguyên đồng: «{raw}»")
    return int(total)


def parse_percent(s: str) -> Decimal:
    """Parse a percentage into a fraction: "62,4%" -> Decimal("0.624"); "%" is optional ("106" -> 1.06)."""
    raw = s
    t = str(s).strip()
    if t.endswith("%"):
        t = t[:-1]
    try:
        return parse_number(t) / 100
    except ValueError:
        raise ValueError(f"Tỷ lệ phần trăm không hợp lệ: «{raw}»") from None


def format_date(d: date) -> str:
    """dd/mm/yyyy; a datetime is shown by its date part (convert to local time before calling)."""
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


_DMY_RE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_ISO_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_date(s: str) -> date:
    """Parse dd/mm/yyyy, d/m/yyyy (also with "-" or "."), or ISO yyyy-mm-dd."""
    t = str(s).strip()
    day = month = year = 0
    if m := _DMY_RE.fullmatch(t):
        day, month, year = (int(g) for g in m.groups())
    elif m := _ISO_RE.fullmatch(t):
        year, month, day = (int(g) for g in m.groups())
    else:
        raise ValueError(f"Ngày không hợp lệ: «{s}» (dùng dd/mm/yyyy, ví dụ 15/01/2021)")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"Ngày không tồn tại: «{s}»") from None
