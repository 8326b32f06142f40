"""``{% row_cells row %}``: a django-tables2 row's ``<td>`` cells, built in Python.

django-tables2's ``table.tbody.row`` block renders each cell through the template engine: the column's
``attrs.td.as_html``, its ``localize`` twice, the cell — ~6 variable lookups a cell, ~1,400 for a page
of 25 members (9 columns), a good part of the member list's render time at 1,000,000 members
(issue 18). This tag renders the same markup (``django_tables2/congdoan.html`` uses it for every table).
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
    cells = []
    for column, cell in row.items():
        value = cell if column.localize is None else (localize(cell) if column.localize else unlocalize(cell))
        attrs = column.attrs["td"].as_html()  # safe: django-tables2 escapes each value
        cells.append(format_html("<td {}>{}</td>", attrs, render_value_in_context(value, context)))
    return mark_safe("".join(cells))  # each part built by format_html
