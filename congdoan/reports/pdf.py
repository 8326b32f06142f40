"""PDF through WeasyPrint from the HTML rendering of the same content as the preview page.

Fonts: Times New Roman where installed, else Liberation Serif (metric-compatible, Debian
``fonts-liberation``) or DejaVu Serif (``fonts-dejavu-core``) — all carry every Vietnamese glyph.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from .selectors import Report


def render_html(report: Report, context: dict[str, Any]) -> str:
    return render_to_string("reports/document_pdf.html", {"report": report, "doc": context})


def render_pdf(report: Report, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # heavy import: only when a PDF is made

    html = render_html(report, context)
    pdf = HTML(string=html, base_url=None).write_pdf()
    assert pdf is not None
    return bytes(pdf)
