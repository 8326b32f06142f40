"""The background worker on django-tasks-db's real queue: heartbeat, recovery of the jobs of dead
workers, a loop that survives a locked database, and the "no worker running" banner."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from congdoan.conftest import Federation
from congdoan.imports import selectors, services
from congdoan.imports.models import MAX_ATTEMPTS, ImportJob, WorkerHeartbeat
from congdoan.imports.tests.test_jobs import members_upload
from congdoan.imports.worker import WORKER_LOST, Worker
from congdoan.members.models import Person

BANNER = "Chưa có tiến trình nền nào đang chạy"


@pytest.fixture(autouse=True)
def _queue(settings: Any, tmp_path: Any) -> None:
    """Tasks go through django-tasks-db's table, as in production (not run at enqueue time)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def worker(worker_id: str = "w-test", **kw: Any) -> Worker:
    options: dict[str, Any] = {
        "queue_names": ["default"],
        "interval": 0,
        "batch": True,
        "backend_name": "default",
        "startup_delay": False,
        "max_tasks": None,
        "worker_id": worker_id,
        "excluded_queue_names": [],
        "heartbeat_thread": False,
    }
    return Worker(**{**options, **kw})


def queued_job(fed: Federation, n: int = 6) -> ImportJob:
    job = services.job_validate(
        job=services.job_create(actor=fed.kimlien, kind="members", upload=members_upload(n))
    )
    job = services.job_commit(actor=fed.kimlien, job=job)
    assert job.status == ImportJob.Status.QUEUED and job.task_id
    return job


def killed_worker_took(job: ImportJob, *, attempts: int = 1) -> DBTaskResult:
    """What a worker killed with SIGKILL leaves: the task claimed by it, the job "running 99%", and a
    heartbeat last written ten minutes ago on another machine."""
    task = DBTaskResult.objects.get(pk=job.task_id)
    task.claim("w-killed")
    WorkerHeartbeat.objects.create(
        worker_id="w-killed",
        hostname="may-chu-khac",
        pid=4242,
        last_seen_at=timezone.now() - dt.timedelta(minutes=10),
        current_task_id=str(task.pk),
    )
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING,
        started_at=timezone.now() - dt.timedelta(minutes=11),
        phase="Đang ghi",
        progress_done=99,
        progress_total=100,
        attempts=attempts,
    )
    return task


def test_the_worker_runs_a_queued_import_and_says_it_is_alive(fed: Federation) -> None:
    job = queued_job(fed)
    assert selectors.worker_missing()  # a job waits and no worker has ever beaten
    w = worker()
    assert w.tick() == "ran"
    assert WorkerHeartbeat.objects.filter(worker_id="w-test").exists()
    assert not selectors.worker_missing()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.attempts == 1 and Person.objects.count() == 6
    assert DBTaskResult.objects.get(pk=job.task_id).status == "SUCCESSFUL"
    w.run()  # batch: nothing left, stops cleanly and unregisters
    assert not WorkerHeartbeat.objects.exists()


def test_killed_after_the_data_commit_the_job_ends_done_not_running_99(fed: Federation) -> None:
    job = queued_job(fed)
    task = killed_worker_took(job)
    # The killed worker had committed the import (data and audit entry in one transaction) but not
    # yet the job row.
    run = services.importers()["members"].run

    with job.file.open("rb") as fh:
        fh.name = job.original_name
        result = run(actor=fed.kimlien, path_or_file=fh, sheet=None, dry_run=False, progress=None)
        assert result.ok
    assert Person.objects.count() == 6

    worker().run()  # on start: recovery
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.percent == 100
    assert (job.created_count, job.updated_count, job.unchanged_count) == (6, 0, 0)
    assert Person.objects.count() == 6
    task.refresh_from_db()
    assert task.status == "FAILED" and task.exception_class_path == WORKER_LOST
    assert not WorkerHeartbeat.objects.filter(worker_id="w-killed").exists()


def test_killed_before_the_commit_the_job_is_run_again_by_the_next_worker(fed: Federation) -> None:
    job = queued_job(fed)
    killed_worker_took(job)
    assert Person.objects.count() == 0
    worker().run()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.attempts == 2
    assert job.created_count == 6 and Person.objects.count() == 6
    assert DBTaskResult.objects.get(pk=job.task_id).status == "SUCCESSFUL"


def test_a_job_that_keeps_killing_its_worker_fails_with_a_message(fed: Federation) -> None:
    job = queued_job(fed)
    killed_worker_took(job, attempts=MAX_ATTEMPTS)
    worker().run()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and Person.objects.count() == 0
    assert "Tiến trình nền đã dừng đột ngột 3 lần" in job.errors[0]["message"]
    assert not job.file and job.file_deleted_at is not None


