"""Employers of the test federation, and a helper recording agreements through the service."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from fpdf import FPDF

from congdoan.bargaining import services
from congdoan.bargaining.models import CollectiveAgreement
from congdoan.conftest import Federation
from congdoan.org import services as org_services
from congdoan.org.models import Employer

d = dt.date


def signed_pdf(text: str = "Thoa uoc lao dong tap the") -> bytes:
    """A real one-page PDF, as a scanner or "print to PDF" makes it."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text=text)
    return bytes(pdf.output())


@dataclass
class Employers:
    fed: Federation
    may1: Employer  # represented by GL1 (garment company)
    may2: Employer  # represented by GL1 as well
    may3: Employer  # represented by GL1 as well
    school: Employer  # represented by GL2
    other: Employer  # no CĐCS


def employer(name: str, unit: Any, cdcs: Any, sector: str = "DN_NGOAI_NHA_NUOC") -> Employer:
    return org_services.employer_create(
        actor=None, name=name, sector=sector, unit=unit, cdcs=cdcs, workforce=200, tax_code=None
    )


@pytest.fixture
def emp(fed: Federation) -> Employers:
    return Employers(
        fed=fed,
        may1=employer("Công ty May Gia Lâm", fed.kl, fed.gl1),
        may2=employer("Công ty May Gia Lâm 2", fed.kl, fed.gl1),
        may3=employer("Công ty Dệt Gia Lâm", fed.kl, fed.gl1),
        school=employer("Trường THCS Đặng Xá", fed.hn, fed.gl2, sector="HCSN"),
        other=employer("Công ty TNHH Chưa Có Công Đoàn", fed.kl, None),
    )


def agree(
    cdcs: Any, employers: list[Employer], signed: dt.date, years: int = 2, **kw: Any
) -> CollectiveAgreement:
    """An agreement valid from ``signed`` for ``years`` years (last day the day before the anniversary)."""
    expires = services.add_years(signed, years) - dt.timedelta(days=1)
    fields: dict[str, Any] = {
        "actor": None,
        "cdcs": cdcs,
        "employers": employers,
        "kind": "new",
        "signed_on": signed,
        "expires_on": expires,
        "approval_share": Decimal("0.8"),
    }
    fields.update(kw)
    return services.agreement_create(**fields)
