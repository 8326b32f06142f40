"""The loan fund's chapter of the period report: drafted from the computed indicators of the roll-up."""

from __future__ import annotations

import io

from django.test import Client
from openpyxl import load_workbook

from congdoan.core.periods import parse_period
from congdoan.reports import services as report_services

from .conftest import Book, disbursed_project

SENTENCE = "đã giải ngân 1 dự án với số tiền 100 triệu đồng cho 5 người vay."


def test_the_report_drafts_the_disbursements_and_shows_the_table(book: Book) -> None:
    disbursed_project(book)
    client = Client()
    client.force_login(book.fed.kimlien)
    page = client.get("/bao-cao/KL/?period=2026").content.decode()
    assert "HOẠT ĐỘNG QUỸ TRỢ VỐN CNVCLĐ NGHÈO" in page
    assert SENTENCE in page
    assert "Dư nợ gốc cuối kỳ" in page
    blob = report_services.report_render(
        user=book.fed.kimlien, unit=book.fed.kl, period=parse_period("2026"), fmt="xlsx"
    )
    workbook = load_workbook(io.BytesIO(blob))
    titles = [str(sheet["A2"].value) for sheet in workbook.worksheets]
    assert any("GIẢI NGÂN VÀ DƯ NỢ VỐN VAY" in title for title in titles)
