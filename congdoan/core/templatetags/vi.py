"""Vietnamese display filters: ``{% load vi %}`` then ``{{ x|vi_number }}``, ``{{ r|vi_percent:1 }}``...

Filters never raise in templates: None/"" render as "" and unparseable input is shown unchanged,
so a bad cell does not break a whole report page.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import template
from django.utils import timezone

from congdoan.core.formatting import (
    format_date,
    format_duration,
    format_fraction_percent,
    format_money,
    format_money_words,
    format_number,
)
from congdoan.core.periods import PeriodError, format_period

register = template.Library()

_NUMERIC_ERRORS = (ValueError, TypeError, ArithmeticError)


def _empty(value: Any) -> bool:
    return value is None or value == ""


def _number(value: Any) -> int | Decimal | float:
    if isinstance(value, int | Decimal | float):
        return value
    return Decimal(str(value).strip())


@register.filter
def vi_number(value: Any, decimals: int = 0) -> str:
    """23736 -> "23.736"; ``|vi_number:1`` keeps one decimal ("1,5")."""
    if _empty(value):
        return ""
    try:
        return format_number(_number(value), int(decimals))
    except _NUMERIC_ERRORS:
        return str(value)


@register.filter
def vi_percent(value: Any, decimals: int | None = None) -> str:
    """A fraction as percent by the one rule (``core.formatting.percent_decimals``): 0.748 -> "74,80%";
    None -> ""."""
    if _empty(value):
        return ""
    try:
        places = None if decimals is None else int(decimals)
        return format_fraction_percent(Decimal(str(_number(value))), places)
    except _NUMERIC_ERRORS:
        return str(value)


def _dong(value: Any) -> int:
    if isinstance(value, int):
        return value
    n = _number(value)
    d = n if isinstance(n, Decimal) else Decimal(repr(n))
    if d != d.to_integral_value():
        raise ValueError("money must be whole đồng")
    return int(d)


@register.filter
def vi_duration(value: Any) -> str:
    """Milliseconds as "1,2 giây" / "1 phút 35 giây"; None -> ""."""
    if _empty(value):
        return ""
    try:
        return format_duration(_number(value))
    except _NUMERIC_ERRORS:
        return str(value)


@register.filter
def vi_money(value: Any) -> str:
    """1250300000 -> "1.250.300.000 đ"."""
    if _empty(value):
        return ""
    try:
        return format_money(_dong(value))
    except _NUMERIC_ERRORS:
        return str(value)


@register.filter
def vi_money_words(value: Any) -> str:
    """1250300000 -> "1 tỷ 250,3 triệu đồng"."""
    if _empty(value):
        return ""
    try:
        return format_money_words(_dong(value))
    except _NUMERIC_ERRORS:
        return str(value)


@register.filter
def vi_date(value: Any) -> str:
    """date/datetime -> "15/01/2021"; aware datetimes are converted to local time first."""
    if _empty(value):
        return ""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return format_date(value.date())
    if isinstance(value, date):
        return format_date(value)
    return str(value)


@register.filter
def vi_period(value: Any) -> str:
    """Period or code -> "quý II/2024"; an invalid code is shown as is."""
    if _empty(value):
        return ""
    try:
        return format_period(value)
    except PeriodError:
        return str(value)
