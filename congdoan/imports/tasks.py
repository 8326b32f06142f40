"""Background tasks of the import pipeline (django-tasks; run by ``congdoan db_worker``)."""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def run_import(job_id: int) -> dict[str, Any]:
    """Commit an import job that :func:`congdoan.imports.services.job_commit` queued."""
    from .services import job_run

    return job_run(job_id=job_id)
