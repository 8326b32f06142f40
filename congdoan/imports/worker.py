"""The background worker (``congdoan db_worker``): django-tasks-db's worker, made to survive and be seen.

django-tasks-db's :class:`~django_tasks_db.management.commands.db_worker.Worker` claims a ready task in
an exclusive transaction and runs it. In the installed version (0.13) a "database is locked" raised
anywhere but inside ``get_locked()`` — opening the exclusive transaction, committing it, recording the
result — leaves its loop, which ends the worker (or, under the autoreloader, only its thread: the
process stays up and queued jobs wait forever). And a worker killed while running a task leaves that
task ``RUNNING`` for ever: nothing ever looks at it again.

This subclass keeps django-tasks-db's claiming and running, and adds:

- **a guarded loop**: any error of one iteration is logged and retried with a growing pause; only a
  signal stops the worker;
- **a heartbeat**: a :class:`~congdoan.imports.models.WorkerHeartbeat` row refreshed every few seconds
  by a small thread (also while a long task runs), with the task being run; removed on a clean stop;
- **recovery**, at start and every minute: tasks claimed by a dead worker are marked failed
  (:func:`lost_tasks_fail`), then the import jobs and report files whose task is over but which never
  finished are re-queued or failed with a Vietnamese message (``jobs_recover``, ``reports_recover``);
- **cleanup**, every hour: uploaded import files past their retention (``files_cleanup``).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker as DatabaseWorker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from . import selectors
from .models import WorkerHeartbeat

logger = logging.getLogger("congdoan.worker")

RECOVER_EVERY = 60.0  # seconds between two recoveries
CLEANUP_EVERY = 3600.0  # seconds between two file cleanups
MAX_PAUSE = 30.0  # the longest pause after repeated errors

WORKER_LOST = "congdoan.imports.worker.WorkerLost"


class WorkerLost(Exception):
    """Recorded as the error of a task whose worker stopped while running it."""


def lost_tasks_fail(*, now: Any = None) -> list[str]:
    """Mark failed the running tasks whose worker is dead (or alive but no longer running them, e.g.
    after it could not record their result); forget dead workers. Returns the ids of those tasks."""
    now = now or timezone.now()
    alive, dead = selectors.workers_by_state(now)
    alive_by_id = {w.worker_id: w for w in alive}
    dead_ids = {w.worker_id for w in dead}
    grace = now - selectors.stale_after()
    lost: list[str] = []
    for task in DBTaskResult.objects.running().only("id", "worker_ids", "started_at"):
        worker_id = task.worker_ids[-1] if task.worker_ids else ""
        started_long_ago = task.started_at is None or task.started_at < grace
        if worker_id in dead_ids:
            gone = True
        elif worker_id in alive_by_id:
            gone = alive_by_id[worker_id].current_task_id != str(task.id) and started_long_ago
        else:  # a worker that never registered (or was forgotten): judge by age alone
            gone = started_long_ago
        if not gone:
            continue
        updated = DBTaskResult.objects.filter(pk=task.pk, status=task.status).update(
            status="FAILED",
            finished_at=now,
            exception_class_path=WORKER_LOST,
            traceback=f"Tiến trình nền {worker_id or '(không rõ)'} đã dừng khi đang chạy tác vụ này.",
        )
        if updated:
            lost.append(str(task.pk))
            logger.warning("Task %s lost with worker %s: marked failed", task.pk, worker_id)
    WorkerHeartbeat.objects.filter(worker_id__in=dead_ids).delete()
    return lost


def recover(*, now: Any = None) -> dict[str, Any]:
    """One recovery pass: lost tasks, then the import jobs and report files left unfinished."""
    from congdoan.core.registry import recoveries

    from .services import jobs_recover

    lost = lost_tasks_fail(now=now)
    done = {"lost_tasks": lost, "imports": jobs_recover(now=now)}
    # Other apps' unfinished work (report files): registered from their AppConfig.ready().
    done.update({key: recover(now=now) for key, recover in recoveries().items()})
    return done


class Worker(DatabaseWorker):
    """django-tasks-db's worker with a heartbeat, a loop that survives database errors, and recovery.

    ``heartbeat_thread=False`` writes the heartbeat only from the loop (tests run the worker inside one
    transaction, which a second connection could not see)."""

    def __init__(self, *, heartbeat_thread: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.heartbeat_thread = heartbeat_thread
        self.hostname = selectors.this_host()
        self.current_task_id = ""
        self.failures = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._next_recover = 0.0
        self._next_cleanup = 0.0

    # -- heartbeat ---------------------------------------------------------------------------------
    def beat(self) -> None:
        import os

        updated = WorkerHeartbeat.objects.filter(worker_id=self.worker_id).update(
            last_seen_at=timezone.now(), current_task_id=self.current_task_id
        )
        if not updated:  # first beat, or the row was removed as stale while this worker was stuck
            WorkerHeartbeat.objects.update_or_create(
                worker_id=self.worker_id,
                defaults={
                    "hostname": self.hostname,
                    "pid": os.getpid(),
                    "last_seen_at": timezone.now(),
                    "current_task_id": self.current_task_id,
                },
            )

    def _beat_forever(self) -> None:
        try:
            while not self._stop.wait(selectors.heartbeat_seconds()):
                try:
                    self.beat()
                except DatabaseError as exc:  # e.g. SQLite busy with an import: try again next time
                    logger.warning("Heartbeat of worker %s not written: %s", self.worker_id, exc)
        finally:
            connection.close()  # this thread's own connection

    def _unregister(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        try:
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
        except DatabaseError as exc:
            logger.warning("Heartbeat of worker %s not removed: %s", self.worker_id, exc)

    # -- the loop ----------------------------------------------------------------------------------
    def run(self) -> None:
        logger.info("Starting worker worker_id=%s queues=%s", self.worker_id, ",".join(self.queue_names))
        if self.heartbeat_thread:
            self._thread = threading.Thread(target=self._beat_forever, name="heartbeat", daemon=True)
            self._thread.start()
        try:
            while self.running:
                outcome = self.tick()
                if self.batch and outcome == "idle":
                    logger.info("No more tasks to run for worker_id=%s - exiting gracefully.", self.worker_id)
                    return
                if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                    logger.info(
                        "Ran %d tasks on worker=%s - exiting gracefully.", self._run_tasks, self.worker_id
                    )
                    return
                if self.running and outcome != "ran":
                    time.sleep(self.pause())
        finally:
            self._unregister()

    def pause(self) -> float:
        """The interval when idle; after consecutive errors, twice as long each time (at most 30 s)."""
        if not self.failures:
            return float(self.interval)
        return float(min(MAX_PAUSE, max(self.interval, 0.5) * 2 ** min(self.failures, 6)))

    def tick(self) -> str:
        """One iteration: heartbeat, maintenance when due, then claim and run one task.

        Returns ``"ran"``, ``"idle"`` (nothing to do) or ``"error"`` (logged; the loop goes on)."""
        try:
            if not connection.in_atomic_block:  # (tests run the worker inside their transaction)
                close_old_connections()
            if not self.heartbeat_thread or self._next_recover == 0.0:
                self.beat()
            try:
                self.maintain()
            except Exception:  # recovery or cleanup must never keep the worker from running tasks
                logger.exception("Worker %s: maintenance failed; tasks still run", self.worker_id)
            task_result = self.claim_next()
            if task_result is None:
                self.failures = 0
                return "idle"
            self.run_task(task_result)
            self.failures = 0
            return "ran"
        except Exception as exc:
            self.current_task_id = ""
            self.failures += 1
            if isinstance(exc, DatabaseError):
                logger.warning(
                    "Worker %s: database error (%d in a row): %s", self.worker_id, self.failures, exc
                )
            else:
                logger.exception("Worker %s: unexpected error (%d in a row)", self.worker_id, self.failures)
            if not connection.in_atomic_block:  # (tests run the worker inside their transaction)
                try:
                    connection.close()  # a broken connection is replaced at the next query
                except DatabaseError:
                    pass
            return "error"

    def maintain(self, *, force: bool = False) -> None:
        """Recovery every minute (and at start), cleanup of old uploads every hour."""
        now = time.monotonic()
        if force or now >= self._next_recover:
            self._next_recover = now + RECOVER_EVERY
            recover()
        if force or now >= self._next_cleanup:
            from .services import files_cleanup

            self._next_cleanup = now + CLEANUP_EVERY
            files_cleanup()

    def claim_next(self) -> DBTaskResult | None:
        """django-tasks-db's claim, with this worker's heartbeat naming the task in the same transaction."""
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            task_result = tasks.get_locked()
            if task_result is not None:
                task_result.claim(self.worker_id)
                self.current_task_id = str(task_result.id)
                WorkerHeartbeat.objects.filter(worker_id=self.worker_id).update(
                    current_task_id=self.current_task_id, last_seen_at=timezone.now()
                )
        return task_result

    def run_task(self, db_task_result: DBTaskResult) -> None:
        self.current_task_id = str(db_task_result.id)
        try:
            super().run_task(db_task_result)
        finally:
            self.current_task_id = ""
