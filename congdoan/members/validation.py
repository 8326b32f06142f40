"""Checks that know Vietnam: CCCD structure, phone numbers, names, membership eligibility.

CCCD (12 digits, Circular 07/2016/TT-BCA): 3 digits = province of birth registration, 1 digit =
century and gender (0/1 male/female born 1900–1999, 2/3 2000–2099, 4/5 2100–2199), 2 digits = last
two digits of the birth year, 6 digits = serial. An old 9-digit CMND is accepted and flagged.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from congdoan.core.formatting import format_date
from congdoan.core.text import title_case_name

from .models import Gender

PROVINCE_CODES_FILE = Path(__file__).parent / "data" / "cccd_province_codes.csv"
# From this day the Trade Union Law 2024 lets foreign workers with contracts of 12+ months join.
FOREIGN_MEMBERS_FROM = dt.date(2025, 7, 1)
FOREIGN_MIN_CONTRACT_MONTHS = 12


@cache
def province_codes() -> dict[str, str]:
    with PROVINCE_CODES_FILE.open(encoding="utf-8") as f:
        return {row["code"]: row["province"] for row in csv.DictReader(f)}


@dataclass(frozen=True)
class IdCheck:
    value: str
    legacy: bool  # a 9-digit CMND


def check_cccd(raw: str, *, birth_date: dt.date | None, gender: str | None) -> IdCheck:
    """Normalise and check a CCCD (or old CMND); raises ValueError with a Vietnamese message."""
    value = re.sub(r"[\s.\-]", "", raw or "")
    if re.fullmatch(r"\d{9}", value):
        return IdCheck(value, legacy=True)
    if not re.fullmatch(r"\d{12}", value):
        raise ValueError("Số CCCD phải gồm 12 chữ số (hoặc 9 chữ số nếu là CMND cũ).")
    if value[:3] not in province_codes():
        raise ValueError(f"Mã tỉnh «{value[:3]}» ở 3 số đầu của CCCD không tồn tại.")
    digit = int(value[3])
    if digit > 5:
        raise ValueError(f"Số thứ 4 của CCCD ({digit}) không hợp lệ: chỉ từ 0 đến 5.")
    century = 1900 + 100 * (digit // 2)
    cccd_gender = Gender.FEMALE if digit % 2 else Gender.MALE
    if gender and gender != cccd_gender:
        raise ValueError(f"CCCD cho biết giới tính {Gender(cccd_gender).label}, khác với giới tính đã khai.")
    year = century + int(value[4:6])
    if birth_date and birth_date.year != year:
        raise ValueError(f"CCCD cho biết năm sinh {year}, khác với ngày sinh đã khai ({birth_date.year}).")
    return IdCheck(value, legacy=False)


def normalize_phone(raw: str) -> str:
    """One form for Vietnamese numbers: ``0`` + 9 digits (``+84 912 345 678`` → ``0912345678``)."""
    digits = re.sub(r"[\s.\-()]", "", raw or "")
    if not digits:
        return ""
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    elif len(digits) == 9 and digits[0] in "35789":
        digits = "0" + digits  # Excel dropped the leading zero
    # Mobiles have 10 digits; landlines 11 (02 + area code + number, e.g. 024 3856 1234).
    if not (re.fullmatch(r"0[1-9]\d{8}", digits) or re.fullmatch(r"02\d{9}", digits)):
        raise ValueError("Số điện thoại không hợp lệ: cần 10 chữ số (di động) hoặc 11 chữ số (cố định 02…).")
    return digits


def normalize_name(raw: str) -> str:
    name = title_case_name(raw or "")
    if not name:
        raise ValueError("Chưa có họ và tên.")
    if len(name.split()) < 2:
        raise ValueError("Họ và tên phải có ít nhất họ và tên.")
    if re.search(r"[0-9@#$%^&*=+<>{}\[\]|\\/]", name):
        raise ValueError("Họ và tên chứa ký tự không hợp lệ.")
    return name


def check_birth_date(day: dt.date | None, today: dt.date | None = None) -> None:
    """A birth date in the future, or before 1900, is refused with a message saying which."""
    if day is None:
        return
    if day > (today or timezone.localdate()):
        raise ValueError(f"Ngày sinh {format_date(day)} ở tương lai.")
    if day.year < 1900:
        raise ValueError(f"Ngày sinh {format_date(day)} không hợp lệ: trước năm 1900.")


def check_union_join_date(day: dt.date | None, today: dt.date | None = None) -> None:
    if day is not None and day > (today or timezone.localdate()):
        raise ValueError(f"Ngày vào công đoàn {format_date(day)} ở tương lai.")


def parse_gender(raw: str) -> str:
    value = (raw or "").strip().lower()
    if value in ("nam", "m", "male", "1"):
        return Gender.MALE
    if value in ("nữ", "nu", "f", "female", "0", "nư"):
        return Gender.FEMALE
    raise ValueError("Giới tính phải là «Nam» hoặc «Nữ».")


def check_eligibility(
    *, birth_date: dt.date | None, join_date: dt.date, nationality: str, contract_months: int | None
) -> None:
    """Rules from domain.md §2; the minimum working age is a setting (default 15)."""
    min_age = getattr(settings, "MEMBERS_MIN_AGE", 15)
    if birth_date is not None:
        if birth_date >= join_date:
            raise ValueError("Ngày vào công đoàn phải sau ngày sinh.")
        age = (
            join_date.year
            - birth_date.year
            - ((join_date.month, join_date.day) < (birth_date.month, birth_date.day))
        )
        if age < min_age:
            raise ValueError(f"Người lao động chưa đủ {min_age} tuổi vào ngày vào công đoàn.")
    if nationality.upper() != "VN":
        if join_date < FOREIGN_MEMBERS_FROM:
            raise ValueError("Người nước ngoài chỉ được gia nhập công đoàn từ ngày 01/07/2025.")
        if (contract_months or 0) < FOREIGN_MIN_CONTRACT_MONTHS:
            raise ValueError("Người lao động nước ngoài cần hợp đồng lao động từ 12 tháng trở lên.")
