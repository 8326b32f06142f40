"""Indicator pages: scoped figures in Vietnamese formatting, drill-down, the targets grid and its XLSX
import (all or nothing), data entry with submit / approve / lock."""

from __future__ import annotations

import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from congdoan.core.models import AuditEntry
from congdoan.imports.models import ImportJob
from congdoan.indicators import services
from congdoan.indicators.models import DataValue, Indicator, ReportForm, Submission, Target

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _text(response) -> str:
    return response.content.decode()


def _ind(code: str) -> Indicator:
    return Indicator.objects.get(code=code)


@pytest.fixture
def figures(fed):
    """2024: GL's CĐCS reported 20 + 9 = 29 sessions against a target of 24; graded 98 of 131 (74,8%)."""
    talks = _ind("TUYEN_TRUYEN")
    services.value_set(actor=None, unit=fed.gl1, indicator=talks, period="2024", value=20)
    services.value_set(actor=None, unit=fed.gl2, indicator=talks, period="2024", value=9)
    services.target_set(actor=fed.thanhpho, unit=fed.gl, indicator=talks, period="2024", value=24)
    services.indicator_upsert(actor=None, code="AB", name="Bản xếp loại A, B", unit="bản")
    services.indicator_upsert(actor=None, code="XL", name="Bản đã xếp loại", unit="bản")
    services.indicator_upsert(
        actor=None,
        code="TL_AB",
        name="Tỷ lệ xếp loại A, B",
        aggregation="ratio",
        numerator="AB",
        denominator="XL",
        decimals=1,
        standard=True,
        sort_order=1000,
    )
    services.value_set(actor=None, unit=fed.dd1, indicator=_ind("AB"), period="2024", value=98)
    services.value_set(actor=None, unit=fed.dd1, indicator=_ind("XL"), period="2024", value=131)
    return fed


def test_pages_need_a_login(fed) -> None:
    for url in ("/chi-tieu/", "/chi-tieu/giao/", "/chi-tieu/nhap/", "/chi-tieu/TUYEN_TRUYEN/"):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_dashboard_shows_value_target_and_achievement_in_vietnamese(figures) -> None:
    """A card per standard indicator: "29/24 buổi — đạt 120,83%" with a progress bar; a share "74,81%"."""
    response = _client(figures.thanhpho).get("/chi-tieu/?period=2024")
    text = _text(response)
    assert response.status_code == 200
    assert "Chỉ tiêu năm 2024" in text
    assert "29/24 buổi — đạt 120,83%" in text
    assert 'aria-valuenow="100"' in text  # the bar is full (capped at 100 %)
    assert "74,81%" in text and "98/131" in text
    # Drill-down: an entered figure opens the values under the unit; a computed one the records' list.
    assert "/chi-tieu/so-lieu/?unit=HN&amp;indicator=TUYEN_TRUYEN&amp;period=2024" in text
    assert "/chi-tieu/ban-ghi/?unit=HN&amp;indicator=" in text


def test_dashboard_defaults_to_this_year_and_to_the_last_day_year_for_an_ended_unit(figures) -> None:
    response = _client(figures.thanhpho).get("/chi-tieu/")
    assert response.status_code == 200
    assert re.search(r"Chỉ tiêu năm 20\d\d", _text(response))
    response = _client(figures.gialam).get("/chi-tieu/")
    text = _text(response)
    assert response.status_code == 200
    assert "Chỉ tiêu năm 2025" in text
    assert "đã chấm dứt từ 30/06/2025 — số liệu đến 29/06/2025" in text


def test_achievement_by_child_unit_sorts_and_marks_ended_units(figures) -> None:
    client = _client(figures.thanhpho)
    response = client.get("/chi-tieu/TUYEN_TRUYEN/?period=2024&unit=HN")
    text = _text(response)
    assert response.status_code == 200
    assert "LĐLĐ huyện Gia Lâm" in text and "120,83%" in text
    assert 'id="chart-data"' in text and "vendor/chartjs/chart.umd.min.js" in text
    # Sorted by achievement, descending: Gia Lâm (120,83%) first, Đống Đa (no target) after it.
    response = client.get("/chi-tieu/TUYEN_TRUYEN/?period=2024&unit=HN&sort=-achievement")
    text = _text(response)
    assert text.index("LĐLĐ huyện Gia Lâm") < text.index("LĐLĐ quận Đống Đa")
    response = client.get("/chi-tieu/TUYEN_TRUYEN/?period=2024&unit=HN&sort=value")
    text = _text(response)
    assert text.index("LĐLĐ quận Đống Đa") < text.index("LĐLĐ huyện Gia Lâm")
    # 2025: the districts ended on 30/06/2025 and say so.
    response = client.get("/chi-tieu/TUYEN_TRUYEN/?period=2025&unit=HN")
    assert _text(response).count("đã chấm dứt từ 30/06/2025 — số liệu đến 29/06/2025") == 2


