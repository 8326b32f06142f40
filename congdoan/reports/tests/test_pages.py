"""The preview page (scoped, figures linked), generation as a task, download, API, CLI, templates."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from congdoan.reports.context import VARIABLE_NAMES, VARIABLES
from congdoan.reports.docx import SHIPPED_TEMPLATE
from congdoan.reports.models import GeneratedReport, ReportTemplate

from .conftest import AGREEMENT_SENTENCE, CONFERENCE_SENTENCE, MEMBERSHIP_SENTENCE

pytestmark = pytest.mark.django_db
DOCS = Path(__file__).resolve().parents[3] / "docs" / "reports.md"


def login(client, user) -> None:  # type: ignore[no-untyped-def]
    client.force_login(user)


def test_preview_links_every_figure_and_offers_the_files(client, data) -> None:
    fed = data.fed
    login(client, fed.gialam)
    response = client.get("/bao-cao/GL/?period=2024")
    assert response.status_code == 200
    html = response.content.decode()
    assert MEMBERSHIP_SENTENCE in html
    assert AGREEMENT_SENTENCE in html
    assert CONFERENCE_SENTENCE in html
    assert "unit=GL1&amp;from=2024-01-01&amp;to=2024-12-31" in html
    for fmt in ("docx", "pdf", "xlsx"):
        assert f'name="format" value="{fmt}"' in html


def test_preview_out_of_scope_is_404(client, data) -> None:
    login(client, data.fed.gialam)
    assert client.get("/bao-cao/DD/?period=2024").status_code == 404
    assert client.get("/bao-cao/KHONGCO/?period=2024").status_code == 404


def test_preview_bad_period_is_explained(client, data) -> None:
    login(client, data.fed.gialam)
    response = client.get("/bao-cao/GL/?period=2024X")
    assert response.status_code == 200
    assert "Mã kỳ không hợp lệ" in response.content.decode()


def test_generate_as_task_then_download_again(client, data) -> None:
    fed = data.fed
    login(client, fed.gialam)
    response = client.post("/bao-cao/GL/tao/", {"period": "2024", "format": "docx"})
    row = GeneratedReport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/bao-cao/tep/{row.pk}/"
    assert (row.status, row.progress, row.created_by, row.file_name) == (
        "done",
        100,
        fed.gialam,
        "bao-cao-tong-ket-2024-GL.docx",
    )
    page = client.get(f"/bao-cao/tep/{row.pk}/").content.decode()
    assert "Tải về" in page
    download = client.get(f"/bao-cao/tep/{row.pk}/tai-ve/")
    assert download.status_code == 200
    assert 'filename="bao-cao-tong-ket-2024-GL.docx"' in download["Content-Disposition"]
    import docx

    document = docx.Document(io.BytesIO(b"".join(download.streaming_content)))
    assert AGREEMENT_SENTENCE in [p.text for p in document.paragraphs]
    listing = client.get("/bao-cao/GL/?period=2024").content.decode()
    assert "bao-cao-tong-ket-2024-GL.docx" in listing
    # Another federation's officer sees neither the file nor its page.
    client.logout()
    login(client, fed.kimlien)
    assert client.get(f"/bao-cao/tep/{row.pk}/tai-ve/").status_code == 404


def test_generate_out_of_scope_is_404(client, data) -> None:
    login(client, data.fed.gialam)
    assert client.post("/bao-cao/DD/tao/", {"period": "2024", "format": "pdf"}).status_code == 404
    assert not GeneratedReport.objects.exists()


def test_api_generate_and_list(client, data) -> None:
    fed = data.fed
    login(client, fed.gialam)
    response = client.post("/api/v1/reports/", {"unit": "GL", "period": "2024", "format": "xlsx"})
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "done" and body["download_url"].endswith(
        f"/api/v1/reports/{body['id']}/download/"
    )
    assert client.get(body["download_url"]).status_code == 200
    assert [r["id"] for r in client.get("/api/v1/reports/").json()["results"]] == [body["id"]]
    assert (
        client.post("/api/v1/reports/", {"unit": "DD", "period": "2024", "format": "xlsx"}).status_code == 404
    )


def test_cli_writes_the_file_and_refuses_out_of_scope(data, tmp_path) -> None:
    out = tmp_path / "gl.docx"
    call_command(
        "report",
        "annual",
        "--unit",
        "GL",
        "--period",
        "2024",
        "--format",
        "docx",
        "--out",
        str(out),
        "--user",
        "gialam",
    )
    import docx

    assert MEMBERSHIP_SENTENCE in [p.text for p in docx.Document(str(out)).paragraphs]
    with pytest.raises(CommandError, match="không có quyền xem đơn vị «DD»"):
        call_command(
            "report", "annual", "--unit", "DD", "--period", "2024", "--out", str(out), "--user", "gialam"
        )
    with pytest.raises(CommandError, match="Mã kỳ không hợp lệ"):
        call_command("report", "annual", "--unit", "GL", "--period", "20244", "--out", str(out))


# -- templates ---------------------------------------------------------------------------------


def _docx_with(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _with_macro(data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro")
    return out.getvalue()


def _upload(client, name: str, data: bytes, unit: str = ""):  # type: ignore[no-untyped-def]
    return client.post(
        "/bao-cao/mau/", {"name": "Mẫu riêng", "unit": unit, "file": SimpleUploadedFile(name, data)}
    )


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("mau.docx", lambda: b"this is not a zip", "không phải là tệp Word .docx hợp lệ"),
        ("mau.docm", lambda: _docx_with("{{ title }}"), "có macro (.docm)"),
        ("mau.docx", lambda: _with_macro(_docx_with("{{ title }}")), "chứa macro (vbaProject.bin)"),
        (
            "mau.docx",
            lambda: _docx_with("{{ title }} {{ ten_don_vi }} {{ so_lieu_la }}"),
            "«so_lieu_la», «ten_don_vi»",
        ),
        ("mau.docx", lambda: _docx_with("{{ title "), "lỗi cú pháp"),
        ("mau.docx", lambda: _docx_with("{{ title.__class__.__mro__ }}"), "không được phép"),
    ],
)
def test_bad_templates_are_refused_with_a_clear_message(client, fed, name, make, message) -> None:
    login(client, fed.admin)
    response = _upload(client, name, make())
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ReportTemplate.objects.exists()


def test_good_template_is_stored_and_used(client, data) -> None:
    fed = data.fed
    login(client, fed.admin)
    response = _upload(client, "rieng.docx", _docx_with("Mẫu riêng: {{ issuer_upper }} – {{ title }}"))
    assert response.status_code == 302
    template = ReportTemplate.objects.get()
    assert template.variables == ["issuer_upper", "title"]
    client.logout()
    login(client, fed.gialam)
    assert client.post("/bao-cao/mau/", {}).status_code == 403  # not an administrator
    client.post("/bao-cao/GL/tao/", {"period": "2024", "format": "docx", "template": template.pk})
    row = GeneratedReport.objects.get()
    import docx

    with row.file.open("rb") as fh:
        texts = [p.text for p in docx.Document(fh).paragraphs]
    assert texts == [
        "Mẫu riêng: LIÊN ĐOÀN LAO ĐỘNG HUYỆN GIA LÂM – BÁO CÁO TỔNG KẾT CÔNG TÁC CÔNG ĐOÀN NĂM 2024"
    ]


def test_every_variable_is_documented_and_the_shipped_template_uses_known_ones(client, fed) -> None:
    from docxtpl import DocxTemplate

    used = DocxTemplate(str(SHIPPED_TEMPLATE)).get_undeclared_template_variables()
    assert used <= VARIABLE_NAMES
    docs = DOCS.read_text(encoding="utf-8")
    login(client, fed.viewer)
    page = client.get("/bao-cao/mau/bien/").content.decode()
    for name, _, _ in VARIABLES:
        assert f"`{name}`" in docs, name
        assert f"<code>{name}</code>" in page, name
