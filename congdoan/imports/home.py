"""The imports panel of the home page: the user's recent import jobs, finished, failed or waiting
(``core.registry.register_home_panel``, registered in ``apps.py``)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from congdoan.accounts.scope import user_scope
from congdoan.core import registry
from congdoan.core.formatting import format_date

from . import services
from .models import ImportJob

RECENT_DAYS = 14
SHOWN = 5

TONES: dict[str, str] = {
    ImportJob.Status.DONE: "success",
    ImportJob.Status.FAILED: "danger",
    ImportJob.Status.INVALID: "danger",
    ImportJob.Status.VALIDATED: "warning",
    ImportJob.Status.CANCELLED: "info",
}


def imports_panel(ctx: registry.HomeContext) -> registry.HomeBlock | None:
    """To do: the user's own jobs of the last two weeks (a file with errors to fix, one validated but not
    imported yet, one finished); hidden for a user who may import nothing and has no job."""
    since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
    jobs = list(
        services.jobs_for(ctx.user)
        .filter(user_id=ctx.user.pk, created_at__gte=since)
        .order_by("-created_at")[:SHOWN]
    )
    can_import = user_scope(ctx.user).can_write_anything
    if not jobs and not can_import:
        return None
    items = [
        registry.HomeItem(
            text=f"{job.get_kind_display()}: {job.original_name} — {job.get_status_display().lower()}",
            url=job.get_absolute_url(),
            tone=TONES.get(job.status, "info"),
            badge=job.get_status_display(),
            note=f"tải lên ngày {format_date(timezone.localtime(job.created_at).date())}"
            + (f", {job.error_count} lỗi" if job.error_count else ""),
        )
        for job in jobs
    ]
    links = (
        [registry.HomeLink("Nhập dữ liệu từ Excel", reverse("imports:upload"), "bi-upload")]
        if can_import
        else []
    )
    return registry.HomeBlock(
        title="Nhập dữ liệu gần đây",
        icon="bi-upload",
        items=items,
        links=links,
        empty=f"Chưa có lần nhập dữ liệu nào trong {RECENT_DAYS} ngày qua.",
        more_url=reverse("imports:upload") if jobs else "",
    )


PANEL = registry.HomePanel("imports", 50, imports_panel, area="todo")
