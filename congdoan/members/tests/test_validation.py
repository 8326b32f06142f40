"""CCCD, phone, name and eligibility checks."""

from __future__ import annotations

import datetime as dt

import pytest

from congdoan.members import validation

d = dt.date


def test_cccd_structure_matches_gender_and_birth_year() -> None:
    # 001 Hà Nội, 3 = female born 2000–2099, 02 = 2002
    assert validation.check_cccd("001302012345", birth_date=d(2002, 5, 1), gender="F").value == "001302012345"
    assert validation.check_cccd("001 085 012 345", birth_date=d(1985, 1, 1), gender="M").legacy is False
    assert validation.check_cccd("012345678", birth_date=None, gender=None).legacy is True


@pytest.mark.parametrize(
    ("cccd", "birth", "gender", "message"),
    [
        ("00130201234", d(2002, 1, 1), "F", "12 chữ số"),
        ("003302012345", d(2002, 1, 1), "F", "Mã tỉnh «003»"),
        ("001902012345", d(2002, 1, 1), "F", "Số thứ 4"),
        ("001202012345", d(2002, 1, 1), "F", "giới tính Nam"),
        ("001301012345", d(2002, 1, 1), "F", "năm sinh 2001"),
        ("001185012345", d(2085, 1, 1), "F", "năm sinh 1985"),
    ],
)
def test_impossible_cccd_is_refused(cccd: str, birth: dt.date, gender: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        validation.check_cccd(cccd, birth_date=birth, gender=gender)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0912 345 678", "0912345678"),
        ("+84912345678", "0912345678"),
        ("84912345678", "0912345678"),
        ("912345678", "0912345678"),
        ("091.234.5678", "0912345678"),
        ("", ""),
    ],
)
def test_phone_normalised(raw: str, expected: str) -> None:
    assert validation.normalize_phone(raw) == expected


def test_bad_phone_and_names() -> None:
    with pytest.raises(ValueError, match="điện thoại"):
        validation.normalize_phone("12345")
    assert validation.normalize_name("  nguyễn   thị hương ") == "Nguyễn Thị Hương"
    with pytest.raises(ValueError):
        validation.normalize_name("Hương")
    with pytest.raises(ValueError):
        validation.normalize_name("=cmd|' /C calc'!A0")


def test_eligibility_rules() -> None:
    validation.check_eligibility(
        birth_date=d(1990, 1, 1), join_date=d(2020, 1, 1), nationality="VN", contract_months=None
    )
    with pytest.raises(ValueError, match="chưa đủ 15 tuổi"):
        validation.check_eligibility(
            birth_date=d(2010, 1, 1), join_date=d(2020, 1, 1), nationality="VN", contract_months=None
        )
    with pytest.raises(ValueError, match="01/07/2025"):
        validation.check_eligibility(
            birth_date=d(1990, 1, 1), join_date=d(2025, 6, 1), nationality="KR", contract_months=24
        )
    with pytest.raises(ValueError, match="12 tháng"):
        validation.check_eligibility(
            birth_date=d(1990, 1, 1), join_date=d(2025, 8, 1), nationality="KR", contract_months=6
        )
    validation.check_eligibility(
        birth_date=d(1990, 1, 1), join_date=d(2025, 8, 1), nationality="KR", contract_months=12
    )
