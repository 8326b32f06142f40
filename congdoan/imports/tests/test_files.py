"""Uploaded files hold CCCDs: refused and cancelled ones are deleted at once, the others after the
retention (IMPORT_FILE_RETENTION_DAYS), and files no job names are removed."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from congdoan.conftest import Federation
from congdoan.imports import services
from congdoan.imports.models import ImportJob
from congdoan.imports.tests.test_jobs import members_upload, units_upload


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def stored(job: ImportJob, media: Path) -> Path:
    assert job.file, "the job has no file"
    return media / str(job.file.name)


def test_a_refused_file_is_deleted_but_its_errors_are_kept(fed: Federation, settings: Any) -> None:
    job = services.job_create(actor=fed.kimlien, kind="members", upload=members_upload(130, errors=True))
    path = stored(job, Path(settings.MEDIA_ROOT))
    assert path.exists()
    job = services.job_validate(job=job)
    assert job.status == ImportJob.Status.INVALID and job.error_count == 12
    assert not path.exists() and not job.file and job.file_deleted_at is not None
    job.refresh_from_db()
    assert not job.file and len(job.errors) == 12 and len(job.sha256) == 64


def test_cancel_deletes_the_file_and_only_the_uploader_may(
    client: Client, fed: Federation, settings: Any
) -> None:
    job = services.job_validate(
        job=services.job_create(actor=fed.kimlien, kind="members", upload=members_upload(3))
    )
    path = stored(job, Path(settings.MEDIA_ROOT))
    other = Client()
    other.force_login(fed.thanhpho)
    assert other.post(reverse("imports:cancel", args=[job.pk])).status_code == 404
    assert path.exists()
    client.force_login(fed.kimlien)
    assert "Hủy và xóa tệp đã tải lên" in client.get(job.get_absolute_url()).content.decode()
    response = client.post(reverse("imports:cancel", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CANCELLED and not path.exists() and not job.file
    with pytest.raises(ValidationError):
        services.job_commit(actor=fed.kimlien, job=job)
    again = client.post(reverse("imports:cancel", args=[job.pk]))
    assert again.status_code == 400 and "Chỉ hủy được tệp chưa nhập" in again.content.decode()


def test_cleanup_enforces_the_retention_and_removes_orphans(fed: Federation, settings: Any) -> None:
    media = Path(settings.MEDIA_ROOT)
    settings.IMPORT_FILE_RETENTION_DAYS = 30
    done = services.job_commit(
        actor=fed.kimlien,
        job=services.job_validate(
            job=services.job_create(actor=fed.kimlien, kind="members", upload=members_upload(3))
        ),
    )
    waiting = services.job_validate(
        job=services.job_create(actor=fed.kimlien, kind="units", upload=units_upload())
    )
    done_path, waiting_path = stored(done, media), stored(waiting, media)
    orphan = media / "imports" / "2020" / "01" / "mo-coi.xlsx"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"001090012345")

    # Today: everything is within its retention; the orphan is older than an hour only tomorrow.
    assert services.files_cleanup() == {"refused": 0, "expired": 0, "orphans": 0}
    assert done_path.exists() and waiting_path.exists() and orphan.exists()

    # In 31 days.
    later = timezone.now() + dt.timedelta(days=31)
    assert services.files_cleanup(now=later, dry_run=True) == {"refused": 0, "expired": 2, "orphans": 1}
    assert done_path.exists() and orphan.exists()
    assert services.files_cleanup(now=later) == {"refused": 0, "expired": 2, "orphans": 1}
    assert not done_path.exists() and not waiting_path.exists() and not orphan.exists()
    done.refresh_from_db()
    waiting.refresh_from_db()
    assert done.status == ImportJob.Status.DONE and done.created_count == 3 and not done.file
    assert waiting.status == ImportJob.Status.CANCELLED and waiting.file_deleted_at is not None


def test_cleanup_command(fed: Federation, settings: Any) -> None:
    orphan = Path(settings.MEDIA_ROOT) / "imports" / "mo-coi.csv"
    orphan.parent.mkdir(parents=True)
    orphan.write_text("cdcs_code,cccd\n")
    old = (timezone.now() - dt.timedelta(hours=2)).timestamp()
    import os

    os.utime(orphan, (old, old))
    out = io.StringIO()
    call_command("imports_cleanup", stdout=out)
    assert (
        "Đã xóa 0 tệp bị từ chối/đã hủy, 0 tệp quá 30 ngày và 1 tệp không thuộc lượt nhập nào."
        in out.getvalue()
    )
    assert not orphan.exists()
