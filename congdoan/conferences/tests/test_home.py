"""The conferences panel of the home page: CĐCS that have not held their conference this year; scoped."""

from __future__ import annotations

import pytest
from django.utils import timezone

from congdoan.conferences import services
from congdoan.conferences.home import conferences_panel
from congdoan.conferences.models import ConferenceKind
from congdoan.org.home import home_context

pytestmark = pytest.mark.django_db


def test_cdcs_without_a_conference_this_year_in_scope(fed) -> None:
    year = timezone.localdate().year
    city = conferences_panel(home_context(fed.thanhpho))
    assert city is not None and str(year) in city.title
    texts = [i.text for i in city.items]
    # GL1 (garment company) owes a workers' conference; GL2 and DD1 (public bodies) a civil servants' one.
    assert f"1 CĐCS chưa tổ chức hội nghị người lao động năm {year}" in texts
    assert f"2 CĐCS chưa tổ chức hội nghị cán bộ, công chức, viên chức năm {year}" in texts

    ward = conferences_panel(home_context(fed.kimlien))
    assert ward is not None
    # Kim Liên has GL1 and DD1; GL2 (Gia Lâm's school, under the city) is not counted for it.
    assert [i.text for i in ward.items] == [
        f"1 CĐCS chưa tổ chức hội nghị người lao động năm {year}",
        f"1 CĐCS chưa tổ chức hội nghị cán bộ, công chức, viên chức năm {year}",
    ]


def test_a_held_conference_clears_the_reminder(fed) -> None:
    today = timezone.localdate()
    services.conference_create(actor=None, unit=fed.dd1, kind=ConferenceKind.CIVIL, held_on=today)
    block = conferences_panel(home_context(fed.cdcs))
    assert block is not None and block.items == []
    assert block.empty.startswith("Mọi CĐCS đã tổ chức hội nghị")
    assert [link.label for link in block.links] == ["Ghi nhận hội nghị", "Hội nghị, đối thoại"]
