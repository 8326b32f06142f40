"""``{% row_cells row %}``: a django-tables2 row's ``<td>`` cells, built in Python.

django-tables2's ``table.tbody.row`` block renders each cell through the template engine: the column's
``attrs.td.as_html``, its ``localize`` twice, the cell — ~6 variable lookups a cell, ~1,400 for a page
of 25 members (9 columns), a good part of the member list's render time at 1,000,000 members
(issue 18). This tag renders the same markup (``django_tables2/congdoan.html`` uses it for every table).

A table with a ``cells(record)`` method (the member list) gives its cells itself, by column name: the
per-cell work of django-tables2 (accessor, ``get_FOO_display``, the ``render_*`` call through
``call_with_appropriate``, the ``td`` attributes) was still ~1 ms a row, ~30 ms of a city's page of 25.
Its columns' ``td`` attributes are then read once per table, so they must not depend on the record.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.base import render_value_in_context
from django.templatetags.l10n import localize, unlocalize
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def row_cells(context: template.Context, row: Any) -> SafeString:
    """``<td {{ column.attrs.td.as_html }}>{{ cell }}</td>`` for each cell, with the column's
    ``localize`` (``None``: as the settings say; ``True``/``False``: the ``localize``/``unlocalize``
    filters), escaped as ``{{ cell }}`` is."""
    table = row.table
    own_cells = getattr(table, "cells", None)
    if own_cells is not None:
        by_name = own_cells(row.record)
        td = _td_attrs(table)
        return mark_safe(
            "".join(
                format_html("<td {}>{}</td>", td[column.name], by_name[column.name])
                if column.name in by_name
                else format_html("<td {}>{}</td>", td[column.name], row.get_cell(column.name))
                for column in table.columns
            )
        )
    cells = []
    for column, cell in row.items():
        value = cell if column.localize is None else (localize(cell) if column.localize else unlocalize(cell))
        attrs = column.attrs["td"].as_html()  # safe: django-tables2 escapes each value
        cells.append(format_html("<td {}>{}</td>", attrs, render_value_in_context(value, context)))
    return mark_safe("".join(cells))  # each part built by format_html


def _td_attrs(table: Any) -> dict[str, str]:
    """Each column's ``td`` attributes as HTML, read once per table (kept on it)."""
    attrs: dict[str, str] | None = getattr(table, "_td_attrs", None)
    if attrs is None:
        attrs = {column.name: column.attrs["td"].as_html() for column in table.columns}
        table._td_attrs = attrs
    return attrs
