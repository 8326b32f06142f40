"""``congdoan db_worker``: django-tasks-db's command with the worker of :mod:`congdoan.imports.worker`.

Same options as django-tasks-db's ``db_worker``; the worker also writes a heartbeat, survives database
errors ("database is locked") and recovers the jobs of dead workers. ``congdoan.imports`` is listed
before ``django_tasks_db`` in ``INSTALLED_APPS`` so that this command is the one ``db_worker`` runs.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from congdoan.imports.worker import Worker


class Command(DatabaseWorkerCommand):
    help = "Chạy tiến trình nền (nhập dữ liệu, tạo báo cáo): nhịp báo sống, tự khôi phục việc bị bỏ dở."

    def handle(  # type: ignore[override]
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        **options: Any,
    ) -> None:
        self.configure_logging(verbosity)
        if reload and batch:
            reload = False
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
