"""Reads about the background worker, shared by the worker itself, the job pages and the API."""

from __future__ import annotations

import datetime as dt
import os
import socket

from django.conf import settings
from django.utils import timezone

from .models import WorkerHeartbeat

# A worker writes its heartbeat every WORKER_HEARTBEAT_SECONDS; one silent for WORKER_STALE_SECONDS is dead.
DEFAULT_HEARTBEAT_SECONDS = 5.0
DEFAULT_STALE_SECONDS = 60.0
# On its own machine a worker counts as alive while its process exists, even when its heartbeat is late:
# on SQLite the heartbeat waits behind an import's write transaction. Not beyond this (a reused pid).
DEFAULT_HUNG_SECONDS = 3600.0


def heartbeat_seconds() -> float:
    return float(getattr(settings, "WORKER_HEARTBEAT_SECONDS", DEFAULT_HEARTBEAT_SECONDS))


def stale_after() -> dt.timedelta:
    return dt.timedelta(seconds=float(getattr(settings, "WORKER_STALE_SECONDS", DEFAULT_STALE_SECONDS)))


def this_host() -> str:
    return socket.gethostname()[:255]


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by another user
        return True
    except OSError:
        return False
    return True


def worker_alive(heartbeat: WorkerHeartbeat, now: dt.datetime | None = None) -> bool:
    """A fresh heartbeat, or — on this machine — a process that still exists and beat within the hour."""
    now = now or timezone.now()
    if heartbeat.last_seen_at >= now - stale_after():
        return True
    hung = dt.timedelta(seconds=float(getattr(settings, "WORKER_HUNG_SECONDS", DEFAULT_HUNG_SECONDS)))
    return (
        heartbeat.hostname == this_host()
        and heartbeat.last_seen_at >= now - hung
        and _process_exists(heartbeat.pid)
    )


def workers_by_state(now: dt.datetime | None = None) -> tuple[list[WorkerHeartbeat], list[WorkerHeartbeat]]:
    """(alive, dead) registered workers."""
    now = now or timezone.now()
    alive: list[WorkerHeartbeat] = []
    dead: list[WorkerHeartbeat] = []
    for heartbeat in WorkerHeartbeat.objects.order_by("started_at", "pk"):
        (alive if worker_alive(heartbeat, now) else dead).append(heartbeat)
    return alive, dead


def uses_database_queue() -> bool:
    """True when tasks go through django-tasks-db (False with the immediate backend of the tests)."""
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tasks_db import DatabaseBackend

    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend)


def worker_missing() -> bool:
    """Background work is waiting and no worker is alive to run it (the banner of the job pages)."""
    if not uses_database_queue():
        return False
    from django_tasks_db.models import DBTaskResult

    if not DBTaskResult.objects.ready().exists():
        return False
    alive, _ = workers_by_state()
    return not alive
