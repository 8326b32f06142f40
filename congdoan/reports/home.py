"""The reports panel of the home page: deadlines due soon or overdue, and the user's recent report
files (``core.registry.register_home_panel``, registered in ``apps.py``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from congdoan.core import registry
from congdoan.core.formatting import format_date, format_number

from . import deadlines
from .models import GeneratedReport

FILE_TONES: dict[str, str] = {
    GeneratedReport.Status.DONE: "success",
    GeneratedReport.Status.FAILED: "danger",
}


def reports_panel(ctx: registry.HomeContext) -> registry.HomeBlock | None:
    """To do: the report deadlines of the user's units (due within 30 days or overdue, not submitted),
    for an upper unit how many units under it have not submitted, and the user's recent files."""
    items: list[registry.HomeItem] = []
    if ctx.level != "ended":
        for r in deadlines.reminders(user=ctx.user, units=ctx.units, day=ctx.day):
            d = r.deadline
            if r.missing:
                text = f"{format_number(r.missing, 0)} {d.get_unit_type_display()} chưa nộp {d.title}"
                url = reverse("reports:preview", args=[r.unit.code]) + f"?period={d.period}"
            else:
                text = f"Nộp {d.title}"  # the badge says "Quá hạn" or "Sắp đến hạn"
                url = reverse("reports:preview", args=[r.unit.code]) + f"?period={d.period}"
            items.append(
                registry.HomeItem(
                    text=text, url=url, tone="danger" if r.overdue else "warning", due=d.due_on, note=d.note
                )
            )
    for f in deadlines.recent_files(user=ctx.user, day=ctx.today):
        items.append(
            registry.HomeItem(
                text=f"Tệp {f.file_name or f.period}: {f.get_status_display().lower()}",
                url=f.get_absolute_url(),
                tone=FILE_TONES.get(f.status, "info"),
                badge=f.get_status_display(),
                note=f"{f.unit.name}, tạo ngày {format_date(timezone.localtime(f.created_at).date())}",
            )
        )
    links = [registry.HomeLink("Báo cáo", reverse("reports:index"), "bi-file-earmark-richtext")]
    return registry.HomeBlock(
        title="Báo cáo: hạn nộp và tệp gần đây",
        icon="bi-file-earmark-richtext",
        items=items,
        links=links,
        empty="Không có báo cáo nào sắp đến hạn.",
    )


PANEL = registry.HomePanel("reports", 10, reports_panel, area="todo")
