"""The bargaining panel of the home page: agreements expiring within 90 days, CĐCS without one; scoped."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from congdoan.bargaining import services
from congdoan.bargaining.home import agreements_panel
from congdoan.org.home import home_context

pytestmark = pytest.mark.django_db


def _agreement(cdcs, employers, expires_in: int):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    return services.agreement_create(
        actor=None,
        cdcs=cdcs,
        employers=employers,
        kind="new",
        signed_on=today - dt.timedelta(days=400),
        expires_on=today + dt.timedelta(days=expires_in),
        approval_share=Decimal("0.8"),
    )


def _home(user) -> str:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client.get(reverse("org:home")).content.decode()


def test_expiring_agreements_and_cdcs_without_one_in_scope(emp) -> None:
    fed = emp.fed
    _agreement(fed.gl1, [emp.may1], 20)  # GL1 sits under Kim Liên since 01/08/2025
    _agreement(fed.gl2, [emp.school], 60)  # GL2 stays directly under the city

    city = agreements_panel(home_context(fed.thanhpho))
    assert city is not None
    texts = [i.text for i in city.items]
    assert "Thỏa ước của CĐCS Công ty May Gia Lâm hết hiệu lực" in texts
    assert "Thỏa ước của CĐCS Trường THCS Đặng Xá hết hiệu lực" in texts
    assert city.items[0].tone == "danger" and city.items[1].tone == "warning"  # 20 days, then 60
    assert "2 sắp hết hạn trong 90 ngày" in city.title

    ward = agreements_panel(home_context(fed.kimlien))
    assert ward is not None
    ward_texts = [i.text for i in ward.items]
    assert "Thỏa ước của CĐCS Công ty May Gia Lâm hết hiệu lực" in ward_texts
    assert not any("Đặng Xá" in t for t in ward_texts)  # kimlien sees no figures of GL2

    html = _home(fed.kimlien)
    assert "CĐCS Công ty May Gia Lâm" in html and "Trường THCS Đặng Xá" not in html
    assert "Thêm thỏa ước" in html


def test_enterprise_cdcs_without_an_agreement_are_counted(emp) -> None:
    fed = emp.fed
    block = agreements_panel(home_context(fed.kimlien))
    assert block is not None
    # GL1 is an enterprise CĐCS (non-state) under Kim Liên with no agreement yet; DD1 is a hospital.
    assert any(i.text == "1 CĐCS doanh nghiệp chưa có thỏa ước" for i in block.items)


def test_ended_unit_sees_nothing_after_its_last_day_and_no_add_button(emp) -> None:
    fed = emp.fed
    _agreement(fed.gl1, [emp.may1], 20)
    block = agreements_panel(home_context(fed.gialam))
    assert block is not None
    assert not any("hết hiệu lực" in i.text for i in block.items)
    assert [link.label for link in block.links] == ["Thỏa ước"]
