"""The import pages and the import API through the test client."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from congdoan.conftest import Federation
from congdoan.imports.models import ImportJob
from congdoan.imports.tests.test_jobs import DELIBERATE_ERRORS, members_upload, units_upload
from congdoan.members.models import Person


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def upload(client: Client, **data: Any) -> Any:
    return client.post(reverse("imports:upload"), {"kind": "members", "sheet": "", **data})


# -- pages ----------------------------------------------------------------------------------------


def test_upload_preview_commit_result(client: Client, fed: Federation) -> None:
    login(client, fed.kimlien)
    page = client.get(reverse("imports:upload"))
    assert page.status_code == 200
    assert "Nhập dữ liệu từ tệp" in page.content.decode() and "Bạn chưa nhập tệp nào" in page.content.decode()

    response = upload(client, file=members_upload(25))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    html = client.get(job.get_absolute_url()).content.decode()
    assert "Sẽ tạo mới 25, cập nhật 0, không đổi 0" in html
    assert "Nhập dữ liệu</button>" in html and 'id="import-errors"' not in html

    response = client.post(reverse("imports:commit", args=[job.pk]))
    assert response.status_code == 302
    html = client.get(job.get_absolute_url()).content.decode()
    assert 'aria-valuenow="100"' in html and "Đã nhập xong 25 dòng" in html
    assert "hx-trigger" not in html  # finished: nothing polls
    assert Person.objects.count() == 25

    partial = client.get(reverse("imports:progress", args=[job.pk]))
    assert partial.status_code == 200 and "Đã nhập xong" in partial.content.decode()

    listing = client.get(reverse("imports:upload")).content.decode()
    assert "doan_vien.xlsx" in listing and "Hoàn tất" in listing

    # Committing twice is refused with a message, not a crash.
    again = client.post(reverse("imports:commit", args=[job.pk]))
    assert again.status_code == 400 and "không thể nhập lại" in again.content.decode()


def test_errors_listed_by_row_and_column(client: Client, fed: Federation) -> None:
    login(client, fed.kimlien)
    upload(client, file=members_upload(130, errors=True))
    job = ImportJob.objects.get()
    html = client.get(job.get_absolute_url()).content.decode()
    assert "Tệp có 12 lỗi; chưa nhập dòng nào" in html
    assert (
        '<th scope="col" class="text-end">Dòng</th><th scope="col">Cột</th><th scope="col">Lỗi</th>' in html
    )
    for index, column, _ in DELIBERATE_ERRORS:
        assert f'<td class="text-end">{index + 2}</td><td>{column}</td>' in html
    assert "Nhập dữ liệu</button>" not in html
    assert client.post(reverse("imports:commit", args=[job.pk])).status_code == 400
    assert Person.objects.count() == 0


def test_running_job_polls_every_second(client: Client, fed: Federation) -> None:
    login(client, fed.kimlien)
    upload(client, file=members_upload(3))
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING, phase="Đang ghi", progress_done=500, progress_total=1000
    )
    html = client.get(reverse("imports:progress", args=[job.pk])).content.decode()
    assert f'hx-get="{reverse("imports:progress", args=[job.pk])}"' in html
    assert 'hx-trigger="every 1s"' in html and 'aria-valuenow="75"' in html
    assert "Đang ghi: 500 / 1.000 dòng" in html


def test_sheet_choice(client: Client, fed: Federation) -> None:
    login(client, fed.kimlien)
    upload(client, file=members_upload(4, extra_sheet=True))
    job = ImportJob.objects.get()
    html = client.get(job.get_absolute_url()).content.decode()
    assert "Tệp có 2 trang tính" in html and "Hướng dẫn" in html
    bad = client.post(reverse("imports:choose_sheet", args=[job.pk]), {"sheet": "Không có"})
    assert bad.status_code == 400
    ok = client.post(reverse("imports:choose_sheet", args=[job.pk]), {"sheet": "Danh sách"})
    assert ok.status_code == 302
    assert "Sẽ tạo mới 4" in client.get(job.get_absolute_url()).content.decode()


def test_other_users_get_404_superuser_sees(client: Client, fed: Federation) -> None:
    login(client, fed.kimlien)
    upload(client, file=members_upload(2))
    job = ImportJob.objects.get()
    other = login(Client(), fed.thanhpho)
    for name in ("detail", "progress"):
        assert other.get(reverse(f"imports:{name}", args=[job.pk])).status_code == 404
    assert other.post(reverse("imports:commit", args=[job.pk])).status_code == 404
    assert other.post(reverse("imports:choose_sheet", args=[job.pk]), {"sheet": "x"}).status_code == 404
    assert "doan_vien.xlsx" not in other.get(reverse("imports:upload")).content.decode()
    admin = login(Client(), fed.admin)
    html = admin.get(job.get_absolute_url()).content.decode()
    assert "bởi kimlien" in html and "Nhập dữ liệu</button>" not in html
    assert admin.post(reverse("imports:commit", args=[job.pk])).status_code == 400


def test_viewer_sees_no_form_and_anonymous_is_sent_to_login(client: Client, fed: Federation) -> None:
    assert client.get(reverse("imports:upload")).status_code == 302
    login(client, fed.viewer)
    html = client.get(reverse("imports:upload")).content.decode()
    assert "Bạn không có quyền nhập dữ liệu" in html and 'id="upload-form"' not in html
    # A read-only user's upload is refused before the file is read (the write sweep's rule).
    assert upload(client, file=members_upload(2)).status_code == 404 and ImportJob.objects.count() == 0


def test_bad_file_type_shown_on_the_form(client: Client, fed: Federation) -> None:
    login(client, fed.kimlien)
    response = upload(client, file=members_upload(2, name="anh.png"))
    assert response.status_code == 200
    assert "không phải tệp CSV, XLSX, XLS hoặc ODS" in response.content.decode()


def test_broken_file_is_an_error_not_a_crash(client: Client, fed: Federation) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(client, fed.kimlien)
    upload(client, file=SimpleUploadedFile("hong.xlsx", b"PK\x03\x04 not a zip at all"))
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.INVALID
    assert "bị hỏng" in client.get(job.get_absolute_url()).content.decode()


# -- API ------------------------------------------------------------------------------------------


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_validate_then_commit(fed: Federation) -> None:
    client = api(fed.kimlien)
    url = "/api/v1/imports/"
    response = client.post(url, {"kind": "members", "file": members_upload(6)}, format="multipart")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "validated" and body["counts"] == {"created": 6, "updated": 0, "unchanged": 0}
    assert Person.objects.count() == 0

    response = client.post(
        url, {"kind": "members", "file": members_upload(6), "commit": "true"}, format="multipart"
    )
    body = response.json()
    assert response.status_code == 201 and body["status"] == "done" and body["percent"] == 100
    assert Person.objects.count() == 6

    detail = client.get(f"{url}{body['id']}/").json()
    assert detail["status"] == "done" and detail["counts"]["created"] == 6 and detail["errors"] == []
    assert detail["progress_done"] == detail["progress_total"] == 6
    assert [j["id"] for j in client.get(url).json()["results"]] == [body["id"], body["id"] - 1]


def test_api_errors_no_commit_and_scoping(fed: Federation) -> None:
    client = api(fed.kimlien)
    response = client.post(
        "/api/v1/imports/",
        {"kind": "members", "file": members_upload(130, errors=True), "commit": "true"},
        format="multipart",
    )
    body = response.json()
    assert response.status_code == 400 and body["status"] == "invalid" and body["error_count"] == 12
    assert {"row", "column", "message"} == set(body["errors"][0])
    assert Person.objects.count() == 0
    assert api(fed.thanhpho).get(f"/api/v1/imports/{body['id']}/").status_code == 404
    assert api(fed.admin).get(f"/api/v1/imports/{body['id']}/").status_code == 200
    assert APIClient().get(f"/api/v1/imports/{body['id']}/").status_code in (401, 403)


def test_api_refusals(fed: Federation) -> None:
    client = api(fed.kimlien)
    several = client.post(
        "/api/v1/imports/",
        {"kind": "members", "file": members_upload(3, extra_sheet=True)},
        format="multipart",
    )
    assert several.status_code == 400 and several.json()["sheets"] == ["Hướng dẫn", "Danh sách"]
    assert ImportJob.objects.count() == 0
    units = client.post("/api/v1/imports/", {"kind": "units", "file": units_upload()}, format="multipart")
    assert units.status_code == 201 and units.json()["counts"]["created"] == 2
    wrong = client.post("/api/v1/imports/", {"kind": "salaries", "file": units_upload()}, format="multipart")
    assert wrong.status_code == 400 and "kind" in wrong.json()
    viewer = api(fed.viewer).post(
        "/api/v1/imports/", {"kind": "units", "file": units_upload()}, format="multipart"
    )
    assert viewer.status_code == 403
