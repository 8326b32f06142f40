"""The dates a report covers: the part of the period in which its unit lived (``engine.window``)."""

from __future__ import annotations

import datetime as dt

import pytest

from congdoan.core.periods import parse_period
from congdoan.reports import selectors
from congdoan.reports.context import build_context

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 9, 1)


def test_unit_that_ended_in_the_period_reports_to_its_last_day(fed) -> None:
    report = selectors.report_build(user=None, unit=fed.gl, period=parse_period("2025"), today=TODAY)
    assert (report.start, report.end, report.ended) == (dt.date(2025, 1, 1), dt.date(2025, 6, 29), True)


def test_unit_founded_in_the_period_reports_from_its_founding(fed) -> None:
    report = selectors.report_build(user=None, unit=fed.kl, period=parse_period("2025"), today=TODAY)
    assert (report.start, report.end, report.ended) == (dt.date(2025, 7, 1), dt.date(2025, 12, 31), False)


def test_unit_founded_after_the_period_never_covers_days_after_it(fed) -> None:
    """Kim Liên began on 01/07/2025: its 2024 report says so, and its dates stay within 2024 (they
    read "từ 01/07/2025 đến 31/12/2024" when reports had a window of their own)."""
    report = selectors.report_build(user=None, unit=fed.kl, period=parse_period("2024"), today=TODAY)
    assert report.reason == "đơn vị thành lập ngày 01/07/2025, sau kỳ báo cáo"
    assert report.start <= report.end == dt.date(2024, 12, 31)
    context = build_context(report)
    assert (context["period_start"], context["period_end"]) == ("31/12/2024", "31/12/2024")
