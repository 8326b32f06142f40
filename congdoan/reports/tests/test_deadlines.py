"""Report deadlines (``ReportDeadline``): which apply to a unit, the reminders of the home page (due
soon, overdue, how many units under an upper union have not submitted), the admin and the demo loader."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management.base import OutputWrapper
from django.core.management.color import no_style
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from congdoan.core import registry
from congdoan.org.home import home_context
from congdoan.reports import deadlines
from congdoan.reports.demo import demo_command_deadlines
from congdoan.reports.home import reports_panel
from congdoan.reports.models import GeneratedReport, ReportDeadline

pytestmark = pytest.mark.django_db


def _deadline(level: str, due_in: int, issued_by=None, period: str = "") -> ReportDeadline:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    return ReportDeadline.objects.create(
        title=f"Báo cáo tổng kết năm {today.year}",
        period=period or str(today.year),
        unit_type=level,
        due_on=today + dt.timedelta(days=due_in),
        issued_by=issued_by,
    )


def test_reminders_per_level_and_scope(fed) -> None:
    _deadline("CDCS", 10)
    _deadline("CD_XA", -5)
    _deadline("LDLD_TINH", 20)
    year = timezone.localdate().year

    cdcs = reports_panel(home_context(fed.cdcs))
    assert cdcs is not None
    soon = f"Nộp Báo cáo tổng kết năm {year}"
    assert [(i.text, i.tone) for i in cdcs.items] == [(soon, "warning")]

    ward = reports_panel(home_context(fed.kimlien))
    assert ward is not None
    texts = [(i.text, i.tone) for i in ward.items]
    assert (f"Nộp Báo cáo tổng kết năm {year}", "danger") in texts
    assert (f"2 Công đoàn cơ sở chưa nộp Báo cáo tổng kết năm {year}", "warning") in texts  # GL1, DD1

    city = reports_panel(home_context(fed.thanhpho))
    assert city is not None
    city_texts = [i.text for i in city.items]
    assert f"3 Công đoàn cơ sở chưa nộp Báo cáo tổng kết năm {year}" in city_texts  # GL1, GL2, DD1
    assert f"1 Công đoàn xã, phường, đặc khu chưa nộp Báo cáo tổng kết năm {year}" in city_texts
    assert f"Nộp Báo cáo tổng kết năm {year}" in city_texts

    # DD1 made its report: no reminder for its chair, one CĐCS fewer for the ward.
    GeneratedReport.objects.create(unit=fed.dd1, period=str(year), format="docx", status="done")
    assert reports_panel(home_context(fed.cdcs)).items == []  # type: ignore[union-attr]
    ward_after = [i.text for i in reports_panel(home_context(fed.kimlien)).items]  # type: ignore[union-attr]
    assert f"1 Công đoàn cơ sở chưa nộp Báo cáo tổng kết năm {year}" in ward_after


def test_ended_unit_gets_no_reminders_and_far_deadlines_wait(fed) -> None:
    _deadline("LDLD_HUYEN", -3)
    _deadline("CDCS", 45)  # beyond the 30 days of notice
    assert reports_panel(home_context(fed.gialam)).items == []  # type: ignore[union-attr]
    assert reports_panel(home_context(fed.cdcs)).items == []  # type: ignore[union-attr]


def test_a_deadline_set_by_a_union_applies_to_its_subtree_only(fed) -> None:
    own = _deadline("CDCS", 5, issued_by=fed.kl)
    day = timezone.localdate()
    assert own in deadlines.applicable(fed.dd1, day)  # DD1 is under Kim Liên
    assert own not in deadlines.applicable(fed.gl2, day)  # GL2 is directly under the city


def test_period_is_checked_and_normalised(fed) -> None:
    bad = ReportDeadline(title="Sai", period="2025X", unit_type="CDCS", due_on=dt.date(2025, 12, 1))
    with pytest.raises(ValidationError) as refused:
        bad.full_clean()
    assert "period" in refused.value.message_dict


def test_admin_lists_deadlines(fed) -> None:
    _deadline("CDCS", 10)
    client = Client()
    client.force_login(fed.admin)
    response = client.get(reverse("admin:reports_reportdeadline_changelist"))
    assert response.status_code == 200
    assert "Báo cáo tổng kết năm" in response.content.decode()


def test_demo_loader_loads_once(db) -> None:
    out = OutputWrapper(StringIO())
    run = registry.DemoRun(options={}, stdout=out, style=no_style())
    first = demo_command_deadlines(run)
    assert first["deadlines"] == ReportDeadline.objects.count() == 16
    assert demo_command_deadlines(run) == {}
    assert "deadlines" in [loader.name for loader in registry.demo_loaders()]
