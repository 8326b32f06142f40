"""The report's chart: bars by child unit in the preview/PDF (HTML) and as a PNG image in the Word file."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from PIL import Image

from congdoan.core.periods import parse_period
from congdoan.reports import selectors, services
from congdoan.reports.charts import BAR, BAR_REACHED, MAX_BARS, TARGET, Bar, Chart, chart_png, top_bars

Y2024 = parse_period("2024")
TODAY = dt.date(2025, 9, 1)


def test_png_draws_bars_targets_and_vietnamese_labels() -> None:
    chart = Chart(
        title="Đoàn viên kết nạp mới năm 2024 theo đơn vị (thực hiện/chỉ tiêu)",
        bars=[
            Bar("CĐCS Công ty May Gia Lâm", D(3), D(2), "3/2 (150,00%)"),
            Bar("CĐCS Trường THCS Đặng Xá", D(1), D(4), "1/4 (25%)"),
            Bar("CĐCS Công ty TNHH Điện tử Ninh Hiệp", D(0), None, "0"),
        ],
    )
    image = Image.open(io.BytesIO(chart_png(chart)))
    assert image.format == "PNG" and image.width == 1600
    colours = {colour for _, colour in image.getcolors(maxcolors=1_000_000)}
    assert {BAR, BAR_REACHED, TARGET} <= colours  # a bar short of its target, one past it, the ticks
    assert chart.rows[0]["width"] == 75.0 and chart.rows[0]["target"] == 50.0 and chart.rows[0]["reached"]
    assert chart.rows[2]["target"] is None


def test_many_units_keep_the_highest_bars_in_order() -> None:
    bars = [Bar(f"CĐCS số {i}", D(i % 40), None, str(i % 40)) for i in range(400)]
    shown, note = top_bars(bars, len(bars))
    assert len(shown) == MAX_BARS and note == f"{MAX_BARS}/400 đơn vị có số cao nhất"
    assert all(b.value >= 32 for b in shown)
    assert [b.label for b in shown] == sorted((b.label for b in shown), key=lambda n: int(n.split()[-1]))


@pytest.mark.django_db
def test_report_chart_in_preview_pdf_and_docx(data, client) -> None:
    import docx

    fed = data.fed
    report = selectors.report_build(user=fed.gialam, unit=fed.gl, period=Y2024, today=TODAY)
    chart = report.chart
    assert chart is not None and chart.table == "org"
    assert chart.title == "Đoàn viên kết nạp mới năm 2024 theo đơn vị (thực hiện/chỉ tiêu)"
    texts = {b.label: b.text for b in chart.bars}
    assert texts["CĐCS Công ty May Gia Lâm"] == "3/2 (150,00%)"
    assert texts["CĐCS Trường THCS Đặng Xá"] == "2"
    assert len(chart.bars) == 9

    client.force_login(fed.gialam)
    html = client.get("/bao-cao/GL/?period=2024").content.decode()
    assert 'id="bieu-do-org"' in html and "3/2 (150,00%)" in html

    blob = services.report_render(user=fed.gialam, unit=fed.gl, period=Y2024, fmt="docx")
    document = docx.Document(io.BytesIO(blob))
    assert len(document.inline_shapes) == 1
    images = [r for r in document.part.rels.values() if r.reltype.endswith("/image")]
    assert len(images) == 1 and images[0].target_part.content_type == "image/png"
    assert Image.open(io.BytesIO(images[0].target_part.blob)).width == 1600

    from pypdf import PdfReader

    pdf = services.report_render(user=fed.gialam, unit=fed.gl, period=Y2024, fmt="pdf")
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Biểu đồ. Đoàn viên kết nạp mới năm 2024 theo đơn vị (thực hiện/chỉ tiêu)" in text


@pytest.mark.django_db
def test_no_chart_without_data(data) -> None:
    report = selectors.report_build(
        user=data.fed.gialam, unit=data.fed.gl, period=parse_period("2005"), today=TODAY
    )
    assert report.chart is None
    blob = services.report_render(
        user=data.fed.gialam, unit=data.fed.gl, period=parse_period("2005"), fmt="docx"
    )
    import docx

    assert len(docx.Document(io.BytesIO(blob)).inline_shapes) == 0
