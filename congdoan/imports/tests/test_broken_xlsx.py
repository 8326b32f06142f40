"""An XLSX whose zip header understates a sheet's size passes the zip-bomb checks, then calamine fails
while inflating the sheet (``XmlError``): a clear Vietnamese refusal, never a 500."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from congdoan.conftest import Federation
from congdoan.imports.reader import Column, ImportFailed, open_table
from congdoan.org.models import OrgUnit

SHEET = b"xl/worksheets/sheet1.xml"


def understated_xlsx(declared_size: int = 100) -> bytes:
    """A units workbook whose sheet claims (in both zip headers) to inflate to ``declared_size`` bytes."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["code", "name", "type", "parent_code"])
    for i in range(50):
        sheet.append([f"U{i}", f"CĐCS số {i}", "CDCS", "HN"])
    buffer = io.BytesIO()
    book.save(buffer)
    data = bytearray(buffer.getvalue())
    # (signature, offset of the name-length field, offset of the name, offset of the uncompressed size)
    headers = ((b"PK\x03\x04", 26, 30, 22), (b"PK\x01\x02", 28, 46, 24))  # local, central directory
    for signature, name_len_at, name_at, size_at in headers:
        start = data.find(signature)
        while start >= 0:
            length = struct.unpack_from("<H", data, start + name_len_at)[0]
            if bytes(data[start + name_at : start + name_at + length]) == SHEET:
                struct.pack_into("<I", data, start + size_at, declared_size)
            start = data.find(signature, start + 4)
    return bytes(data)


def test_the_reader_refuses_an_understated_sheet_in_vietnamese(tmp_path: Path) -> None:
    path = tmp_path / "don-vi.xlsx"
    path.write_bytes(understated_xlsx())
    with pytest.raises(ImportFailed) as caught:
        with open_table(path, [Column("code", "Mã"), Column("name", "Tên")]) as table:
            list(table.rows())
    message = str(caught.value)
    assert "Tệp bảng tính «don-vi.xlsx» bị hỏng" in message
    assert "Sheet" in message and "CSV UTF-8" in message


@pytest.mark.django_db
def test_the_api_answers_400_with_the_error_and_imports_nothing(fed: Federation) -> None:
    client = APIClient()
    client.force_authenticate(fed.kimlien)
    upload = SimpleUploadedFile("don-vi.xlsx", understated_xlsx())
    response = client.post("/api/v1/imports/", {"kind": "units", "file": upload}, format="multipart")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["status"] == "invalid"
    assert "bị hỏng" in body["errors"][0]["message"]
    assert not OrgUnit.objects.filter(code="U1").exists()
