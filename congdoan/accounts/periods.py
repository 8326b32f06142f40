"""The period a page opens on, and the user's choice remembered while navigating (one rule, issue 12).

- Default: ``core.periods.current_reporting_year`` of today (the previous year until
  ``settings.REPORTING_YEAR_CLOSES``); for a read-only user of an ended unit, of its last day.
- A period or year picked on any page (``?period=2024S1``, ``?year=2024``, ``?nam=2024``) is kept in the
  session, so the next page opens on it: the indicators, the reports and the clusters agree.

Pages that show periods call :func:`page_period`; pages that show years call :func:`page_year`; both
return the remembered or default value when the query string names none. :func:`year_choices` is the
year switch every page that shows a year offers.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from congdoan.core.periods import Period, PeriodError, current_reporting_year, parse_period

from .scope import user_scope

__all__ = ["SESSION_KEY", "default_year", "page_period", "page_year", "remember", "year_choices"]

SESSION_KEY = "congdoan.period"
"""The session key of the remembered period code ("2024", "2024S1", ...)."""


def default_year(user: Any) -> int:
    """The reporting year pages open on for ``user`` (see the module docstring)."""
    day = timezone.localdate()
    until = user_scope(user).read_only_until
    if until is not None and until < day:
        day = until
    return current_reporting_year(day)


def remember(request: HttpRequest, period: Period | str) -> None:
    """Keep ``period`` as the user's choice for the next pages (no-op without a session)."""
    session = getattr(request, "session", None)
    if session is None:
        return
    code = period.code if isinstance(period, Period) else str(period)
    if session.get(SESSION_KEY) != code:
        session[SESSION_KEY] = code


def _remembered(request: HttpRequest) -> Period | None:
    session = getattr(request, "session", None)
    code = session.get(SESSION_KEY) if session is not None else None
    if not code:
        return None
    try:
        return parse_period(str(code))
    except PeriodError:
        return None


def page_period(request: HttpRequest, *, param: str = "period", default: str | None = None) -> str:
    """The period code a page shows: ``?param=`` (remembered when valid; an invalid code is returned
    as typed so the page can say why), else the remembered one, else ``default``, else the user's
    default reporting year."""
    raw = request.GET.get(param, "").strip()
    if raw:
        try:
            remember(request, parse_period(raw))
        except PeriodError:
            pass
        return raw
    remembered = _remembered(request)
    if remembered is not None:
        return remembered.code
    return default or str(default_year(request.user))


def page_year(request: HttpRequest, *, param: str = "year", default: int | None = None) -> int:
    """The year a page shows: ``?param=YYYY`` (remembered), else the remembered period's year (a term:
    its first year), else ``default``, else the user's default reporting year."""
    raw = request.GET.get(param, "").strip()
    if raw:
        try:
            year = int(raw)
            if 1000 <= year <= 9999:
                remember(request, str(year))
                return year
        except ValueError:
            pass
    remembered = _remembered(request)
    if remembered is not None:
        return remembered.start.year
    return default if default is not None else default_year(request.user)


def year_choices(selected: int, *, years: list[int] | None = None, span: int = 4) -> list[int]:
    """Years for a year switch, newest first: ``years`` (those with data) and the ``span`` years before
    this one and this one, always with ``selected``."""
    this_year = timezone.localdate().year
    out = set(years or []) | set(range(this_year - span, this_year + 1)) | {selected}
    return sorted(out, reverse=True)
