"""``congdoan import care-cases``: a good file, a file with errors by row and column that changes
nothing, the same file twice; the bank file and the signed cash list opened as real files."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from congdoan.care import care_import, services
from congdoan.care.models import Case, CaseState
from congdoan.core.models import AuditEntry

from .conftest import CareSetup, cccd

HEADER = "Mã chương trình,Mã đơn vị,Họ và tên,Số CCCD,Số tiền,Số tài khoản,Ngân hàng\n"


def write(tmp_path: Path, lines: list[str], name: str = "tet.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def good_lines() -> list[str]:
    return [
        f"TET2026,GL1,Nguyễn Văn An,{cccd(1)},500.000,0011223344,Vietcombank",
        f"TET2026,DD1,Trần Thị Bình,{cccd(2)},500000,,",
        f"TET2026,GL2,Lê Văn Cường,{cccd(3)},1 triệu,12345678,BIDV",
    ]


def test_a_good_file_then_the_same_file_again(care: CareSetup, tmp_path: Path) -> None:
    path = write(tmp_path, good_lines())
    result = care_import.import_cases(actor=care.fed.thanhpho, path_or_file=path)
    assert result.ok and result.created == 3
    assert Case.objects.get(cccd=cccd(3)).amount == 1_000_000
    again = care_import.import_cases(actor=care.fed.thanhpho, path_or_file=path)
    assert again.ok and again.created == 0 and again.unchanged == 3
    assert Case.objects.count() == 3
    assert AuditEntry.objects.filter(object_type="import.care-cases").count() == 2


def test_every_error_with_row_and_column_and_nothing_stored(care: CareSetup, tmp_path: Path) -> None:
    lines = [
        *good_lines(),
        f"TET2026,GL1,Nguyen Van An,{cccd(1)},500000,,",  # the same person, another spelling
        f"TET2026,GL1,Phạm Văn Dũng,{cccd(4)},500000.5,,",  # not whole đồng
        f"TET2026,GL1,Hồ Thị Em,{cccd(5)},500000,12AB34,ACB",  # account not digits
        f"TET2026,GL2,Vũ Văn Giang,{cccd(6)},1200000,,",  # over the cap
        f"TET2026,XX9,Đặng Văn Hùng,{cccd(7)},500000,,",  # unknown unit
        f"TET2099,GL1,Bùi Thị Ích,{cccd(8)},500000,,",  # unknown campaign
        "TET2026,GL1,Ngô Văn Khoa,12345,500000,,",  # bad CCCD
    ]
    result = care_import.import_cases(actor=care.fed.thanhpho, path_or_file=write(tmp_path, lines))
    assert not result.ok and result.created == 0
    found = {(e.row, e.column) for e in result.errors}
    assert found == {
        (5, "Số CCCD"),
        (6, "Số tiền"),
        (7, "Số tài khoản"),
        (8, "Số tiền"),
        (9, "Mã đơn vị"),
        (10, "Mã chương trình"),
        (11, "Số CCCD"),
    }
    assert "đã có hồ sơ trong chương trình này" in str(result.errors[0])
    assert not Case.objects.exists()


def test_rows_out_of_the_importers_scope_read_as_unknown_units(care: CareSetup, tmp_path: Path) -> None:
    result = care_import.import_cases(actor=care.fed.kimlien, path_or_file=write(tmp_path, good_lines()))
    assert [(e.row, e.column) for e in result.errors] == [(4, "Mã đơn vị")]
    assert not Case.objects.exists()


def test_the_cli_and_the_bank_file_and_the_cash_list(care: CareSetup, tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("import", "care-cases", str(write(tmp_path, good_lines())), stdout=out, stderr=io.StringIO())
    assert Case.objects.count() == 3
    services.cases_approve_batch(actor=care.fed.thanhpho, campaign=care.campaign, unit=care.fed.hn)
    client = Client()
    client.force_login(care.fed.kimlien)  # Kim Liên: GL1 and DD1, not GL2
    response = client.get(reverse("care:bank_file", args=[care.campaign.pk]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:5] == ("STT", "Số tài khoản", "Tên người thụ hưởng", "Ngân hàng thụ hưởng", "Số tiền")
    assert rows[1][:5] == (1, "0011223344", "NGUYEN VAN AN", "Vietcombank", 500000)
    assert len(rows) == 2  # GL2's case is not Kim Liên's
    response = client.get(reverse("care:bank_file", args=[care.campaign.pk]) + "?format=csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[1][1] == "0011223344"
    response = client.get(reverse("care:cash_list", args=[care.campaign.pk]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[2][-1] == "Ký nhận"
    assert rows[3][1] == "Trần Thị Bình" and rows[3][2].endswith("0002")
    assert AuditEntry.objects.filter(object_type__startswith="export.care").count() == 3


def test_cli_export_command(care: CareSetup, tmp_path: Path) -> None:
    call_command(
        "import", "care-cases", str(write(tmp_path, good_lines())), stdout=io.StringIO(), stderr=io.StringIO()
    )
    services.cases_approve_batch(actor=None, campaign=care.campaign, unit=care.fed.hn)
    target = tmp_path / "chi-ho.csv"
    out = io.StringIO()
    call_command("care_export", "TET2026", "--bank", "--output", str(target), stdout=out)
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 3 and "2 dòng" in out.getvalue()
    assert Case.objects.filter(state=CaseState.APPROVED).count() == 3


@pytest.mark.parametrize("value", ["500.000,5", "abc"])
def test_amount_cells(value: str) -> None:
    with pytest.raises(ValueError):
        care_import.cell_amount(value)


def test_the_signed_cash_list_as_pdf(care: CareSetup, tmp_path: Path) -> None:
    """The PDF opened with pypdf: the names, masked CCCDs, the total in words and the signature lines;
    ``?unit=`` narrows it to a unit's subtree, a unit out of scope is 404; the CLI writes it too."""
    from pypdf import PdfReader

    call_command(
        "import", "care-cases", str(write(tmp_path, good_lines())), stdout=io.StringIO(), stderr=io.StringIO()
    )
    line = f"TET2026,GL1,Phạm Thị Cúc 11,{cccd(11)},200.000,,"  # Kim Liên's third (and last) place
    call_command("import", "care-cases", str(write(tmp_path, [line], "11.csv")), stdout=io.StringIO())
    services.cases_approve_batch(actor=None, campaign=care.campaign, unit=care.fed.hn)
    client = Client()
    client.force_login(care.fed.kimlien)
    url = reverse("care:cash_list", args=[care.campaign.pk])

    def pdf_text(response: Any) -> str:
        reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
        return " ".join(p.extract_text() for p in reader.pages)

    response = client.get(url + "?format=pdf")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response)
    assert "DANH SÁCH KÝ NHẬN" in text and "Trần Thị Bình" in text and "Phạm Thị Cúc 11" in text
    assert cccd(2) not in text and cccd(2)[-4:] in text
    assert "Cộng: 2 người" in text and "700.000" in text and "Thủ trưởng đơn vị" in text
    text = pdf_text(client.get(url + "?format=pdf&unit=GL1"))
    assert "Cộng: 1 người" in text and "Trần Thị Bình" not in text
    assert client.get(url + "?format=pdf&unit=GL2").status_code == 404
    target = tmp_path / "ky-nhan.pdf"
    call_command("care_export", "TET2026", "--cash", "--output", str(target), stdout=io.StringIO())
    assert "Cộng: 2 người" in " ".join(p.extract_text() for p in PdfReader(str(target)).pages)
