"""Uploaded Word templates are checked with limits: no huge output, no endless render."""

from __future__ import annotations

import pytest

from congdoan.reports.models import ReportTemplate

from .test_pages import _docx_with, _upload, login

pytestmark = pytest.mark.django_db


def test_a_huge_string_is_refused_before_it_is_built(client, fed) -> None:  # type: ignore[no-untyped-def]
    login(client, fed.admin)
    response = _upload(client, "mau.docx", _docx_with("{{ title }} {{'a'*200000000}}"))
    assert response.status_code == 200
    assert "Mẫu tạo ra nội dung quá lớn" in response.content.decode()
    assert not ReportTemplate.objects.exists()


def test_a_power_that_never_ends_is_refused(client, fed) -> None:  # type: ignore[no-untyped-def]
    login(client, fed.admin)
    response = _upload(client, "mau.docx", _docx_with("{{ 9 ** 99999999 }}"))
    assert "Mẫu tạo ra nội dung quá lớn" in response.content.decode()
    assert not ReportTemplate.objects.exists()


def test_an_endless_loop_is_stopped_by_the_time_limit(client, fed, settings) -> None:  # type: ignore[no-untyped-def]
    settings.REPORT_TEMPLATE_CHECK_SECONDS = 1
    login(client, fed.admin)
    loops = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}{{ title }}"
    response = _upload(client, "mau.docx", _docx_with(loops))
    assert response.status_code == 200
    assert "Dựng thử mẫu quá 1 giây" in response.content.decode()
    assert not ReportTemplate.objects.exists()


def test_a_normal_template_still_passes_the_limited_check(client, fed) -> None:  # type: ignore[no-untyped-def]
    login(client, fed.admin)
    text = "{% for i in range(3) %}{{ title }} {{ 'x' * 3 }}{% endfor %}"
    assert _upload(client, "rieng.docx", _docx_with(text)).status_code == 302
    assert ReportTemplate.objects.get().variables == ["title"]
