"""Import jobs: upload → validate (dry run) → commit (a background task, inline in tests) → done."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from congdoan.conftest import Federation
from congdoan.core.models import AuditEntry
from congdoan.imports import services
from congdoan.imports.models import PHASE_CHECK, PHASE_WRITE, ImportJob
from congdoan.members.models import Membership, Person
from congdoan.org.models import OrgUnit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEMBER_HEADER = [
    "Mã CĐCS",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Số CCCD",
    "Ngày vào công đoàn",
    "Số thẻ đoàn viên",
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Ngô", "Dương"]
MIDDLE = {"Nam": ["Văn", "Đức", "Quang", "Minh"], "Nữ": ["Thị", "Thu", "Ngọc", "Thanh"]}
GIVEN = {"Nam": ["Nam", "Hùng", "Dũng", "Tuấn", "Long", "Sơn"], "Nữ": ["Lan", "Mai", "Hạnh", "Thảo", "Yến"]}
# Row 2 of every generated file (the first member): a name found later by typing it without accents.
FIRST_NAME = "Đỗ Thị Hường"

# (row index, column, bad value): 12 deliberate errors, one per row, each reported once.
DELIBERATE_ERRORS: list[tuple[int, str, str]] = [
    (10, "Ngày sinh", "31/02/1990"),  # no such day
    (20, "Ngày sinh", "ngày xưa"),  # not a date
    (30, "Ngày vào công đoàn", "2021-13-01"),  # no 13th month
    (40, "Số CCCD", "12345"),  # too short
    (50, "Số CCCD", "0011950123456"),  # 13 digits
    (60, "Số CCCD", "999195012345"),  # no province 999
    (70, "Số CCCD", "CCCD"),  # gender digit contradicts → replaced below by a real contradiction
    (80, "Số CCCD", "YEAR"),  # birth year contradicts
    (90, "Số thẻ đoàn viên", "DUP"),  # the card number of row 0
    (100, "Mã CĐCS", "XX99"),  # unknown CĐCS
    (110, "Mã CĐCS", "ZZ01"),  # unknown CĐCS
    (120, "Số CCCD", "DUPCCCD"),  # the CCCD of row 0 (same gender and birth year, another person)
]


def member_rows(n: int, *, errors: bool = False) -> list[list[Any]]:
    """``n`` valid members of GL1 and DD1 (Kim Liên's CĐCS); with ``errors``, 12 of them broken."""
    rows: list[list[Any]] = []
    for i in range(n):
        gender = "Nữ" if i % 2 == 0 else "Nam"
        year = 1970 + i % 30
        birth = dt.date(year, 1 + i % 12, 1 + i % 28)
        digit = 1 if gender == "Nữ" else 0
        cccd = f"001{digit}{year % 100:02d}{i:06d}"
        name = f"{FAMILY[i % 10]} {MIDDLE[gender][i % 4]} {GIVEN[gender][i % 5]}"
        if i == 0:
            name = FIRST_NAME
        join = dt.date(2015 + i % 9, 1 + i % 12, 1)
        cdcs = "GL1" if i % 3 else "DD1"
        rows.append([cdcs, name, birth.strftime("%d/%m/%Y"), gender, cccd, join, f"HN-{i:06d}"])
    if errors:
        col = {name: MEMBER_HEADER.index(name) for name in MEMBER_HEADER}
        for index, column, value in DELIBERATE_ERRORS:
            row = rows[index]
            if value == "CCCD":
                value = str(row[col["Số CCCD"]])
                value = value[:3] + str(1 - int(value[3])) + value[4:]  # the other gender
            elif value == "YEAR":
                value = str(row[col["Số CCCD"]])
                value = value[:4] + f"{(int(value[4:6]) + 1) % 100:02d}" + value[6:]
            elif value == "DUP":
                value = rows[0][col["Số thẻ đoàn viên"]]
            elif value == "DUPCCCD":
                value = rows[0][col["Số CCCD"]]
            row[col[column]] = value
    return rows


def xlsx_bytes(rows: list[list[Any]], header: list[str] = MEMBER_HEADER, extra_sheet: bool = False) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Danh sách"
    if extra_sheet:
        notes = book.create_sheet("Hướng dẫn", 0)
        notes.append(["Điền danh sách ở trang tính «Danh sách»."])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def members_upload(n: int = 30, *, errors: bool = False, name: str = "doan_vien.xlsx", **kw: Any) -> Any:
    return SimpleUploadedFile(name, xlsx_bytes(member_rows(n, errors=errors), **kw), content_type=XLSX)


UNITS_CSV = (
    "code,name,type,parent_code,valid_from\n"
    "KL9,CĐCS Công ty Điện Kim Liên,CDCS,KL,01/09/2025\n"
    "KL8,CĐCS Trường Tiểu học Kim Liên,CDCS,KL,01/09/2025\n"
)


def units_upload(text: str = UNITS_CSV, name: str = "don_vi.csv") -> Any:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


# -- the whole path ---------------------------------------------------------------------------------


def test_members_upload_validate_commit_done(fed: Federation) -> None:
    job = services.job_create(actor=fed.kimlien, kind="members", upload=members_upload(30), sheet="")
    assert job.status == ImportJob.Status.UPLOADED and job.original_name == "doan_vien.xlsx"
    assert job.file.name.startswith("imports/") and job.file.name.endswith(".xlsx")
    assert len(job.sha256) == 64 and job.sheets == ["Danh sách"] and job.unit == fed.kl

    job = services.job_validate(job=job)
    assert job.status == ImportJob.Status.VALIDATED, job.errors
    assert (job.created_count, job.updated_count, job.unchanged_count) == (30, 0, 0)
    assert Person.objects.count() == 0  # a dry run stores nothing

    job = services.job_commit(actor=fed.kimlien, job=job)
    assert job.status == ImportJob.Status.DONE
    assert (job.created_count, job.updated_count, job.unchanged_count) == (30, 0, 0)
    assert job.percent == 100 and job.progress_done == job.progress_total == 30
    assert job.task_id and job.started_at and job.finished_at
    assert Membership.objects.filter(cdcs__code__in=["GL1", "DD1"]).count() == 30
    entry = AuditEntry.objects.get(action="import", object_type="import.members")
    assert entry.object_repr == "doan_vien.xlsx" and entry.after["sha256"] == job.sha256

    # The same file again: nothing to change.
    again = services.job_validate(
        job=services.job_create(actor=fed.kimlien, kind="members", upload=members_upload(30), sheet="")
    )
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 30)