def test_a_live_workers_task_is_left_alone(fed: Federation) -> None:
    job = queued_job(fed)
    task = killed_worker_took(job)
    WorkerHeartbeat.objects.filter(worker_id="w-killed").update(last_seen_at=timezone.now())
    from congdoan.imports.worker import recover

    assert recover()["lost_tasks"] == []
    task.refresh_from_db()
    job.refresh_from_db()
    assert task.status == "RUNNING" and job.status == ImportJob.Status.RUNNING


def test_a_dead_process_on_this_machine_is_dead_at_once(fed: Federation) -> None:
    import subprocess
    import sys

    finished = subprocess.run([sys.executable, "-c", "pass"], check=True)
    assert finished.returncode == 0
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    now = timezone.now()
    beat = WorkerHeartbeat(worker_id="x", hostname=selectors.this_host(), pid=gone.pid, last_seen_at=now)
    assert selectors.worker_alive(beat, now)  # a fresh heartbeat
    beat.last_seen_at = now - dt.timedelta(minutes=5)
    assert not selectors.worker_alive(beat, now)  # late, and its process is gone
    import os

    beat.pid = os.getpid()
    assert selectors.worker_alive(beat, now)  # late, but its process runs (SQLite busy with an import)


def test_report_of_a_dead_worker_fails_with_a_message(fed: Federation) -> None:
    from congdoan.reports import services as report_services
    from congdoan.reports.models import GeneratedReport

    row = report_services.report_request(actor=fed.thanhpho, unit=fed.hn, period="2024", fmt="xlsx")
    assert row.status == GeneratedReport.Status.QUEUED
    task = DBTaskResult.objects.get(pk=row.task_id)
    task.claim("w-killed")
    WorkerHeartbeat.objects.create(
        worker_id="w-killed",
        hostname="may-chu-khac",
        pid=1,
        last_seen_at=timezone.now() - dt.timedelta(hours=1),
    )
    GeneratedReport.objects.filter(pk=row.pk).update(status=GeneratedReport.Status.RUNNING, progress=40)
    worker().run()
    row.refresh_from_db()
    assert row.status == GeneratedReport.Status.FAILED and "hãy bấm «Tạo báo cáo» lại" in row.error


# -- a locked database -------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_locked_database_does_not_stop_the_worker(caplog: Any) -> None:
    """Another connection holds the task table: the iteration fails, is logged, and the next one runs
    the job (django-tasks-db 0.13's loop let the error out and the worker died)."""
    from congdoan.conftest import build_federation

    fed = build_federation()
    job = queued_job(fed)
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    other.ensure_connection()
    other.set_autocommit(False)
    table = DBTaskResult._meta.db_table
    with other.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f'LOCK TABLE "{table}" IN ACCESS EXCLUSIVE MODE')
        else:
            cursor.execute(f'UPDATE "{table}" SET priority = priority')  # takes SQLite's write lock
    # The worker's connection gives up waiting after 0.2 s (the worker reconnects at each iteration).
    options = connection.settings_dict.setdefault("OPTIONS", {})
    saved = dict(options)
    options.update(
        {"options": "-c lock_timeout=200"} if connection.vendor == "postgresql" else {"timeout": 0.2}
    )
    connection.close()
    w = worker()
    try:
        with caplog.at_level(logging.WARNING, logger="congdoan.worker"):
            assert w.tick() == "error"
        assert w.failures == 1 and "database error" in caplog.text
    finally:
        options.clear()
        options.update(saved)
        connection.close()
        other.rollback()
        other.close()
    assert w.tick() == "ran"
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and Person.objects.count() == 6
    w.run()


# -- the banner ------------------------------------------------------------------------------------


def test_job_pages_say_when_no_worker_runs(client: Client, fed: Federation) -> None:
    job = queued_job(fed)
    client.force_login(fed.kimlien)
    for url in (job.get_absolute_url(), reverse("imports:upload")):
        assert BANNER in client.get(url).content.decode(), url
    polled = client.get(reverse("imports:progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert BANNER in polled.content.decode()
    WorkerHeartbeat.objects.create(worker_id="w", hostname="may-chu-khac", pid=1, last_seen_at=timezone.now())
    assert BANNER not in client.get(job.get_absolute_url()).content.decode()
    # A stale heartbeat is no worker.
    WorkerHeartbeat.objects.update(last_seen_at=timezone.now() - dt.timedelta(minutes=5))
    assert BANNER in client.get(job.get_absolute_url()).content.decode()
    # Nothing waiting: no banner even without a worker.
    worker().run()
    assert BANNER not in client.get(job.get_absolute_url()).content.decode()
