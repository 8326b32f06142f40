"""The create pages of the emulation app (movements, registrations, initiatives, award proposals) and
the certificate template upload: linked from the lists, happy and unhappy paths, scope, Vietnamese
errors on their fields, nothing written on failure."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from docx import Document

from congdoan.core.models import AuditEntry
from congdoan.emulation import certificates, services
from congdoan.emulation.models import (
    AwardProposal,
    CertificateTemplate,
    Initiative,
    Movement,
    ProposalState,
    Registration,
)
from congdoan.members.models import Membership, Person

from .conftest import YEAR, Emu

d = dt.date
pytestmark = pytest.mark.django_db


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def member(emu: Emu, name: str = "Nguyễn Văn Giỏi", cccd: str = "001090000001") -> Person:
    person = Person.objects.create(full_name=name, gender="M", cccd=cccd)
    Membership.objects.create(person=person, cdcs=emu.bv1, join_date=d(2020, 1, 1))
    return person


def test_the_lists_link_to_the_create_pages(emu: Emu) -> None:
    c = client_for(emu.bavi)
    movements = c.get(reverse("emulation:movements")).content.decode()
    assert reverse("emulation:movement_create") in movements
    assert reverse("emulation:registration_create") in movements
    assert reverse("emulation:initiative_create") in c.get(reverse("emulation:initiatives")).content.decode()
    awards = c.get(reverse("emulation:awards")).content.decode()
    assert reverse("emulation:proposal_create") in awards
    assert reverse("emulation:certificate_template") in awards
    for name in (
        "movement_create",
        "registration_create",
        "initiative_create",
        "proposal_create",
        "certificate_template",
    ):
        assert c.get(reverse(f"emulation:{name}")).status_code == 200, name
    # A viewer may read the lists but not post.
    viewer = client_for(emu.fed.viewer)
    assert viewer.get(reverse("emulation:movements")).status_code == 200
    assert viewer.post(reverse("emulation:movement_create"), {}).status_code == 403


def test_movement_create(emu: Emu) -> None:
    c = client_for(emu.bavi)
    url = reverse("emulation:movement_create")
    page = c.post(url, {"name": "", "owner": "BV", "starts_on": "31/12/2025", "ends_on": "01/01/2025"})
    text = page.content.decode()
    assert "Chưa nhập tên phong trào." in text and not Movement.objects.exists()
    page = c.post(
        url,
        {"name": "Thi đua lao động giỏi", "owner": "BV", "starts_on": "31/12/2025", "ends_on": "1/1/2025"},
    )
    assert "Ngày kết thúc 01/01/2025 trước ngày bắt đầu 31/12/2025." in page.content.decode()
    page = c.post(url, {"name": "Thi đua", "owner": "PT", "starts_on": "01/01/2025", "ends_on": "31/12/2025"})
    assert "Không tìm thấy đơn vị «PT» trong phạm vi bạn được quyền thay đổi." in page.content.decode()
    assert not Movement.objects.exists()
    response = c.post(
        url,
        {"name": "Thi đua lao động giỏi", "owner": "BV", "starts_on": "01/01/2025", "ends_on": "31/12/2025"},
    )
    assert response.status_code == 302
    movement = Movement.objects.get()
    assert movement.owner == emu.bv
    assert AuditEntry.objects.filter(object_type="emulation.movement", action="create").count() == 1
    assert "Thi đua lao động giỏi" in c.get(reverse("emulation:movements")).content.decode()
    # Phúc Thọ does not see Ba Vì's movement.
    assert (
        "Thi đua lao động giỏi"
        not in client_for(emu.phuctho).get(reverse("emulation:movements")).content.decode()
    )


def test_registration_create_for_a_unit_and_a_member(emu: Emu) -> None:
    person = member(emu)
    movement = services.movement_create(
        actor=None, owner=emu.bv, name="Phong trào Ba Vì", starts_on=d(2025, 1, 1), ends_on=d(2025, 12, 31)
    )
    c = client_for(emu.bavi)
    url = reverse("emulation:registration_create")
    assert "Phong trào Ba Vì" in c.get(url).content.decode()
    data = {
        "unit": "BV1",
        "year": YEAR,
        "title": "Lao động giỏi",
        "movement": movement.pk,
        "cccd": person.cccd,
    }
    assert c.post(url, data).status_code == 302
    reg = Registration.objects.get()
    assert (reg.person, reg.movement, reg.unit) == (person, movement, emu.bv1)
    # the same again: refused on its field
    page = c.post(url, data).content.decode()
    assert "«Nguyễn Văn Giỏi» đã đăng ký «Lao động giỏi» năm 2025." in page
    # a CCCD nobody of the unit has, no title, a year that is no year: all at once
    page = c.post(
        url, {"unit": "BV1", "year": "hai nghìn", "title": "", "cccd": "001090999999"}
    ).content.decode()
    assert "Năm phải là số, ví dụ 2025." in page and "Chưa nhập danh hiệu đăng ký." in page
    page = c.post(
        url, {"unit": "BV1", "year": YEAR, "title": "Lao động giỏi", "cccd": "001090999999"}
    ).content.decode()
    assert "Không tìm thấy đoàn viên có số CCCD «001090999999» thuộc «CĐCS Trường THPT Ba Vì»." in page
    # a member of Ba Vì is nobody for Phúc Thọ
    page = client_for(emu.phuctho).post(url, {**data, "unit": "PT1", "movement": ""}).content.decode()
    assert "Không tìm thấy đoàn viên" in page
    assert Registration.objects.count() == 1
    listed = c.get(reverse("emulation:movements") + f"?year={YEAR}").content.decode()
    assert "Nguyễn Văn Giỏi" in listed


def test_initiative_create(emu: Emu) -> None:
    c = client_for(emu.bv1_user)
    url = reverse("emulation:initiative_create")
    page = c.post(
        url,
        {
            "kind": "initiative",
            "title": "Cải tiến dây chuyền",
            "unit": "BV1",
            "submitted_on": "01/01/2099",
            "benefit": "-5",
        },
    ).content.decode()
    assert "Không được âm." in page and not Initiative.objects.exists()
    page = c.post(
        url,
        {"kind": "initiative", "title": "Cải tiến dây chuyền", "unit": "BV1", "submitted_on": "01/01/2099"},
    ).content.decode()
    assert "Ngày đăng ký 01/01/2099 ở tương lai." in page
    page = c.post(
        url, {"kind": "initiative", "title": "Cải tiến", "unit": "BV", "submitted_on": "01/03/2025"}
    ).content.decode()
    assert "Không tìm thấy đơn vị «BV» trong phạm vi bạn được quyền thay đổi." in page  # the CĐCS's parent
    response = c.post(
        url,
        {
            "kind": "work",
            "title": "Cải tiến dây chuyền",
            "unit": "BV1",
            "submitted_on": "01/03/2025",
            "benefit": "15000000",
        },
    )
    assert response.status_code == 302
    item = Initiative.objects.get()
    assert (item.kind, item.benefit, item.unit) == ("work", 15_000_000, emu.bv1)
    assert "Cải tiến dây chuyền" in c.get(reverse("emulation:initiatives")).content.decode()


def test_proposal_create_refuses_the_excluded_with_the_reason(emu: Emu) -> None:
    person = member(emu)
    c = client_for(emu.bavi)
    url = reverse("emulation:proposal_create")
    data = {
        "unit": "BV1",
        "cccd": person.cccd,
        "year": YEAR,
        "form": "lao_dong_gioi",
        "level": "cdcs",
        "absent_days": 45,
        "months_employed": 6,
        "disciplined": "on",
    }
    page = c.post(url, data).content.decode()
    assert "Nguyễn Văn Giỏi nghỉ 45 ngày làm việc trong năm" in page
    assert "Nguyễn Văn Giỏi mới công tác 6 tháng (cần ít nhất 10 tháng)." in page
    assert "Nguyễn Văn Giỏi bị kỷ luật trong năm 2025" in page
    assert "Nguyễn Văn Giỏi không đăng ký thi đua năm 2025." in page
    assert not AwardProposal.objects.exists()
    page = c.post(url, {**data, "form": "huan_chuong", "absent_days": "-1"}).content.decode()
    assert "Không được âm." in page and "huan_chuong" in page
    services.registration_create(actor=None, unit=emu.bv1, year=YEAR, title="Lao động giỏi", person=person)
    response = c.post(url, {**data, "absent_days": 2, "months_employed": 12, "disciplined": ""})
    proposal = AwardProposal.objects.get()
    assert response.status_code == 302 and response["Location"] == proposal.get_absolute_url()
    assert proposal.person == person and proposal.state == ProposalState.PROPOSED
    page = c.post(url, {**data, "absent_days": 2, "months_employed": 12, "disciplined": ""}).content.decode()
    assert "đã được đề nghị «Lao động giỏi» năm 2025" in page
    assert client_for(emu.phuctho).post(url, {**data, "cccd": ""}).status_code == 200
    assert AwardProposal.objects.count() == 1


def docx_with(*lines: str) -> bytes:
    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_certificate_template_upload(emu: Emu) -> None:
    c = client_for(emu.bavi)
    url = reverse("emulation:certificate_template")

    def post(data: bytes, name: str = "mau.docx", owner: str = "BV") -> str:
        upload = SimpleUploadedFile(name, data)
        return c.post(url, {"owner": owner, "name": "Giấy khen Ba Vì", "file": upload}).content.decode()

    page = post(docx_with("{{ nguoi_nhan }}", "{{ chuc_danh }} {{ so_tien }}"))
    assert "Mẫu giấy chứng nhận dùng biến không có trong danh sách: «chuc_danh», «so_tien»." in page
    assert "Tệp mẫu phải là tệp Word .docx." in post(b"%PDF-1.4", "mau.pdf")
    assert "Tệp không phải là tệp Word .docx hợp lệ." in post(b"not a zip")
    assert "Mẫu có lỗi cú pháp" in post(docx_with("{{ nguoi_nhan "))
    assert "Không tìm thấy đơn vị «PT»" in post(docx_with("{{ nguoi_nhan }}"), owner="PT")
    assert not CertificateTemplate.objects.exists()

    response = c.post(
        url,
        {
            "owner": "BV",
            "name": "Giấy khen Ba Vì",
            "file": SimpleUploadedFile(
                "mau.docx", docx_with("GIẤY KHEN TẶNG {{ nguoi_nhan }}", "{{ thanh_tich }}")
            ),
        },
    )
    assert response.status_code == 302
    template = CertificateTemplate.objects.get()
    assert template.owner == emu.bv and template.name == "Giấy khen Ba Vì"
    assert "Giấy khen Ba Vì" in c.get(url).content.decode()
    assert "Giấy khen Ba Vì" not in client_for(emu.phuctho).get(url).content.decode()

    # A decision of Ba Vì prints with it.
    services.registration_create(actor=None, unit=emu.bv1, year=YEAR, title="Tập thể lao động xuất sắc")
    proposal = services.proposal_create(actor=None, unit=emu.bv1, year=YEAR, form="giay_khen", level="upper")
    services.decision_create(
        actor=None, issuer=emu.bv, number="7/QĐ", signed_on=d(2026, 1, 10), proposals=[proposal]
    )
    proposal.refresh_from_db()
    text = "\n".join(p.text for p in Document(io.BytesIO(certificates.render(proposal))).paragraphs)
    assert "GIẤY KHEN TẶNG CĐCS Trường THPT Ba Vì" in text
