"""The page /kiem-tra-so-lieu/: paste or upload, every figure highlighted with its explanation; the
unit picker offers only the user's units and a foreign unit is 404."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from congdoan.reports.tests.conftest import build_report_data

from .files import docx_bytes, scanned_pdf_bytes

pytestmark = pytest.mark.django_db
URL = "/kiem-tra-so-lieu/"
TEXT = (
    "Năm 2024, toàn huyện ký kết mới 5/4 bản thỏa ước lao động tập thể, đạt 125% chỉ tiêu; "
    "có 98/131 bản xếp loại A, B (78,4%); đối thoại tại 145/160 doanh nghiệp (90,62%); "
    "hỗ trợ 2.703 lượt NLĐ."
)


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_the_url_and_the_menu_link(fed) -> None:  # type: ignore[no-untyped-def]
    assert reverse("figures:check") == URL
    page = _client(fed.kimlien).get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'href="{URL}"' in html and "Kiểm tra số liệu" in html
    assert 'id="fig-legend"' in html  # the colours are explained before any check


def test_pasted_text_is_shown_with_every_figure_highlighted(fed) -> None:  # type: ignore[no-untyped-def]
    html = _client(fed.kimlien).post(URL, {"text": TEXT}).content.decode()
    figures = re.findall(r'<a class="fig fig-(\w+)" href="#claim-(\d+)" id="fig-\d+" title="([^"]*)"', html)
    assert [(verdict, number) for verdict, number, _ in figures] == [
        ("ok", "1"),
        ("wrong", "2"),
        ("rounding", "3"),
        ("unchecked", "4"),
    ]
    assert figures[1][2].startswith("Sai: 98/131 = 74,8%, không phải «78,4%».")
    # The explanation is also visible below the text (a tap jumps there), with the right value.
    assert 'id="claim-2"' in html and "Số đúng: <strong>74,8%</strong>" in html
    assert "4</strong> con số" in html


def test_upload_with_a_unit_compares_with_the_records_and_links_them(fed) -> None:  # type: ignore[no-untyped-def]
    build_report_data(fed)
    upload = SimpleUploadedFile("bao-cao.docx", docx_bytes([TEXT]))
    html = _client(fed.gialam).post(URL, {"file": upload, "unit": "GL", "period": "2024"}).content.decode()
    assert "Khớp số liệu «Thỏa ước lao động tập thể ký mới» của LĐLĐ huyện Gia Lâm năm 2024" in html
    assert "Xem các bản ghi của số liệu trên hệ thống" in html
    assert "/chi-tieu/ban-ghi/?unit=GL&amp;indicator=TU_KY_MOI&amp;period=2024" in html


def test_the_unit_picker_offers_only_units_in_scope(fed) -> None:  # type: ignore[no-untyped-def]
    build_report_data(fed)
    html = _client(fed.kimlien).get(URL).content.decode()
    options = re.findall(r'<option value="([^"]*)"', html)
    assert set(options) == {"", "KL", "GL1", "DD1"}
    html = _client(fed.cdcs).get(URL).content.decode()
    assert set(re.findall(r'<option value="([^"]*)"', html)) == {"", "DD1"}


def test_a_foreign_unit_is_404(fed) -> None:  # type: ignore[no-untyped-def]
    build_report_data(fed)
    officer = _client(fed.kimlien)
    assert officer.post(URL, {"text": TEXT, "unit": "GL2", "period": "2024"}).status_code == 404
    assert officer.get(URL + "?unit=GL2&period=2024").status_code == 404
    assert officer.post(URL, {"text": TEXT, "unit": "NOPE", "period": "2024"}).status_code == 404
    assert _client(fed.cdcs).post(URL, {"text": TEXT, "unit": "GL1", "period": "2024"}).status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Hãy dán nội dung báo cáo hoặc tải lên một tệp."),
        ({"text": "   "}, "Hãy dán nội dung báo cáo hoặc tải lên một tệp."),
        ({"text": TEXT, "unit": "KL"}, "Chọn đơn vị thì cần nhập kỳ báo cáo để đối chiếu."),
        ({"text": TEXT, "period": "2024"}, "Nhập kỳ báo cáo thì cần chọn đơn vị để đối chiếu."),
        ({"text": TEXT, "unit": "KL", "period": "2024X"}, "Kỳ"),
    ],
)
def test_form_errors_are_shown_per_field(fed, data, message) -> None:  # type: ignore[no-untyped-def]
    page = _client(fed.kimlien).post(URL, data)
    assert page.status_code == 200
    assert message in page.content.decode()
    assert 'id="fig-text"' not in page.content.decode()


def test_bad_files_get_clear_messages(fed) -> None:  # type: ignore[no-untyped-def]
    officer = _client(fed.kimlien)
    scan = SimpleUploadedFile("scan.pdf", scanned_pdf_bytes())
    html = officer.post(URL, {"file": scan}).content.decode()
    assert "cần nhận dạng chữ (OCR)" in html
    empty = SimpleUploadedFile("rong.txt", b"")
    html = officer.post(URL, {"file": empty}).content.decode()
    assert "rỗng" in html or "Tệp gửi lên rỗng" in html


def test_legacy_encoding_and_english_decimals_are_announced(fed) -> None:  # type: ignore[no-untyped-def]
    text = "C«ng ®oµn thµnh phè ®· hç trî 2.703 l­ît, ®¹t 74.8% kÕ ho¹ch."
    html = _client(fed.kimlien).post(URL, {"text": text}).content.decode()
    assert "bảng mã TCVN3" in html
    assert "dấu chấm thập phân kiểu tiếng Anh" in html
