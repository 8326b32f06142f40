"""Report data on the shared federation, every record written through the real services: members
admitted, CĐCS and employers created, collective agreements signed, re-signed and graded, workers' and
civil servants' conferences and dialogues held, targets handed down. No provider is replaced.

Gia Lâm (GL) in 2024 — the issue's example scaled down:

- members: 3 admitted at GL1, 2 at GL2 (one more at GL2 in 2023), target 4 at GL (2 at GL1);
- CĐCS: GL1, GL2 and seven more enterprise CĐCS (GL3…GL9; GL9 founded 01/02/2024), all passed to HN
  on 30/06/2025 like the others when GL ended;
- agreements: 5 signed new in 2024 (target 4 → 125%), GL6's from 2022 still holds, GL7 re-signed its
  2021 agreement in 2024 (not "new"), GL8's lapsed in 2023 (and it signs again in 2025): 7/8 enterprise
  CĐCS hold one on 31/12/2024 (87,5%), 4 of those 7 graded A or B (57,1%);
- conferences: 6/8 enterprises held their Hội nghị người lao động (75%), GL2 its Hội nghị CB,CC,VC
  (1/1), 3 workplace dialogues; GL8 held one in 2023 only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from congdoan.bargaining import services as agreement_services
from congdoan.bargaining.models import AgreementKind, CollectiveAgreement
from congdoan.conferences import services as conference_services
from congdoan.conferences.models import ConferenceKind
from congdoan.conftest import Federation
from congdoan.indicators import services as indicator_services
from congdoan.indicators.models import Indicator
from congdoan.members import services as member_services
from congdoan.org import services as org_services
from congdoan.org.models import Employer, OrgUnit

d = dt.date
SHARE = Decimal("0.82")


@pytest.fixture(autouse=True)
def _only_the_reports_sections():  # type: ignore[no-untyped-def]
    """The reports tests check the report's own chapters (``reports.sections``) to the letter; the
    sections other apps register (``loans`` …) are tested by those apps. Set aside while a test runs."""
    from congdoan.core import registry
    from congdoan.reports.sections import SECTIONS

    own = {s.key for s in SECTIONS}
    others = [s for s in registry.report_sections() if s.key not in own]
    for section in others:
        registry.unregister_report_section(section.key)
    yield
    for section in others:
        registry.register_report_section(section)


# code, name, founded on
EXTRA_CDCS: list[tuple[str, str, dt.date]] = [
    ("GL3", "CĐCS Công ty TNHH Gốm sứ Bát Tràng", d(2011, 4, 1)),
    ("GL4", "CĐCS Công ty CP Dệt Yên Viên", d(2013, 5, 1)),
    ("GL5", "CĐCS Công ty TNHH Cơ khí Phú Thị", d(2015, 6, 1)),
    ("GL6", "CĐCS Công ty CP Thực phẩm Kiêu Kỵ", d(2016, 7, 1)),
    ("GL7", "CĐCS Công ty TNHH Điện tử Ninh Hiệp", d(2017, 8, 1)),
    ("GL8", "CĐCS Công ty CP Vận tải Đông Dư", d(2018, 9, 1)),
    ("GL9", "CĐCS Công ty TNHH Bao bì Cổ Bi", d(2024, 2, 1)),
]


@dataclass
class ReportData:
    fed: Federation
    units: dict[str, OrgUnit] = field(default_factory=dict)
    employers: dict[str, Employer] = field(default_factory=dict)
    agreements: dict[str, CollectiveAgreement] = field(default_factory=dict)


def _admit(cdcs: OrgUnit, day: dt.date, name: str, gender: str = "M") -> None:
    member_services.member_admit(
        actor=None, cdcs=cdcs, join_date=day, full_name=name, birth_date=d(1990, 5, 1), gender=gender
    )


def _years(day: dt.date, years: int) -> dt.date:
    """The last day of an agreement of ``years`` years starting on ``day``."""
    return day.replace(year=day.year + years) - dt.timedelta(days=1)


def _sign(data: ReportData, code: str, signed: dt.date, grade: str, years: int = 3) -> CollectiveAgreement:
    agreement = agreement_services.agreement_create(
        actor=None,
        cdcs=data.units[code],
        employers=[data.employers[code]],
        kind=AgreementKind.NEW,
        signed_on=signed,
        expires_on=_years(signed, years),
        approval_share=SHARE,
        grade=grade,
        number=f"{signed.month:02d}/{signed.year}/TƯLĐTT",
    )
    data.agreements[code] = agreement
    return agreement


def _conference(
    data: ReportData, code: str, kind: str, day: dt.date, sides: tuple[int, int] = (3, 40)
) -> None:
    unit = data.units[code]
    conference_services.conference_create(
        actor=None,
        unit=unit,
        kind=kind,
        held_on=day,
        employer=data.employers.get(code) if kind != ConferenceKind.CIVIL else None,
        employer_side=sides[0],
        employee_side=sides[1],
    )


def build_report_data(fed: Federation) -> ReportData:
    data = ReportData(fed=fed, units={"GL1": fed.gl1, "GL2": fed.gl2})
    # Seven more enterprise CĐCS under GL; they pass to HN when GL ends, as GL1 and GL2 did.
    for code, name, founded in EXTRA_CDCS:
        unit = org_services.unit_create(
            actor=None,
            code=code,
            name=name,
            type="CDCS",
            parent=fed.gl,
            sector="DN_NGOAI_NHA_NUOC",
            valid_from=founded,
            founded_on=founded,
        )
        org_services.unit_move(actor=None, unit=unit, new_parent=fed.hn, on=d(2025, 6, 30))
        data.units[code] = unit
    for code in ["GL1", *(c for c, _, _ in EXTRA_CDCS)]:
        unit = data.units[code]
        data.employers[code] = org_services.employer_create(
            actor=None,
            name=unit.name.removeprefix("CĐCS "),
            sector="DN_NGOAI_NHA_NUOC",
            unit=fed.gl,
            cdcs=unit,
            workforce=120,
        )

    # Members (2024: 3 + 2 admitted; one more in 2023) and the targets handed down.
    for i, name in enumerate(["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]):
        _admit(fed.gl1, d(2024, 3, 1 + i), name)
    _admit(fed.gl2, d(2024, 9, 5), "Phạm Thị Dung", "F")
    _admit(fed.gl2, d(2024, 10, 5), "Hoàng Văn Em")
    _admit(fed.gl2, d(2023, 10, 5), "Đỗ Thị Giang", "F")
    admitted = Indicator.objects.get(code="DV_KET_NAP")
    indicator_services.target_set(actor=None, unit=fed.gl, indicator=admitted, period="2024", value=4)
    indicator_services.target_set(actor=None, unit=fed.gl1, indicator=admitted, period="2024", value=2)
    new = Indicator.objects.get(code="TU_KY_MOI")
    indicator_services.target_set(actor=None, unit=fed.gl, indicator=new, period="2024", value=4)

    # Agreements: five new in 2024 (A, B, B, C, D) …
    _sign(data, "GL1", d(2024, 3, 15), "A")
    _sign(data, "GL3", d(2024, 4, 10), "B")
    _sign(data, "GL4", d(2024, 5, 20), "B")
    _sign(data, "GL5", d(2024, 6, 3), "C", years=2)
    _sign(data, "GL9", d(2024, 8, 1), "D")
    # … one from 2022 still holding (A) …
    _sign(data, "GL6", d(2022, 7, 1), "A")
    # … one re-signed in 2024 (re-signed, not new; graded C) …
    old = _sign(data, "GL7", d(2021, 9, 1), "B")
    resigned = agreement_services.agreement_renew(
        actor=None,
        agreement=old,
        kind=AgreementKind.RESIGNED,
        signed_on=d(2024, 8, 20),
        effective_on=d(2024, 9, 1),
        expires_on=_years(d(2024, 9, 1), 2),
        approval_share=SHARE,
    )
    data.agreements["GL7"] = agreement_services.agreement_update(actor=None, agreement=resigned, grade="C")
    # … and one that lapsed on 30/04/2023, signed again only in 2025.
    _sign(data, "GL8", d(2020, 5, 1), "B")
    _sign(data, "GL8", d(2025, 3, 1), "A")

    # Conferences of 2024 (and one of 2023 that must not count).
    for i, code in enumerate(["GL1", "GL3", "GL4", "GL5", "GL6", "GL7"]):
        _conference(data, code, ConferenceKind.WORKERS, d(2024, 2, 5 + i))
    _conference(data, "GL2", ConferenceKind.CIVIL, d(2024, 1, 20))
    _conference(data, "GL1", ConferenceKind.DIALOGUE_PERIODIC, d(2024, 6, 10), (3, 5))
    _conference(data, "GL3", ConferenceKind.DIALOGUE_REQUEST, d(2024, 10, 2), (4, 6))
    _conference(data, "GL1", ConferenceKind.DIALOGUE_EVENT, d(2024, 11, 20), (3, 3))
    _conference(data, "GL8", ConferenceKind.WORKERS, d(2023, 3, 1))
    for unit in data.units.values():
        unit.refresh_from_db()
    return data


@pytest.fixture
def data(fed: Federation) -> ReportData:
    return build_report_data(fed)


MEMBERSHIP_SENTENCE = (
    "Năm 2024, toàn huyện phát triển mới 5 đoàn viên, đạt 125,00% chỉ tiêu, thành lập mới 1 CĐCS; "
    "đến ngày 31/12/2024, toàn huyện có 6 đoàn viên, sinh hoạt tại 9 CĐCS."
)
AGREEMENT_SENTENCE = (
    "Năm 2024, toàn huyện ký kết mới 5 bản thỏa ước lao động tập thể, đạt 125,00% chỉ tiêu; "
    "nâng tổng số lên 7/8 CĐCS có thỏa ước (87,50%), trong đó 4/7 bản xếp loại A, B (57,14%)."
)
CONFERENCE_SENTENCE = (
    "Năm 2024, toàn huyện có 6/8 doanh nghiệp đã tổ chức Hội nghị người lao động (75,00%); "
    "1/1 cơ quan, đơn vị đã tổ chức Hội nghị cán bộ, công chức, viên chức (100,00%); "
    "các CĐCS đã tổ chức 3 cuộc đối thoại tại nơi làm việc."
)
