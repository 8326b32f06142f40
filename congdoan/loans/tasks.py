"""Background work of the loan fund (django-tasks; run by ``congdoan db_worker``)."""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def recompute_arrears(run_id: int) -> dict[str, Any]:
    """Store the arrears of every loan as of the day of an :class:`~congdoan.loans.models.ArrearsRun`."""
    from .services import arrears_run

    return arrears_run(run_id=run_id)
