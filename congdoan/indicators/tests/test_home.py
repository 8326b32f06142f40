"""The indicators panel of the home page: progress against this year's targets, scoped to the user's
unit; "chưa thành lập" for a unit founded after the period."""

from __future__ import annotations

import pytest
from django.utils import timezone

from congdoan.indicators import services
from congdoan.indicators.home import progress_panel
from congdoan.indicators.models import Indicator
from congdoan.org.home import home_context

pytestmark = pytest.mark.django_db


def _card(block, code: str):  # type: ignore[no-untyped-def]
    cards = block.context["units"][0]["cards"]
    return next(c for c in cards if c.indicator.code == code)


def test_progress_against_targets_in_scope(fed) -> None:
    year = str(timezone.localdate().year)
    talks = Indicator.objects.get(code="TUYEN_TRUYEN")
    if not talks.standard:
        talks.standard = True
        talks.save()
    services.target_set(actor=fed.thanhpho, unit=fed.kl, indicator=talks, period=year, value=10)
    services.value_set(actor=fed.kimlien, unit=fed.gl1, indicator=talks, period=year, value=4)
    services.value_set(actor=fed.thanhpho, unit=fed.gl2, indicator=talks, period=year, value=7)

    ward = progress_panel(home_context(fed.kimlien))
    assert ward is not None and year in ward.title
    card = _card(ward, "TUYEN_TRUYEN")
    assert card.figure.value == 4  # GL1 only: GL2 (Gia Lâm's school, under the city) is not Kim Liên's
    assert card.summary.startswith("4/10 buổi — đạt 40")
    assert card.bar == 40
    assert ward.context["units"][0]["cards"][0].indicator.code == "TUYEN_TRUYEN"  # targets first

    city = progress_panel(home_context(fed.thanhpho))
    assert city is not None
    assert _card(city, "TUYEN_TRUYEN").figure.value == 11


def test_ended_unit_sees_the_year_of_its_last_day(fed) -> None:
    block = progress_panel(home_context(fed.gialam))
    assert block is not None
    assert block.context["period"].code == "2025"
    assert block.context["units"][0]["unborn"] == ""
