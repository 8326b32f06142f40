"""Background generation of report files (django-tasks; run by ``congdoan db_worker``)."""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def generate_report(report_id: int) -> dict[str, Any]:
    """Build the file of a queued :class:`~congdoan.reports.models.GeneratedReport`."""
    from .services import report_run

    return report_run(report_id=report_id)
