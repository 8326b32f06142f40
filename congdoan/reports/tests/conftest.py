"""Report data on the shared federation: members admitted through the services, targets handed down,
and — until the bargaining app registers its own — stand-in agreement providers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from congdoan.indicators import services as indicator_services
from congdoan.indicators.models import Indicator
from congdoan.indicators.providers import REGISTRY, Provider
from congdoan.members import services as member_services

d = dt.date
AGREEMENT_PROVIDERS = (
    "agreements_new",
    "cdcs_with_valid_agreement",
    "enterprise_cdcs",
    "agreements_grade_ab",
    "agreements_graded",
)
CONFERENCE_PROVIDERS = (
    "conferences_workers",
    "enterprises_with_cdcs",
    "conferences_civil",
    "public_bodies_with_cdcs",
    "dialogues",
)


@dataclass
class ReportData:
    fed: object


def _admit(cdcs, day: dt.date, name: str, gender: str = "M") -> None:  # type: ignore[no-untyped-def]
    member_services.member_admit(
        actor=None, cdcs=cdcs, join_date=day, full_name=name, birth_date=d(1990, 5, 1), gender=gender
    )


@pytest.fixture
def no_conference_providers(monkeypatch):  # type: ignore[no-untyped-def]
    """The conferences app has not registered its providers: those indicators have no data."""
    for code in CONFERENCE_PROVIDERS:
        monkeypatch.delitem(REGISTRY, code, raising=False)


@pytest.fixture
def agreement_providers(fed, monkeypatch):  # type: ignore[no-untyped-def]
    """Fixed agreement figures at GL1 and GL2: GL totals 29 new, 131/137, 98/131 (the issue's example)."""
    per_unit = {
        "agreements_new": {fed.gl1.pk: 20, fed.gl2.pk: 9},
        "cdcs_with_valid_agreement": {fed.gl1.pk: 100, fed.gl2.pk: 31},
        "enterprise_cdcs": {fed.gl1.pk: 105, fed.gl2.pk: 32},
        "agreements_grade_ab": {fed.gl1.pk: 70, fed.gl2.pk: 28},
        "agreements_graded": {fed.gl1.pk: 100, fed.gl2.pk: 31},
    }
    for code, values in per_unit.items():
        fixed = {k: Decimal(v) for k, v in values.items()}
        monkeypatch.setitem(
            REGISTRY, code, Provider(code=code, label=code, values=lambda u, s, e, fixed=fixed: dict(fixed))
        )


@pytest.fixture
def data(fed, agreement_providers, no_conference_providers):  # type: ignore[no-untyped-def]
    """2024 in Gia Lâm: 3 + 2 members admitted (one more in 2023), targets 4 members and 24 agreements."""
    for i, name in enumerate(["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]):
        _admit(fed.gl1, d(2024, 3, 1 + i), name)
    _admit(fed.gl2, d(2024, 9, 5), "Phạm Thị Dung", "F")
    _admit(fed.gl2, d(2024, 10, 5), "Hoàng Văn Em")
    _admit(fed.gl2, d(2023, 10, 5), "Đỗ Thị Giang", "F")
    admitted = Indicator.objects.get(code="DV_KET_NAP")
    indicator_services.target_set(actor=None, unit=fed.gl, indicator=admitted, period="2024", value=4)
    indicator_services.target_set(actor=None, unit=fed.gl1, indicator=admitted, period="2024", value=2)
    new = Indicator.objects.get(code="TU_KY_MOI")
    indicator_services.target_set(actor=None, unit=fed.gl, indicator=new, period="2024", value=24)
    return ReportData(fed=fed)


AGREEMENT_SENTENCE = (
    "Năm 2024, toàn huyện ký kết mới 29/24 bản thỏa ước lao động tập thể, đạt 120,83% chỉ tiêu; "
    "nâng tổng số lên 131/137 CĐCS có thỏa ước (95,62%), trong đó 98/131 bản xếp loại A, B (74,8%)."
)
MEMBERSHIP_SENTENCE = (
    "Năm 2024, toàn huyện phát triển 5/4 đoàn viên (đạt 125%), chưa thành lập mới CĐCS; "
    "đến ngày 31/12/2024, toàn huyện có 6 đoàn viên, sinh hoạt tại 2 CĐCS."
)
