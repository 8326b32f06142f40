"""Issue 12 item 3: a period that ends before the unit was founded shows "Đơn vị chưa thành lập trong kỳ
này (thành lập ngày …)" on the data-entry form and the dashboard, and the services refuse to store it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from congdoan.indicators import services
from congdoan.indicators.models import DataValue, ReportForm, Submission
from congdoan.org.selectors import began_on, not_founded_message

pytestmark = pytest.mark.django_db

MESSAGE = "Đơn vị chưa thành lập trong kỳ này (thành lập ngày 01/07/2025)."


def _get(user, name: str, **query: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse(name), query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_one_rule(fed) -> None:
    assert began_on(fed.kl) == dt.date(2025, 7, 1)
    assert not_founded_message(fed.kl, dt.date(2024, 12, 31)) == MESSAGE
    assert not_founded_message(fed.kl, dt.date(2025, 6, 30)) == MESSAGE
    assert not_founded_message(fed.kl, dt.date(2025, 7, 1)) == ""
    assert not_founded_message(fed.hn, dt.date(2024, 12, 31)) == ""


def test_entry_form_for_a_year_before_the_founding_offers_no_form(fed) -> None:
    """Kim Liên (founded 01/07/2025) is not offered a 2024 form with Lưu/Gửi."""
    text = _get(fed.kimlien, "indicators:entry", unit="KL", period="2024")
    assert MESSAGE in text
    assert 'value="save"' not in text and 'value="submit"' not in text
    later = _get(fed.kimlien, "indicators:entry", unit="KL", period="2025")
    assert MESSAGE not in later


def test_a_post_for_a_year_before_the_founding_stores_nothing(fed) -> None:
    client = Client()
    client.force_login(fed.kimlien)
    response = client.post(
        reverse("indicators:entry") + "?unit=KL&period=2024", {"action": "save", "TUYEN_TRUYEN": "4"}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert MESSAGE in text and "bắt đầu hoạt động từ ngày 01/07/2025, sau năm 2024" in text
    assert not DataValue.objects.filter(unit=fed.kl).exists()
    assert not Submission.objects.filter(unit=fed.kl).exists()


def test_dashboard_for_a_year_before_the_founding_says_so(fed) -> None:
    text = _get(fed.kimlien, "indicators:dashboard", unit="KL", period="2024")
    assert MESSAGE in text
    assert "indicator-card" not in text and "Chưa giao chỉ tiêu" not in text
    assert MESSAGE not in _get(fed.kimlien, "indicators:dashboard", unit="KL", period="2025")


def test_submit_service_refuses_a_period_before_the_founding(fed) -> None:
    form = ReportForm.objects.create(code="BC_THU", name="Báo cáo thử", period_kind="year")
    with pytest.raises(ValidationError) as refused:
        services.submission_submit(actor=fed.kimlien, form=form, unit=fed.kl, period="2024")
    assert "bắt đầu hoạt động từ ngày 01/07/2025, sau năm 2024" in str(refused.value)
    assert not Submission.objects.filter(unit=fed.kl).exists()
