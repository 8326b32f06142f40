"""``congdoan import emulation-sheets`` and ``emulation-awards``: xlsx files written with openpyxl, the
good files (self-scoring and appraisal, proposals with their decision), every unhappy path reported
at once with row and column and nothing stored, the dry run, the CLI and the upload page's job, and
the sheet import's reads batched (as many queries for 40 sheets as for 2)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from congdoan.core.models import AuditEntry
from congdoan.emulation import award_import, services, sheet_import
from congdoan.emulation.models import AwardProposal, ProposalState, ScoreSheet, SheetState
from congdoan.imports import services as import_services
from congdoan.imports.models import ImportJob
from congdoan.members.models import Person

from .conftest import YEAR, Emu, unit

d = dt.date
pytestmark = pytest.mark.django_db
SHEET_HEADER = ["Mã đơn vị", "Năm", "Tiêu chí", "Điểm tự chấm", "Điểm thẩm định", "Minh chứng", "Nhận xét"]
# The entered criteria of the CĐCS template (2.1 is computed from the members admitted).
ENTERED = {
    "1.1": 10,
    "1.2": 10,
    "1.3": 10,
    "1.4": 10,
    "2.2": 10,
    "2.3": 10,
    "2.4": 10,
    "3.1": 8,
    "3.2": 7,
    "T.1": 5,
}
IN_TIME = d(YEAR, 12, 1)


def xlsx(tmp_path: Path, header: list[str], rows: list[list[Any]], name: str = "bang-diem.xlsx") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def sheet_rows(code: str, *, self_: bool = True, appraised: bool = True, year: int = YEAR) -> list[list[Any]]:
    return [
        [
            code,
            year,
            number,
            most if self_ else None,
            most - 1 if appraised else None,
            "Biên bản" if self_ else None,
            "Trừ 1 điểm" if appraised else None,
        ]
        for number, most in ENTERED.items()
    ]


def where(result: Any) -> set[tuple[int, str]]:
    return {(e.row, e.column) for e in result.errors}


def text(result: Any) -> str:
    return " ".join(str(e) for e in result.errors)


# -- score sheets ------------------------------------------------------------------------------------


def test_self_scoring_and_appraisal_by_the_parent_then_the_same_file_again(emu: Emu, tmp_path: Path) -> None:
    path = xlsx(tmp_path, SHEET_HEADER, sheet_rows("BV1"))
    result = sheet_import.import_sheets(actor=emu.bavi, path_or_file=path, today=IN_TIME)
    assert result.ok, text(result)
    assert (result.created, result.updated) == (1, 0)
    sheet = ScoreSheet.objects.get(unit=emu.bv1, year=YEAR)
    assert sheet.state == SheetState.APPRAISED and sheet.appraised_by == emu.bv
    # 90 points typed (the computed 2.1 gives 0 of its 10: no members admitted), 80 appraised
    assert sheet.self_total == Decimal("90.00") and sheet.appraised_total == Decimal("80.00")
    line = sheet.lines.get(criterion__number="1.1")
    assert (line.self_points, line.appraised_points) == (Decimal(10), Decimal(9))
    assert (line.evidence, line.comment) == ("Biên bản", "Trừ 1 điểm")
    assert AuditEntry.objects.filter(object_type="import.emulation-sheets").count() == 1
    steps = AuditEntry.objects.filter(object_type="emulation.scoresheet", object_id=str(sheet.pk)).count()
    assert steps == 3  # opened, self-scored, appraised: the services' own entries

    again = sheet_import.import_sheets(actor=emu.bavi, path_or_file=path, today=IN_TIME)
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_every_problem_at_once_with_row_and_column_and_nothing_stored(emu: Emu, tmp_path: Path) -> None:
    rows = [
        *sheet_rows("BV1", appraised=False),
        ["BV1", YEAR, "1.1", 12, None, None, None],  # row 12: a second 1.1 (and above its maximum)
        ["BV1", YEAR, "9.9", 5, None, None, None],  # row 13: no such criterion
        ["BV1", YEAR, "2.1", 5, None, None, None],  # row 14: computed
        ["XX9", YEAR, "1.1", 5, None, None, None],  # row 15: unknown unit
        ["PT1", YEAR, "1.1", 5, None, None, None],  # row 16: outside Ba Vì's subtree
        ["BV1", "năm ngoái", "1.1", 5, None, None, None],  # row 17: no year
        ["BV1", YEAR, "1", 5, None, None, None],  # row 18: a group, not a criterion
        ["BV1", YEAR, "3.2", None, None, None, None],  # row 19: 3.2 again, no points
    ]
    rows[0][3] = 10.5  # row 2: 1.1 over its 10 points
    rows[1][3] = "mười"  # row 3: not a number
    rows[2][3] = 3.333  # row 4: three decimals
    result = sheet_import.import_sheets(
        actor=emu.bavi, path_or_file=xlsx(tmp_path, SHEET_HEADER, rows), today=IN_TIME
    )
    assert not result.ok and result.created == 0
    assert where(result) == {
        (2, "Điểm tự chấm"),
        (3, "Điểm tự chấm"),
        (4, "Điểm tự chấm"),
        (12, "Tiêu chí"),
        (13, "Tiêu chí"),
        (14, "Tiêu chí"),
        (15, "Mã đơn vị"),
        (16, "Mã đơn vị"),
        (17, "Năm"),
        (18, "Tiêu chí"),
        (19, "Tiêu chí"),
    }
    found = text(result)
    assert "10,5 điểm vượt quá điểm tối đa 10" in found
    assert "«mười» không phải là số điểm" in found
    assert "tính tự động" in found and "«PT1»" in found and "«9.9»" in found
    assert not ScoreSheet.objects.exists()
    assert not AuditEntry.objects.filter(object_type="import.emulation-sheets").exists()


def test_missing_criteria_and_points_from_the_page_count(emu: Emu, tmp_path: Path) -> None:
    rows = sheet_rows("BV1", appraised=False)[:4]  # 1.1 … 1.4 only
    result = sheet_import.import_sheets(
        actor=emu.bavi, path_or_file=xlsx(tmp_path, SHEET_HEADER, rows), today=IN_TIME
    )
    assert where(result) == {(2, "Tiêu chí")}
    assert "thiếu điểm tự chấm của tiêu chí 2.2, 2.3, 2.4, 3.1, 3.2, T.1" in text(result)
    assert not ScoreSheet.objects.exists()


def test_a_locked_sheet_a_late_self_score_and_an_appraiser_that_is_not_the_parent(
    emu: Emu, tmp_path: Path
) -> None:
    # Ba Vì's own sheet: locked by the city.
    other = unit("BV2", "CĐCS Bệnh viện Ba Vì", "CDCS", emu.bv)
    locked = services.sheet_open(actor=None, unit=emu.bv, year=YEAR, deadline=d(YEAR, 12, 15))
    points = {
        line.criterion_id: line.criterion.max_points
        for line in locked.lines.select_related("criterion")
        if not line.criterion.computed
    }
    services.sheet_self_score(actor=None, sheet=locked, points=points, today=IN_TIME)
    services.sheet_appraise(actor=None, sheet=locked, by_unit=emu.fed.hn, points=points, today=IN_TIME)
    services.sheet_lock(actor=None, sheet=locked)
    rows = [
        ["BV", YEAR, "1.1", 10, None, None, None],  # row 2: the locked sheet
        *sheet_rows("BV1", appraised=False),  # rows 3-12: self-scored after the deadline
        *sheet_rows("BV2", self_=False),  # rows 13-22: appraised by the city, not by Ba Vì; not self-scored
    ]
    path = xlsx(tmp_path, SHEET_HEADER, rows)
    result = sheet_import.import_sheets(actor=emu.fed.thanhpho, path_or_file=path, today=d(YEAR, 12, 20))
    assert where(result) == {(2, "Năm"), (3, "Điểm tự chấm"), (13, "Điểm thẩm định")}
    found = text(result)
    assert "«Đã khóa»: không nhập được điểm" in found
    assert "Đã quá hạn tự chấm điểm (15/12/2025)" in found
    assert "chưa tự chấm" in found
    assert not ScoreSheet.objects.filter(unit__in=[emu.bv1, other]).exists()
    assert ScoreSheet.objects.get(unit=emu.bv).state == SheetState.LOCKED


def test_dry_run_counts_and_stores_nothing(emu: Emu, tmp_path: Path) -> None:
    path = xlsx(tmp_path, SHEET_HEADER, sheet_rows("BV1"))
    result = sheet_import.import_sheets(actor=emu.bavi, path_or_file=path, dry_run=True, today=IN_TIME)
    assert result.ok and result.dry_run and result.created == 1
    assert not ScoreSheet.objects.exists()


def test_the_checks_read_in_batches_not_per_row(emu: Emu, tmp_path: Path) -> None:
    """A file whose last row is wrong is only checked: 40 sheets cost the queries of 2."""
    units = [unit(f"BVX{i}", f"CĐCS số {i} Ba Vì", "CDCS", emu.bv) for i in range(40)]

    def queries(n: int) -> int:
        rows = [r for u in units[:n] for r in sheet_rows(u.code)] + [
            ["BV1", YEAR, "1.1", 99, None, None, None]
        ]
        path = xlsx(tmp_path, SHEET_HEADER, rows, name=f"{n}.xlsx")
        with CaptureQueriesContext(connection) as captured:
            result = sheet_import.import_sheets(actor=emu.bavi, path_or_file=path, today=IN_TIME)
        assert [e.row for e in result.errors] == [len(rows) + 1]
        return len(captured.captured_queries)

    queries(1)  # the importer's roles, read once per user
    assert queries(40) == queries(2) <= 8


def test_cli_and_the_upload_page_job(emu: Emu, tmp_path: Path) -> None:
    # The upper union gave BV1 until 2099 to score itself (the CLI and the jobs run on today's date).
    services.sheet_open(actor=None, unit=emu.bv1, year=YEAR, deadline=d(2099, 12, 31))
    path = xlsx(tmp_path, SHEET_HEADER, sheet_rows("BV1", appraised=False))
    out = io.StringIO()
    call_command("import", "emulation-sheets", str(path), "--dry-run", stdout=out, stderr=io.StringIO())
    assert ScoreSheet.objects.get(unit=emu.bv1).state == SheetState.DRAFT
    call_command("import", "emulation-sheets", str(path), "--user", "bv1", stdout=out, stderr=io.StringIO())
    assert ScoreSheet.objects.get(unit=emu.bv1).state == SheetState.SELF_SCORED

    appraisal = xlsx(tmp_path, SHEET_HEADER, sheet_rows("BV1", self_=False), name="tham-dinh.xlsx")
    upload = SimpleUploadedFile("tham-dinh.xlsx", appraisal.read_bytes())
    job = import_services.job_create(actor=emu.bavi, kind="emulation-sheets", upload=upload)
    job = import_services.job_validate(job=job)
    assert job.status == ImportJob.Status.VALIDATED, job.errors
    job = import_services.job_commit(actor=emu.bavi, job=job)
    assert job.status == ImportJob.Status.DONE and job.updated_count == 1
    sheet = ScoreSheet.objects.get(unit=emu.bv1)
    assert sheet.state == SheetState.APPRAISED and sheet.appraised_total == Decimal("80.00")

    # The CĐCS itself may not appraise: its own parent does.
    appraisal = xlsx(
        tmp_path, SHEET_HEADER, [[*r[:4], r[4] - 1, *r[5:]] for r in sheet_rows("BV1", self_=False)]
    )
    again = import_services.job_validate(
        job=import_services.job_create(
            actor=emu.bv1_user,
            kind="emulation-sheets",
            upload=SimpleUploadedFile("x.xlsx", appraisal.read_bytes()),
        )
    )
    assert again.status == ImportJob.Status.INVALID
    assert "Chỉ «LĐLĐ huyện Ba Vì»" in again.errors[0]["message"]


# -- awards ------------------------------------------------------------------------------------------

AWARD_HEADER = [
    "Mã đơn vị",
    "Hình thức",
    "Cấp khen",
    "Năm",
    "Số CCCD",
    "Thành tích",
    "Số ngày nghỉ",
    "Số tháng công tác",
    "Bị kỷ luật",
    "Đơn vị quyết định",
    "Số quyết định",
    "Ngày quyết định",
]


def person(n: int, name: str) -> Person:
    return Person.objects.create(full_name=name, gender="M", cccd=f"0010900{n:05d}")


def test_awards_proposals_and_a_decision(emu: Emu, tmp_path: Path) -> None:
    giỏi = person(1, "Nguyễn Văn Giỏi")
    services.registration_create(actor=None, unit=emu.bv1, year=YEAR, title="Tập thể lao động xuất sắc")
    services.registration_create(actor=None, unit=emu.bv1, year=YEAR, title="Lao động giỏi", person=giỏi)
    rows = [
        [
            "BV1",
            "Giấy khen",
            "upper",
            YEAR,
            None,
            "Dẫn đầu khối",
            None,
            None,
            None,
            "BV",
            "12/QĐ-LĐLĐ",
            "20/01/2026",
        ],
        [
            "BV1",
            "lao_dong_gioi",
            "Công đoàn cơ sở",
            YEAR,
            giỏi.cccd,
            None,
            3,
            12,
            "Không",
            "BV",
            "12/QĐ-LĐLĐ",
            d(2026, 1, 20),
        ],
        ["BV1", "Bằng khen", "LĐLĐ tỉnh, thành phố", YEAR, None, None, None, None, None, None, None, None],
    ]
    result = award_import.import_awards(actor=emu.bavi, path_or_file=xlsx(tmp_path, AWARD_HEADER, rows))
    assert result.ok, text(result)
    assert result.created == 3
    awarded = AwardProposal.objects.filter(state=ProposalState.AWARDED)
    assert awarded.count() == 2 and {p.decision.number for p in awarded} == {"12/QĐ-LĐLĐ"}
    assert awarded.get(person=giỏi).form == "lao_dong_gioi"
    assert AwardProposal.objects.get(form="bang_khen").state == ProposalState.PROPOSED
    assert AuditEntry.objects.filter(object_type="import.emulation-awards").count() == 1

    # The same file again: already proposed, the decision number already used.
    again = award_import.import_awards(actor=emu.bavi, path_or_file=xlsx(tmp_path, AWARD_HEADER, rows))
    assert (2, "Số quyết định") in where(again) and (4, "Hình thức") in where(again)
    assert AwardProposal.objects.count() == 3


def test_awards_excluded_people_and_bad_rows_all_at_once(emu: Emu, tmp_path: Path) -> None:
    vắng = person(2, "Trần Thị Vắng")
    mới = person(3, "Lê Văn Mới")
    services.registration_create(actor=None, unit=emu.bv1, year=YEAR, title="Lao động giỏi", person=vắng)
    services.registration_create(actor=None, unit=emu.bv1, year=YEAR, title="Lao động giỏi", person=mới)
    rows = [
        ["BV1", "Lao động giỏi", "cdcs", YEAR, vắng.cccd, None, 45, 12, None, None, None, None],  # absent
        [
            "BV1",
            "Lao động giỏi",
            "cdcs",
            YEAR,
            mới.cccd,
            None,
            0,
            6,
            "Có",
            None,
            None,
            None,
        ],  # new, disciplined
        ["BV1", "Giấy khen", "upper", YEAR, None, None, None, None, None, None, None, None],  # not registered
        ["BV1", "Huân chương", "tỉnh", YEAR, None, None, None, None, None, None, None, None],  # form, level
        [
            "BV1",
            "Giấy khen",
            "upper",
            YEAR,
            "001090099999",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
        ],  # nobody
        ["PT1", "Giấy khen", "upper", YEAR, None, None, None, None, None, None, None, None],  # out of scope
        ["BV1", "Giấy khen", "upper", YEAR, vắng.cccd, None, 0, 12, "hmm", "PT", "1/QĐ", "01/02/2026"],
    ]
    result = award_import.import_awards(actor=emu.bavi, path_or_file=xlsx(tmp_path, AWARD_HEADER, rows))
    assert not result.ok and result.created == 0
    assert where(result) == {
        (2, "Số CCCD"),
        (3, "Số CCCD"),
        (4, "Mã đơn vị"),
        (5, "Hình thức"),
        (5, "Cấp khen"),
        (6, "Số CCCD"),
        (7, "Mã đơn vị"),
        (8, "Bị kỷ luật"),
        (8, "Đơn vị quyết định"),
    }
    found = text(result)
    assert "Trần Thị Vắng nghỉ 45 ngày làm việc trong năm" in found
    assert "Lê Văn Mới mới công tác 6 tháng (cần ít nhất 10 tháng)" in found
    assert "Lê Văn Mới bị kỷ luật trong năm 2025" in found
    assert "CĐCS Trường THPT Ba Vì không đăng ký thi đua năm 2025" in found
    assert "«Huân chương» không hợp lệ" in found
    assert not AwardProposal.objects.exists()


def test_awards_through_the_cli(emu: Emu, tmp_path: Path) -> None:
    services.registration_create(actor=None, unit=emu.bv1, year=YEAR, title="Tập thể lao động xuất sắc")
    rows = [["BV1", "Giấy khen", "upper", YEAR, None, None, None, None, None, None, None, None]]
    path = xlsx(tmp_path, AWARD_HEADER, rows, name="khen.xlsx")
    call_command(
        "import", "emulation-awards", str(path), "--user", "bavi", stdout=io.StringIO(), stderr=io.StringIO()
    )
    assert AwardProposal.objects.get().unit == emu.bv1


def test_the_computed_criterion_of_an_imported_sheet_is_the_indicators_figure(
    emu: Emu, tmp_path: Path
) -> None:
    """The import reads the figures in one roll-up per upper union: the same as the engine's for the unit."""
    from congdoan.core.periods import parse_period
    from congdoan.indicators import services as indicator_services
    from congdoan.indicators.engine import value_of
    from congdoan.indicators.models import Indicator
    from congdoan.members import services as member_services

    for n, name in enumerate(["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]):
        member_services.member_admit(
            actor=None,
            cdcs=emu.bv1,
            join_date=d(YEAR, 3, 1) + dt.timedelta(days=n),
            full_name=name,
            birth_date=d(1990, 1, 1),
            gender="Nữ",
            cccd="",
            card_number=None,
        )
    indicator = Indicator.objects.get(code="DV_KET_NAP")
    indicator_services.target_set(actor=None, unit=emu.bv1, indicator=indicator, period=str(YEAR), value=4)
    path = xlsx(tmp_path, SHEET_HEADER, sheet_rows("BV1"))
    result = sheet_import.import_sheets(actor=emu.bavi, path_or_file=path, today=IN_TIME)
    assert result.ok, text(result)
    sheet = ScoreSheet.objects.get(unit=emu.bv1)
    line = sheet.lines.get(criterion__indicator_code="DV_KET_NAP")
    figure = value_of(indicator=indicator, period=parse_period(str(YEAR)), unit=emu.bv1)
    assert figure.achievement is not None
    assert line.figure == (figure.achievement * 100).quantize(Decimal("0.0001")) == Decimal("75.0000")
    assert line.self_points == line.appraised_points == Decimal("5.00")  # half way from 50% to 100%
    assert sheet.self_total == Decimal("95.00") and sheet.appraised_total == Decimal("85.00")
