"""A loan book on the shared federation (``congdoan/conftest.py``): the city fund of Hà Nội with 2 bn
đồng of capital, a monthly declining-balance product, and members of GL1 and DD1 (under Kim Liên) and GL2
(never under Kim Liên), all built through the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from congdoan.conftest import Federation
from congdoan.loans import services
from congdoan.loans.models import Fund, Product
from congdoan.members import services as member_services
from congdoan.members.models import Person

d = dt.date


@dataclass
class Book:
    fed: Federation
    fund: Fund
    product: Product
    gl1: list[Person]
    dd1: list[Person]
    gl2: list[Person]


JAN_5 = d(2026, 1, 5)
GIVEN = ["An", "Bình", "Cúc", "Dung", "Hà", "Khánh", "Lan", "Minh"]


def cccd_of(serial: int, female: bool) -> str:
    """A well-formed CCCD of someone born in 1990 (province 001, century-and-gender digit, year 90)."""
    return f"001{1 if female else 0}90{serial:06d}"


def admit(cdcs, n: int, prefix: str, start: int) -> list[Person]:  # type: ignore[no-untyped-def]
    people = []
    for k in range(n):
        female = bool(k % 2)
        m = member_services.member_admit(
            actor=None,
            cdcs=cdcs,
            join_date=d(2025, 9, 1),
            full_name=f"{prefix} {GIVEN[k]}",
            gender="F" if female else "M",
            cccd=cccd_of(start + k, female),
            birth_date=d(1990, 1, 1),
        )
        people.append(m.person)
    return people


@pytest.fixture
def book(fed: Federation) -> Book:
    fund = services.fund_create(
        actor=None, owner=fed.hn, code="QTV-HN", name="Quỹ trợ vốn CNVCLĐ nghèo Thủ đô"
    )
    services.capital_receive(actor=None, fund=fund, amount=2_000_000_000, on=d(2025, 10, 1))
    product = services.product_create(
        actor=None,
        fund=fund,
        code="SX-24",
        name="Vay phát triển kinh tế",
        min_amount=5_000_000,
        max_amount=50_000_000,
        rate=Decimal("6.6"),
        rate_period="year",
        min_term=3,
        max_term=24,
        frequency="monthly",
        method="declining",
        grace=0,
        late_fee=20_000,
        late_after_days=10,
        one_active_loan=True,
    )
    return Book(
        fed=fed,
        fund=fund,
        product=product,
        gl1=admit(fed.gl1, 5, "Nguyễn Vay", 1),
        dd1=admit(fed.dd1, 2, "Trần Đống", 101),
        gl2=admit(fed.gl2, 1, "Lê Ngoài", 201),
    )


def disbursed_project(
    book: Book, *, code: str = "DA-1", amounts=(20_000_000,) * 5, term: int = 12, on: dt.date = JAN_5
):  # type: ignore[no-untyped-def]
    """A project of GL1's borrowers, appraised, approved and disbursed on ``on``."""
    fed = book.fed
    project = services.project_create(
        actor=fed.kimlien,
        cdcs=fed.gl1,
        product=book.product,
        code=code,
        name=f"Dự án {code}",
        submitted_on=on - dt.timedelta(days=4),
        borrowers=[
            services.Application(p, a, term, "chăn nuôi") for p, a in zip(book.gl1, amounts, strict=False)
        ],
    )
    services.project_appraise(actor=fed.kimlien, project=project, on=on - dt.timedelta(days=3))
    services.project_approve(actor=fed.thanhpho, project=project, on=on - dt.timedelta(days=1))
    services.project_disburse(actor=fed.thanhpho, project=project, on=on)
    return project
