"""View helpers every app's pages share: a service's errors on a form, an audit trail as readable lines,
and the pages of a register of records (``templates/work/``: a filtered list with its audited XLSX
export, a form, a detail)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django_tables2 import RequestConfig

from .audit import audit_export
from .formatting import format_date
from .models import AuditEntry
from .xlsx import WorkbookWriter, dated_filename, table_sheet

PER_PAGE = 25


def add_service_errors(
    form: Form, exc: ValidationError, fallback: str | None = None, rename: Mapping[str, str] | None = None
) -> None:
    """Show a service's ValidationError on the form: each message on its field (the service's name
    ``rename``d to the form's) when the form has one, else on ``fallback`` (default: on top)."""
    if hasattr(exc, "error_dict"):
        for key, errors in exc.error_dict.items():
            field = (rename or {}).get(key, key)
            form.add_error(field if field in form.fields else fallback, errors)
    else:
        form.add_error(fallback, exc)


def show_value(key: str, value: Any, choices: Mapping[str, Mapping[Any, Any]] | None = None) -> str:
    """An audited value as people read it: "—" for nothing, Có/Không, a choice's label (``choices``:
    field name → {value: label}), an ISO date as dd/mm/yyyy."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if choices and key in choices:
        return str(choices[key].get(value, value))
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return format_date(dt.date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def audit_rows(
    entries: Iterable[AuditEntry],
    *,
    labels: Mapping[str, str],
    show: Callable[[str, Any], str],
    action: Callable[[AuditEntry], str] | None = None,
    unset: Collection[Any] = (None, ""),
) -> list[dict[str, Any]]:
    """Audit entries with their changes as (label, before, after) lines, for a page's history.

    ``labels`` names the fields, ``show`` writes a value, ``action`` says what happened (default: the
    entry's action). A value set from nothing to one of ``unset`` is left out (nothing to read), and so
    are an export's filters."""
    rows = []
    for entry in entries:
        before, after = entry.before or {}, entry.after or {}
        keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
        changes = [
            {
                "label": labels.get(k, k),
                "before": show(k, before.get(k)) if k in before else "",
                "after": show(k, after.get(k)) if k in after else "",
            }
            for k in keys
            if k != "filters" and not (k not in before and after.get(k) in unset)
        ]
        rows.append(
            {
                "entry": entry,
                "action": action(entry) if action else entry.get_action_display(),
                "changes": changes,
            }
        )
    return rows


def pk_or_404(value: Any) -> int:
    """A record's number from the URL; anything that is not a number is 404, like a record not found."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def xlsx_export(
    request: HttpRequest,
    *,
    sheet: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    kind: str,
    label: str,
    filters: Any,
    filename: str,
) -> HttpResponseBase:
    """A list as one XLSX sheet (``xlsx.table_sheet``), its export audited (``kind``, ``label``, the
    rows written and the ``filters``), sent as ``<filename>-<date>.xlsx``."""
    book = WorkbookWriter()
    count = table_sheet(book, sheet, header, rows)
    audit_export(actor=request.user, kind=kind, label=label, rows=count, filters=filters)
    return book.response(dated_filename(filename))


def list_page(
    request: HttpRequest,
    filterset: Any,
    table_class: Callable[[Any], Any],
    *,
    export: Callable[[Any, dict[str, Any]], HttpResponseBase] | None = None,
    per_page: int = PER_PAGE,
    template: str = "work/list.html",
    **context: Any,
) -> HttpResponseBase:
    """A register's list page: the filtered records as a paginated table with their total and the
    unit filtered on; ``?xuat=xlsx`` (with valid filters) is ``export(records, filters described)``.
    ``context`` adds the page's own (``title``, ``noun``, ``links``, ``create_url``, ``create_label``)."""
    qs = filterset.qs
    if export is not None and request.GET.get("xuat") == "xlsx" and not filterset.form.errors:
        return export(qs, filterset.describe())
    table = table_class(qs)
    RequestConfig(request, paginate={"per_page": per_page}).configure(table)
    page = {
        "filter": filterset,
        "table": table,
        "total": table.paginator.count,
        "unit": filterset.selected_unit,
        **context,
    }
    return render(request, template, page)


def form_page(
    request: HttpRequest, form: Form, *, title: str, back_url: str, back_label: str, submit: str
) -> HttpResponse:
    """A register's form page (``work/form.html``): the form, a way back and the submit button."""
    context = {"form": form, "title": title, "back_url": back_url, "back_label": back_label, "submit": submit}
    return render(request, "work/form.html", context)