def test_units_job(fed: Federation) -> None:
    job = services.job_validate(
        job=services.job_create(actor=fed.kimlien, kind="units", upload=units_upload())
    )
    assert job.status == ImportJob.Status.VALIDATED and job.sheets == []
    assert job.created_count == 2
    job = services.job_commit(actor=fed.kimlien, job=job)
    assert job.status == ImportJob.Status.DONE and job.created_count == 2
    assert OrgUnit.objects.filter(code__in=["KL8", "KL9"]).count() == 2


def test_invalid_file_lists_every_error_and_cannot_be_committed(fed: Federation) -> None:
    job = services.job_create(actor=fed.kimlien, kind="members", upload=members_upload(130, errors=True))
    job = services.job_validate(job=job)
    assert job.status == ImportJob.Status.INVALID
    assert job.error_count == 12 == len(job.errors)
    assert [e["row"] for e in job.errors] == [i + 2 for i, _, _ in DELIBERATE_ERRORS]
    columns = {e["row"]: e["column"] for e in job.errors}
    assert all(columns[i + 2] == column for i, column, _ in DELIBERATE_ERRORS)
    assert all(e["message"] for e in job.errors)
    with pytest.raises(ValidationError):
        services.job_commit(actor=fed.kimlien, job=job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.INVALID and Person.objects.count() == 0


def test_commit_only_once_and_only_by_the_uploader(fed: Federation) -> None:
    job = services.job_validate(
        job=services.job_create(actor=fed.kimlien, kind="members", upload=members_upload(3))
    )
    with pytest.raises(PermissionDenied):
        services.job_commit(actor=fed.thanhpho, job=job)
    with pytest.raises(PermissionDenied):
        services.job_commit(actor=fed.admin, job=job)
    services.job_commit(actor=fed.kimlien, job=job)
    with pytest.raises(ValidationError):
        services.job_commit(actor=fed.kimlien, job=job)
    assert Person.objects.count() == 3


def test_viewer_cannot_upload_and_wrong_kind_or_suffix_refused(fed: Federation) -> None:
    with pytest.raises(PermissionDenied):
        services.job_create(actor=fed.viewer, kind="members", upload=members_upload(3))
    with pytest.raises(ValidationError):
        services.job_create(actor=fed.kimlien, kind="salaries", upload=members_upload(3))
    with pytest.raises(ValidationError):
        services.job_create(actor=fed.kimlien, kind="members", upload=members_upload(3, name="virus.exe"))
    assert ImportJob.objects.count() == 0


def test_out_of_scope_cdcs_is_an_error(fed: Federation) -> None:
    rows = member_rows(3)
    rows[2][0] = "GL2"  # directly under the city, not under Kim Liên
    upload = SimpleUploadedFile("dv.xlsx", xlsx_bytes(rows), content_type=XLSX)
    job = services.job_validate(job=services.job_create(actor=fed.kimlien, kind="members", upload=upload))
    assert job.status == ImportJob.Status.INVALID
    assert [(e["row"], e["column"]) for e in job.errors] == [(4, "Mã CĐCS")]


def test_several_sheets_wait_for_a_choice(fed: Federation) -> None:
    upload = members_upload(5, extra_sheet=True)
    job = services.job_validate(job=services.job_create(actor=fed.kimlien, kind="members", upload=upload))
    assert job.status == ImportJob.Status.UPLOADED and job.needs_sheet
    assert job.sheets == ["Hướng dẫn", "Danh sách"]
    with pytest.raises(ValidationError):
        services.job_choose_sheet(actor=fed.kimlien, job=job, sheet="Không có")
    job = services.job_choose_sheet(actor=fed.kimlien, job=job, sheet="Danh sách")
    assert job.status == ImportJob.Status.VALIDATED and job.created_count == 5

    # Named at upload: validated at once.
    named = services.job_create(
        actor=fed.kimlien, kind="members", upload=members_upload(5, extra_sheet=True), sheet="Danh sách"
    )
    assert services.job_validate(job=named).status == ImportJob.Status.VALIDATED


def test_data_changed_between_preview_and_commit_fails_cleanly(fed: Federation) -> None:
    job = services.job_validate(
        job=services.job_create(actor=fed.kimlien, kind="members", upload=members_upload(4))
    )
    # Someone else moves GL1 out of Kim Liên's subtree before the commit runs.
    from congdoan.org import services as org_services

    org_services.unit_move(actor=None, unit=fed.gl1, new_parent=fed.hn, on=timezone.localdate())
    job = services.job_commit(actor=fed.kimlien, job=job)
    assert job.status == ImportJob.Status.FAILED and job.error_count > 0
    assert Person.objects.count() == 0


def test_jobs_are_scoped_to_their_uploader(fed: Federation) -> None:
    job = services.job_create(actor=fed.kimlien, kind="members", upload=members_upload(2))
    assert list(services.jobs_for(fed.kimlien)) == [job]
    assert list(services.jobs_for(fed.thanhpho)) == []
    assert list(services.jobs_for(fed.admin)) == [job]


# -- progress ---------------------------------------------------------------------------------------


def test_progress_is_throttled_and_follows_the_phases(fed: Federation) -> None:
    job = services.job_create(actor=fed.kimlien, kind="members", upload=members_upload(2))
    progress = services.JobProgress(job.pk, interval=3600)
    for done in range(1, 5001):
        progress(done, 10_000)
    assert progress.writes == 1  # the first call; then at most one write per interval
    progress(10_000, 10_000)  # the end of a pass is always written
    progress.label = PHASE_WRITE
    progress(1, 10_000)  # so is a new phase
    assert progress.writes == 3
    progress.close()
    if connection.vendor == "sqlite":  # elsewhere a second connection writes (outside the test's transaction)
        job.refresh_from_db()
        assert (job.progress_done, job.progress_total, job.phase) == (1, 10_000, PHASE_WRITE)


def test_percent_over_both_passes() -> None:
    job = ImportJob(kind="members", status=ImportJob.Status.RUNNING, progress_total=200)
    job.phase, job.progress_done = PHASE_CHECK, 100
    assert job.percent == 25
    job.phase, job.progress_done = PHASE_WRITE, 100
    assert job.percent == 75
    job.status = ImportJob.Status.DONE
    assert job.percent == 100


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite has one writer: progress is written on the import's own connection",
)
@pytest.mark.django_db(transaction=True)
def test_progress_is_seen_by_others_while_the_import_transaction_is_open() -> None:
    """On a server database the bar moves during the write pass: progress is committed on its own
    connection, while the import's transaction is still open on the default one."""
    from django.db import DEFAULT_DB_ALIAS, connections, transaction

    from congdoan.conftest import build_federation

    fed = build_federation()
    job = services.job_create(actor=fed.kimlien, kind="members", upload=members_upload(2))
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    progress = services.JobProgress(job.pk)
    try:
        with transaction.atomic():
            AuditEntry.objects.create(action="import", object_type="test.uncommitted")
            progress.label = PHASE_WRITE
            progress(1_234, 5_000)
            with other.cursor() as cursor:
                cursor.execute(
                    "SELECT progress_done, progress_total, phase FROM imports_importjob WHERE id = %s",
                    [job.pk],
                )
                assert cursor.fetchone() == (1_234, 5_000, PHASE_WRITE)
                cursor.execute("SELECT count(*) FROM core_auditentry WHERE object_type = 'test.uncommitted'")
                assert cursor.fetchone() == (0,)  # the import's own writes are not visible yet
            transaction.set_rollback(True)
    finally:
        progress.close()
        other.close()