def test_achievement_table_exports_xlsx_and_logs_it(figures) -> None:
    response = _client(figures.thanhpho).get("/chi-tieu/TUYEN_TRUYEN/?period=2024&unit=HN&xuat=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(response.getvalue())).active.iter_rows(values_only=True))
    assert rows[1][0] == "Mã đơn vị"
    by_code = {r[0]: r for r in rows[2:]}
    assert by_code["HN"][2] == 29 and by_code["GL"][3] == 24 and by_code["GL"][6] == "120,83%"
    assert AuditEntry.objects.filter(
        action="export", object_type="export.chi-tieu-tuyen_truyen-2024"
    ).exists()


def test_pages_answer_404_outside_the_scope(figures) -> None:
    kimlien = _client(figures.kimlien)
    assert kimlien.get("/chi-tieu/TUYEN_TRUYEN/?period=2024&unit=GL").status_code == 404
    assert kimlien.get("/chi-tieu/?unit=DD").status_code == 404
    assert kimlien.get("/chi-tieu/so-lieu/?indicator=TUYEN_TRUYEN&unit=HN&period=2024").status_code == 404
    assert kimlien.get("/chi-tieu/giao/?unit=HN").status_code == 404
    assert _client(figures.thanhpho).get("/chi-tieu/KHONG_CO/").status_code == 404
    assert kimlien.get("/chi-tieu/").status_code == 200


def test_entered_figure_drills_down_to_its_values(figures) -> None:
    response = _client(figures.thanhpho).get("/chi-tieu/so-lieu/?unit=GL&indicator=TUYEN_TRUYEN&period=2024")
    text = _text(response)
    assert response.status_code == 200
    assert "CĐCS Công ty May Gia Lâm" in text and "CĐCS Trường THCS Đặng Xá" in text
    assert "CĐCS Bệnh viện Đống Đa" not in text
    assert '<th class="text-end">29</th>' in text


# -- targets grid ---------------------------------------------------------------------------------------

GRID = "/chi-tieu/giao/?unit=HN&period=2026&ind=TUYEN_TRUYEN&ind=TL_AB"


def test_targets_grid_lists_the_children_at_the_period_start_and_saves(figures) -> None:
    client = _client(figures.thanhpho)
    response = client.get(GRID)
    text = _text(response)
    assert response.status_code == 200
    assert "Công đoàn phường Kim Liên" in text and "CĐCS Trường THCS Đặng Xá" in text
    assert "LĐLĐ huyện Gia Lâm" not in text  # ended in 2025
    response = client.post(
        GRID,
        {"action": "save", "t__KL__TUYEN_TRUYEN": "1.250", "t__KL__TL_AB": "70", "t__GL2__TUYEN_TRUYEN": ""},
    )
    assert response.status_code == 302
    assert Target.objects.get(unit=figures.kl, indicator__code="TUYEN_TRUYEN", period="2026").value == 1250
    assert Target.objects.get(unit=figures.kl, indicator__code="TL_AB", period="2026").value == Decimal("0.7")
    text = _text(client.get(GRID))
    assert 'value="1.250"' in text and 'value="70"' in text
    assert "Đã lưu 2 chỉ tiêu giao cho năm 2026." in text


def test_targets_grid_errors_are_shown_by_the_cell_and_nothing_is_saved(figures) -> None:
    client = _client(figures.thanhpho)
    response = client.post(
        GRID,
        {
            "action": "save",
            "t__KL__TUYEN_TRUYEN": "12",
            "t__GL2__TUYEN_TRUYEN": "mười",
            "t__KL__TL_AB": "170",
        },
    )
    text = _text(response)
    assert response.status_code == 200
    assert "Số không hợp lệ: «mười»" in text
    assert "Tỷ lệ không được vượt quá 100%." in text
    assert "Không chỉ tiêu nào được thay đổi" in text
    assert not Target.objects.filter(period="2026").exists()


def test_a_unit_cannot_hand_targets_to_itself_nor_can_a_viewer(figures) -> None:
    response = _client(figures.kimlien).post(
        "/chi-tieu/giao/?unit=KL&period=2026&ind=TUYEN_TRUYEN",
        {"action": "save", "t__DD1__TUYEN_TRUYEN": "3"},
    )
    assert response.status_code == 302  # KL hands targets to its CĐCS
    assert Target.objects.get(unit=figures.dd1, period="2026").value == 3
    viewer = _client(figures.viewer)
    assert "Bạn chỉ xem được chỉ tiêu đã giao." in _text(viewer.get(GRID))
    # A read-only user's POST is refused before the grid is read (the write sweep's rule).
    assert viewer.post(GRID, {"action": "save", "t__KL__TUYEN_TRUYEN": "5"}).status_code == 404
    assert not Target.objects.filter(unit=figures.kl).exists()


def _xlsx(rows: list[list]) -> BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(["unit_code", "indicator_code", "period", "kind", "value"])
    for row in rows:
        ws.append(row)
    buffer = BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "chi-tieu-2026.xlsx"
    return buffer


@pytest.fixture
def media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"  # the import jobs store their uploads here


def test_targets_upload_with_errors_is_a_job_listing_them_by_row_and_column(figures, media) -> None:
    client = _client(figures.thanhpho)
    bad = _xlsx(
        [
            ["KL", "TUYEN_TRUYEN", "2026", "target", 10],
            ["XX", "TUYEN_TRUYEN", "2026", "target", 10],
            ["GL2", "TUYEN_TRUYEN", "2026Q5", "target", 4],
        ]
    )
    response = client.post(GRID, {"action": "import", "file": bad})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert (job.kind, job.status, job.error_count, job.user) == ("values", "invalid", 2, figures.thanhpho)
    assert job.return_url == GRID

    text = _text(client.get(response["Location"]))
    assert "Tệp có 2 lỗi; chưa nhập dòng nào." in text
    errors = re.findall(r"<tr><td[^>]*>(\d+)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", text)
    assert ("3", "unit_code", "Không tìm thấy đơn vị «XX».") in errors
    assert any(row == "4" and column == "period" for row, column, _ in errors)
    assert f'href="{GRID.replace("&", "&amp;")}"' in text  # back to the grid to upload again
    assert not Target.objects.filter(period="2026").exists()


def test_targets_upload_previews_then_commits_through_the_job(figures, media) -> None:
    client = _client(figures.thanhpho)
    services.target_set(
        actor=figures.thanhpho, unit=figures.kl, indicator=_ind("TUYEN_TRUYEN"), period="2026", value=8
    )
    good = _xlsx(
        [
            ["KL", "TUYEN_TRUYEN", "2026", "target", 10],
            ["GL2", "TL_AB", "2026", "target", 70],
        ]
    )
    audits = AuditEntry.objects.count()
    response = client.post(GRID, {"action": "import", "file": good})
    job = ImportJob.objects.get()
    assert response["Location"] == job.get_absolute_url()
    # The preview: counts of what would be written, and nothing written yet.
    assert job.errors == []
    assert (job.status, job.created_count, job.updated_count, job.unchanged_count) == ("validated", 1, 1, 0)
    assert Target.objects.get(unit=figures.kl, period="2026").value == 8
    assert not Target.objects.filter(unit=figures.gl2, period="2026").exists()
    assert AuditEntry.objects.count() == audits
    text = _text(client.get(job.get_absolute_url()))
    assert "Sẽ tạo mới 1, cập nhật 1, không đổi 0." in text

    response = client.post(reverse("imports:commit", args=[job.pk]), follow=True)
    job.refresh_from_db()
    assert job.status == "done" and (job.created_count, job.updated_count) == (1, 1)
    assert Target.objects.get(unit=figures.kl, period="2026").value == 10
    assert Target.objects.get(unit=figures.gl2, period="2026").value == Decimal("0.7")
    assert AuditEntry.objects.filter(action="import", object_type="import.values").count() == 1
    text = _text(response)
    assert "Quay lại trang chỉ tiêu giao" in text and f'href="{GRID.replace("&", "&amp;")}"' in text


def test_targets_upload_outside_the_scope_is_refused_by_row(figures, media) -> None:
    """Kim Liên's officer hands targets to Gia Lâm's CĐCS: the row reads as an unknown unit."""
    client = _client(figures.kimlien)
    url = "/chi-tieu/giao/?unit=KL&period=2026&ind=TUYEN_TRUYEN"
    client.post(url, {"action": "import", "file": _xlsx([["GL2", "TUYEN_TRUYEN", "2026", "target", 4]])})
    job = ImportJob.objects.get()
    assert job.status == "invalid"
    assert job.errors == [{"row": 2, "column": "unit_code", "message": "Không tìm thấy đơn vị «GL2»."}]
    assert not Target.objects.filter(period="2026").exists()


def test_targets_upload_by_a_viewer_creates_no_job(figures, media) -> None:
    _client(figures.viewer).post(
        GRID, {"action": "import", "file": _xlsx([["KL", "TUYEN_TRUYEN", "2026", "target", 1]])}
    )
    assert not ImportJob.objects.exists()


def test_targets_template_is_prefilled_with_the_grid(figures) -> None:
    services.target_set(
        actor=figures.thanhpho, unit=figures.kl, indicator=_ind("TL_AB"), period="2026", value="0.7"
    )
    response = _client(figures.thanhpho).get(
        "/chi-tieu/giao/mau/?unit=HN&period=2026&ind=TUYEN_TRUYEN&ind=TL_AB"
    )
    rows = list(load_workbook(BytesIO(response.getvalue())).active.iter_rows(values_only=True))
    assert rows[0] == ("unit_code", "indicator_code", "period", "kind", "value")
    assert ("KL", "TL_AB", "2026", "target", 70) in rows
    assert ("GL2", "TUYEN_TRUYEN", "2026", "target", None) in rows


# -- data entry -----------------------------------------------------------------------------------------

ENTRY = "/chi-tieu/nhap/?form=BC_HDCD&unit=DD1&period=2026"


def test_data_entry_save_submit_approve_and_lock(figures) -> None:
    cdcs = _client(figures.cdcs)
    response = cdcs.get(ENTRY)
    assert response.status_code == 200 and "Báo cáo hoạt động công đoàn" in _text(response)
    response = cdcs.post(
        ENTRY,
        {"action": "save", "TRO_CAP_NGUOI": "12", "TRO_CAP_TIEN": "1 tỷ 250 triệu", "TUYEN_TRUYEN": "x"},
    )
    assert "Số không hợp lệ: «x»" in _text(response)
    assert not DataValue.objects.filter(unit=figures.dd1, period="2026").exists()
    # Submitting with a missing value is refused (values are kept), then completed and submitted.
    cdcs.post(ENTRY, {"action": "submit", "TRO_CAP_NGUOI": "12", "TRO_CAP_TIEN": "1 tỷ 250 triệu"})
    assert DataValue.objects.get(unit=figures.dd1, indicator__code="TRO_CAP_TIEN").value == 1_250_000_000
    assert "Chưa nhập đủ số liệu" in _text(cdcs.get(ENTRY))
    response = cdcs.post(ENTRY, {"action": "submit", "TUYEN_TRUYEN": "4"}, follow=True)
    assert "Đã gửi báo cáo" in _text(response)
    submission = Submission.objects.get(unit=figures.dd1, period="2026")
    assert submission.status == "submitted"
    # The CĐCS cannot approve its own report; the ward union above it can.
    assert 'value="approve"' not in _text(cdcs.get(ENTRY))
    cdcs.post(ENTRY, {"action": "approve"})
    assert Submission.objects.get(pk=submission.pk).status == "submitted"
    kimlien = _client(figures.kimlien)
    assert 'value="approve"' in _text(kimlien.get(ENTRY))
    response = kimlien.post(ENTRY, {"action": "approve"}, follow=True)
    assert "số liệu đã được khóa" in _text(response)
    # Approved: read-only with a lock notice; a POST changes nothing.
    text = _text(cdcs.get(ENTRY))
    assert "đã khóa, không sửa được" in text and 'value="save"' not in text and "disabled" in text
    cdcs.post(ENTRY, {"action": "save", "TUYEN_TRUYEN": "99"})
    assert DataValue.objects.get(unit=figures.dd1, indicator__code="TUYEN_TRUYEN").value == 4


def test_data_entry_answers_404_outside_the_scope(figures) -> None:
    assert _client(figures.cdcs).get("/chi-tieu/nhap/?unit=GL1&period=2026").status_code == 404
    assert _client(figures.cdcs).get("/chi-tieu/nhap/?form=KHONG&unit=DD1").status_code == 404
    assert ReportForm.objects.filter(code="BC_HDCD").exists()


def test_drill_down_lists_exactly_the_records_counted(fed, client) -> None:
    """A count of CĐCS opens those CĐCS; an out-of-scope unit is 404."""
    client.force_login(fed.thanhpho)
    url = "/chi-tieu/ban-ghi/?indicator=CDCS_TONG&unit=GL&period=2024"
    text = client.get(url).content.decode()
    assert "Có <strong>2</strong>" in text
    assert "CĐCS Công ty May Gia Lâm" in text and "CĐCS Trường THCS Đặng Xá" in text
    assert "CĐCS Bệnh viện Đống Đa" not in text
    client.force_login(fed.kimlien)
    assert client.get(url).status_code == 404
