"""Roster exports: XLSX and PDF are scoped to the filter, masked by role, neutralised, logged and audited."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from congdoan.core.formatting import format_date
from congdoan.core.models import AuditEntry
from congdoan.members import exports, services
from congdoan.members.models import AccessLog

d = dt.date
pytestmark = pytest.mark.django_db
URL = "/doan-vien/"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith('attachment; filename="doan-vien-')
    return list(load_workbook(BytesIO(response.getvalue())).active.iter_rows(values_only=True))


def _pdf_text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(BytesIO(response.getvalue()))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def roster(fed):
    def admit(cdcs, name, **extra):
        return services.member_admit(actor=None, cdcs=cdcs, join_date=d(2024, 3, 1), full_name=name, **extra)

    return {
        "huong": admit(
            fed.gl1,
            "Nguyễn Thị Hương",
            gender="F",
            birth_date=d(1995, 3, 2),
            cccd="001195012345",
            phone="0912345678",
            card_number="=1+2",
        ),
        "dung": admit(fed.gl1, "Đặng Văn Dũng", gender="M", birth_date=d(1988, 8, 8), card_number="@SUM(A1)"),
        "an": admit(
            fed.dd1,
            "Trần Văn An",
            gender="M",
            birth_date=d(1990, 12, 24),
            cccd="001090001234",
            phone="0987654321",
            card_number="-5",
        ),
        "duc": admit(fed.gl2, "Phạm Minh Đức", gender="M", birth_date=d(1970, 1, 1)),
    }


def test_xlsx_roster_is_scoped_masked_and_neutralised(fed, roster) -> None:
    rows = _rows(_client(fed.kimlien).get(URL, {"xuat": "xlsx"}))
    assert rows[0][0] == "DANH SÁCH ĐOÀN VIÊN"
    assert rows[1][0] == "Đơn vị: Công đoàn phường Kim Liên"
    assert rows[2][0] == "Ngày xuất: " + format_date(timezone.localdate())
    header = rows.index(
        ("STT", "Họ và tên", "Ngày sinh", "Giới tính", "CCCD", "Điện thoại", "CĐCS", "Ngày vào CĐ", "Số thẻ")
    )
    body = rows[header + 1 :]
    # Vietnamese order by given name: An, Dũng, Hương; Đức (GL2) is not the ward's.
    assert [r[1] for r in body] == ["Trần Văn An", "Đặng Văn Dũng", "Nguyễn Thị Hương"]
    assert [r[0] for r in body] == [1, 2, 3]
    huong = body[2]
    assert huong[2:6] == ("**/**/1995", "Nữ", "001******345", "091****678")
    assert huong[6] == "CĐCS Công ty May Gia Lâm" and huong[7].date() == d(2024, 3, 1)
    assert [r[8] for r in body] == ["'-5", "'@SUM(A1)", "'=1+2"]  # never evaluated as formulas
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.rows) == (fed.kimlien, "export", 3)
    entry = AuditEntry.objects.get(action="export")
    assert entry.object_type == "export.members" and entry.actor == fed.kimlien
    assert entry.after == {"rows": 3, "filters": {"status": "active"}}


def test_xlsx_for_a_role_that_may_see_personal_data(fed, roster) -> None:
    rows = _rows(_client(fed.cdcs).get(URL, {"xuat": "xlsx"}))
    body = rows[rows.index(next(r for r in rows if r and r[0] == "STT")) + 1 :]
    assert len(body) == 1
    assert body[0][1] == "Trần Văn An" and body[0][2].date() == d(1990, 12, 24)
    assert body[0][3:6] == ("Nam", "001090001234", "0987654321")
    assert rows[1][0] == "Đơn vị: CĐCS Bệnh viện Đống Đa"


def test_xlsx_follows_the_current_filter(fed, roster) -> None:
    client = _client(fed.kimlien)
    rows = _rows(client.get(URL, {"xuat": "xlsx", "unit": "GL1", "q": "dung"}))
    names = [r[1] for r in rows[5:]]
    assert names == ["Đặng Văn Dũng"]
    assert rows[1][0] == "Đơn vị: CĐCS Công ty May Gia Lâm"
    log = AccessLog.objects.get()
    assert log.unit == fed.gl1 and "unit=GL1" in log.detail and "q=dung" in log.detail and log.rows == 1
    # An out-of-scope unit exports nothing: the list page shows the error instead.
    response = client.get(URL, {"xuat": "xlsx", "unit": "GL2"})
    assert response["Content-Type"].startswith("text/html")
    assert "Không tìm thấy đơn vị có mã «GL2»" in response.content.decode()
    assert AccessLog.objects.count() == 1


def test_pdf_roster_has_vietnamese_text_scope_and_page_numbers(fed, roster) -> None:
    response = _client(fed.kimlien).get(URL, {"xuat": "pdf", "unit": "KL"})
    assert response["Content-Disposition"].startswith('attachment; filename="danh-sach-doan-vien-')
    text = _pdf_text(response)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "DANH SÁCH ĐOÀN VIÊN",
        "CÔNG ĐOÀN PHƯỜNG KIM LIÊN",
        "Nguyễn Thị Hương",
        "Đặng Văn Dũng",
        "Trần Văn An",
        "CĐCS Công ty May Gia Lâm",
        "001******345",
        "**/**/1995",
        "Trang 1/1",
        "Tổng số: 3 đoàn viên",
    ):
        assert expected in text, expected
    assert "Phạm Minh Đức" not in text and "001195012345" not in text
    assert AccessLog.objects.get().rows == 3
    assert AuditEntry.objects.get(action="export").object_repr == "Danh sách đoàn viên (PDF)"


def test_pdf_repeats_over_pages(fed) -> None:
    givens = ["Anh", "Bảo", "Cường", "Dung", "Giao", "Hải", "Hằng", "Khoa", "Linh", "Mỹ"]
    for i in range(60):
        services.member_admit(
            actor=None,
            cdcs=fed.dd1,
            join_date=d(2024, 1, 1),
            full_name=f"Võ Thị {givens[i % 10]}",
            gender="F",
        )
    text = _pdf_text(_client(fed.cdcs).get(URL, {"xuat": "pdf"}))
    assert "Trang 1/2" in text and "Trang 2/2" in text
    assert text.count("Họ và tên") == 2  # the table heading on each page
    assert "Tổng số: 60 đoàn viên" in text


def test_pdf_refuses_a_roster_too_big_to_print(fed, roster, monkeypatch) -> None:
    monkeypatch.setattr(exports, "PDF_MAX_ROWS", 2)
    client = _client(fed.kimlien)
    response = client.get(URL, {"xuat": "pdf", "status": "active"})
    assert response.status_code == 302 and response["Location"] == URL + "?status=active"
    text = client.get(response["Location"]).content.decode()
    assert (
        "Danh sách có 3 đoàn viên, quá nhiều để in (tối đa 2). Hãy lọc theo đơn vị hoặc xuất Excel." in text
    )
    assert not AccessLog.objects.exists() and not AuditEntry.objects.filter(action="export").exists()
    assert "Trần Văn An" in _pdf_text(client.get(URL, {"xuat": "pdf", "gender": "M"}))
