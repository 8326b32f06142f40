"""Employers of the shared federation for inspections and disputes."""

from __future__ import annotations

import pytest

from congdoan.org import services as org_services


@pytest.fixture
def employers(fed):  # type: ignore[no-untyped-def]
    """May Gia Lâm (represented by GL1), a school (GL2) and the hospital (DD1)."""
    make = org_services.employer_create
    return {
        "fed": fed,
        "may": make(
            actor=None,
            name="Công ty TNHH May Gia Lâm",
            tax_code="0101234567",
            sector="DN_NGOAI_NHA_NUOC",
            unit=fed.gl,
            cdcs=fed.gl1,
        ),
        "school": make(
            actor=None,
            name="Trường THCS Đặng Xá",
            tax_code="0101234568",
            sector="HCSN",
            unit=fed.gl,
            cdcs=fed.gl2,
        ),
        "hospital": make(
            actor=None,
            name="Bệnh viện Đống Đa",
            tax_code="0101234569",
            sector="HCSN",
            unit=fed.dd,
            cdcs=fed.dd1,
        ),
    }
