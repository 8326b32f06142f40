"""The annual report congdoan drafts passes its own checker: no red, and its figures match the records.

The report is built for Gia Lâm's 2024 (the reports app's test data: members, CĐCS, agreements,
conferences and targets written through the real services) with ``reports.selectors.report_build``."""

from __future__ import annotations

import datetime as dt

import pytest

from congdoan.core.periods import parse_period
from congdoan.figures.readers import read_bytes
from congdoan.figures.selectors import check_text
from congdoan.reports import selectors as report_selectors
from congdoan.reports import services as report_services
from congdoan.reports.tests.conftest import build_report_data

pytestmark = pytest.mark.django_db
Y2024 = parse_period("2024")


def _report_text(user, unit) -> str:  # type: ignore[no-untyped-def]
    report = report_selectors.report_build(user=user, unit=unit, period=Y2024, today=dt.date(2025, 9, 1))
    lines = [report.title]
    for section in report.sections:
        lines.append(f"{section.number}. {section.title}")
        for part in section.parts:
            if part.title:
                lines.append(part.title)
            lines.extend(part.paragraphs)
    return "\n".join(lines)


def test_the_drafted_annual_report_has_no_red_figure(fed) -> None:  # type: ignore[no-untyped-def]
    build_report_data(fed)
    text = _report_text(fed.gialam, fed.gl)
    result = check_text(user=fed.gialam, text=text, unit=fed.gl, period=Y2024)
    shown = [(c.text, c.verdict, c.indicator, c.explanation) for c in result.claims]
    assert not [c for c in result.claims if c.verdict == "wrong"], shown
    assert result.problems == []
    # Every figure of the drafted sentences was found and checked against the records.
    by_text = {c.text: c for c in result.claims}
    assert len(result.claims) >= 10, shown
    assert {c.indicator for c in result.claims} >= {
        "DV_KET_NAP",
        "DV_TONG",
        "CDCS_THANH_LAP",
        "CDCS_TONG",
        "TU_KY_MOI",
        "TL_CO_THOA_UOC",
        "TL_LOAI_AB",
        "TL_HN_NLD",
        "TL_HN_CBCCVC",
        "DOI_THOAI",
    }, shown
    # No red is the rule (issue 17); a figure may stay unchecked or within rounding.
    assert by_text["7/8 CĐCS có thỏa ước (87,50%"].database_value is not None


def test_a_figure_changed_in_the_drafted_report_turns_red(fed) -> None:  # type: ignore[no-untyped-def]
    """Not vacuous: the same report with one count changed is caught by the data check."""
    build_report_data(fed)
    text = _report_text(fed.gialam, fed.gl).replace("3 cuộc đối thoại", "4 cuộc đối thoại")
    result = check_text(user=fed.gialam, text=text, unit=fed.gl, period=Y2024)
    [wrong] = [c for c in result.claims if c.verdict == "wrong"]
    assert (wrong.text, wrong.indicator, wrong.expected) == ("4 cuộc đối", "DOI_THOAI", "3")
    assert wrong.database_value == [3]


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_word_and_pdf_files_of_the_report_pass_too(fed, fmt: str) -> None:  # type: ignore[no-untyped-def]
    """The files officers download (``reports.services.report_render``), read back as uploaded."""
    build_report_data(fed)
    data = report_services.report_render(user=fed.gialam, unit=fed.gl, period=Y2024, fmt=fmt)
    text = read_bytes(data, f"bao-cao.{fmt}")
    result = check_text(user=fed.gialam, text=text, unit=fed.gl, period=Y2024)
    shown = [(c.text, c.verdict, c.indicator, c.explanation) for c in result.claims]
    assert not [c for c in result.claims if c.verdict == "wrong"], shown
    assert sum(1 for c in result.claims if c.verdict == "ok") >= 10, shown
