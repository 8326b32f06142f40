"""Member pages: list (filters, masking, scope, query count), member page, forms, CĐCS panel, organising."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from congdoan.core.formatting import format_date
from congdoan.core.models import AuditEntry
from congdoan.members import services
from congdoan.members.filters import years_before
from congdoan.members.models import AccessLog, Membership, Person, WorkforceCount
from congdoan.members.tables import MemberTable
from congdoan.org import services as org_services

d = dt.date
pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


TODAY = timezone.localdate()


def born(age: int) -> dt.date:
    """A birth date making the person ``age`` today (ages are what the age-band filter uses)."""
    return years_before(TODAY, age) - dt.timedelta(days=40)


def cccd(gender: str, birth: dt.date, serial: str) -> str:
    """A well-formed CCCD: Hà Nội (001), the century/gender digit, the year, a serial."""
    digit = (0 if birth.year < 2000 else 2) + (1 if gender == "F" else 0)
    return f"001{digit}{birth.year % 100:02d}{serial}"


def admit(cdcs, name: str, **extra) -> Membership:
    data = {"gender": "Nữ", "join_date": d(2020, 1, 1)}
    data.update(extra)
    return services.member_admit(actor=None, cdcs=cdcs, full_name=name, **data)


HUONG_BORN = born(25)
HUONG_CCCD = cccd("F", HUONG_BORN, "012345")
AN_BORN = born(35)
AN_CCCD = cccd("M", AN_BORN, "001234")


@pytest.fixture
def people(fed):
    """Hương joined GL1 after Gia Lâm ended; Bình joined GL1 long before; An is at DD1; Đức at GL2."""
    huong = admit(
        fed.gl1,
        "nguyễn thị hương",
        join_date=d(2025, 9, 1),
        birth_date=HUONG_BORN,
        cccd=cccd("F", HUONG_BORN, "012345"),
        phone="+84 912 345 678",
        card_number="HN-000123",
        address="12 Kim Liên, Đống Đa",
    )
    binh = admit(
        fed.gl1,
        "Lê Thị Bình",
        join_date=d(2015, 5, 4),
        birth_date=born(50),
        cccd=cccd("F", born(50), "004321"),
    )
    an = admit(
        fed.dd1,
        "Trần Văn An",
        gender="Nam",
        birth_date=AN_BORN,
        cccd=AN_CCCD,
        phone="0987654321",
    )
    duc = admit(fed.gl2, "Phạm Minh Đức", gender="Nam", join_date=d(2016, 1, 1), birth_date=born(70))
    return {"huong": huong.person, "binh": binh.person, "an": an.person, "duc": duc.person}


# -- the list ----------------------------------------------------------------------------------------------


def test_list_is_scoped_masked_and_sorted_by_given_name(fed, people) -> None:
    """The ward officer sees GL1 and DD1 members, CCCD and phone masked, birth dates to the year, in
    Vietnamese order (An, Bình, Hương); the GL2 member is not theirs."""
    text = _text(_client(fed.kimlien).get(reverse("members:list")))
    assert "Đoàn viên" in text and "3 đoàn viên" in text
    assert "001******345" in text and HUONG_CCCD not in text
    assert "091****678" in text and "0912345678" not in text
    assert f"**/**/{HUONG_BORN.year}" in text and format_date(HUONG_BORN) not in text
    assert "Phạm Minh Đức" not in text
    assert text.index("Trần Văn An") < text.index("Lê Thị Bình") < text.index("Nguyễn Thị Hương")
    assert "CĐCS Công ty May Gia Lâm" in text and "Đang sinh hoạt" in text


def test_cdcs_officer_sees_full_birth_dates_but_masked_ids_in_the_list(fed, people) -> None:
    text = _text(_client(fed.cdcs).get(reverse("members:list")))
    assert "Trần Văn An" in text and "Nguyễn Thị Hương" not in text
    assert format_date(AN_BORN) in text
    assert "001******234" in text and AN_CCCD not in text


@pytest.mark.parametrize("who", ["kimlien", "cdcs"])
def test_list_rows_are_the_same_as_django_tables2_renders_them(fed, people, who, monkeypatch) -> None:
    """``MemberTable.cells`` (the rows without django-tables2's per-cell work) gives the same HTML as
    the columns' ``render_*`` through django-tables2, empty values included (no birth date, CCCD,
    phone or card), masked and not."""
    admit(fed.dd1, "Hoàng Văn Em", gender="Nam")

    def rows() -> str:
        text = _text(_client(getattr(fed, who)).get(reverse("members:list")))
        return text[text.index("<tbody") : text.index("</tbody>")]

    own = rows()
    monkeypatch.setattr(MemberTable, "cells", None)
    assert own == rows()
    assert own.count("<tr") >= 2 and "<td >—</td>" in own


def test_search_without_accents_and_by_part_of_cccd(fed, people) -> None:
    """By part of a number only for a keeper of personal data (DD1's officer); a role that sees
    masked numbers finds the whole numbers only, and every search by digits is logged."""
    client = _client(fed.kimlien)
    text = _text(client.get(reverse("members:list"), {"q": "nguyen thi huong"}))
    assert "Nguyễn Thị Hương" in text and "Trần Văn An" not in text
    assert not AccessLog.objects.exists()  # a name search reads no personal data
    text = _text(client.get(reverse("members:list"), {"q": HUONG_CCCD[4:9]}))
    assert "Nguyễn Thị Hương" not in text and "0 đoàn viên" in text
    text = _text(client.get(reverse("members:list"), {"q": "345678"}))  # part of her phone
    assert "Nguyễn Thị Hương" not in text
    text = _text(client.get(reverse("members:list"), {"q": HUONG_CCCD}))
    assert "Nguyễn Thị Hương" in text and "1 đoàn viên" in text
    text = _text(client.get(reverse("members:list"), {"q": "0912 345 678"}))
    assert "Nguyễn Thị Hương" in text and "1 đoàn viên" in text
    logged = AccessLog.objects.filter(user=fed.kimlien, action=AccessLog.Action.SEARCH).order_by("id")
    assert [(row.rows, "q=" in row.detail) for row in logged] == [(0, True), (0, True), (1, True), (1, True)]
    client = _client(fed.cdcs)
    text = _text(client.get(reverse("members:list"), {"q": AN_CCCD[4:9]}))
    assert "Trần Văn An" in text
    assert AccessLog.objects.filter(user=fed.cdcs, action=AccessLog.Action.SEARCH).count() == 1


def test_filters_unit_gender_age_join_year_and_status(fed, people) -> None:
    client = _client(fed.kimlien)
    url = reverse("members:list")

    def names(params) -> set[str]:
        text = _text(client.get(url, params))
        return {n for n in ("Nguyễn Thị Hương", "Lê Thị Bình", "Trần Văn An") if n in text}

    assert names({"unit": "DD1"}) == {"Trần Văn An"}
    assert names({"unit": "KL"}) == {"Nguyễn Thị Hương", "Lê Thị Bình", "Trần Văn An"}
    assert names({"gender": "M"}) == {"Trần Văn An"}
    assert names({"gender": "F"}) == {"Nguyễn Thị Hương", "Lê Thị Bình"}
    assert names({"age": "duoi30"}) == {"Nguyễn Thị Hương"}
    assert names({"age": "30-44"}) == {"Trần Văn An"}
    assert names({"age": "45-59"}) == {"Lê Thị Bình"}
    assert names({"age": "tu60"}) == set()
    assert names({"join_year": "2015"}) == {"Lê Thị Bình"}
    services.member_leave(
        actor=None, membership=people["an"].memberships.get(), on=d(2025, 12, 1), reason="Nghỉ hưu"
    )
    assert names({}) == {"Nguyễn Thị Hương", "Lê Thị Bình"}
    assert names({"status": "left"}) == {"Trần Văn An"}
    assert names({"status": "all"}) == {"Nguyễn Thị Hương", "Lê Thị Bình", "Trần Văn An"}


def test_unit_filter_outside_scope_is_refused(fed, people) -> None:
    text = _text(_client(fed.kimlien).get(reverse("members:list"), {"unit": "GL2"}))
    assert "Không tìm thấy đơn vị có mã «GL2» trong phạm vi của bạn." in text
    assert "Phạm Minh Đức" not in text


def test_read_only_user_sees_members_up_to_their_last_day(fed, people) -> None:
    text = _text(_client(fed.gialam).get(reverse("members:list")))
    assert "Lê Thị Bình" in text and "Phạm Minh Đức" in text
    assert "Nguyễn Thị Hương" not in text


def test_query_count_does_not_grow_with_page_size(fed, django_assert_max_num_queries) -> None:
    givens = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Minh", "Nga", "Phúc"]
    families = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
    for i in range(110):
        admit(fed.dd1, f"{families[i % 11]} Thị {givens[(i // 11) % 11]}", birth_date=d(1990, 1, 1))
    client = _client(fed.kimlien)
    url = reverse("members:list")
    client.get(url)  # the scope's subtree read once and kept (PostgreSQL: ``tree.subtree_id_list``)
    counts = []
    for size in (25, 100):
        with CaptureQueriesContext(connection) as ctx:
            text = _text(client.get(url, {"so_dong": size}))
        assert text.count('href="/doan-vien/') >= size
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(counts[0]):
        client.get(url, {"so_dong": 100, "page": 2})


# -- the member page -----------------------------------------------------------------------------------


def test_member_page_masked_for_officer_without_personal_data_role(fed, people) -> None:
    client = _client(fed.kimlien)
    url = reverse("members:detail", args=[people["huong"].pk])
    text = _text(client.get(url))
    assert "Nguyễn Thị Hương" in text and "Quá trình sinh hoạt công đoàn" in text
    assert "001******345" in text and "091****678" in text and f"**/**/{HUONG_BORN.year}" in text
    assert "12 Kim Liên" not in text
    assert "Hiện đầy đủ" not in text
    text = _text(client.get(url, {"day_du": "1"}))
    assert HUONG_CCCD not in text
    assert not AccessLog.objects.exists()
    assert "Nhật ký thay đổi" in text and "Kết nạp" in text
    assert f'href="/doan-vien/{people["huong"].pk}/chuyen-sinh-hoat/"' in text


def test_cdcs_officer_reveals_personal_data_and_it_is_logged(fed, people) -> None:
    client = _client(fed.cdcs)
    url = reverse("members:detail", args=[people["an"].pk])
    text = _text(client.get(url))
    assert "001******234" in text and "Hiện đầy đủ" in text
    assert not AccessLog.objects.exists()
    text = _text(client.get(url, {"day_du": "1"}))
    assert AN_CCCD in text and "0987654321" in text and format_date(AN_BORN) in text
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.person) == (fed.cdcs, "view", people["an"])
    # Once An has moved to another CĐCS, his former CĐCS sees his history but not his personal data.
    services.member_transfer(
        actor=None, membership=people["an"].memberships.get(), to=fed.gl1, on=d(2026, 1, 5)
    )
    text = _text(client.get(url, {"day_du": "1"}))
    assert "Chuyển sinh hoạt" in text and "Hiện đầy đủ" not in text and AN_CCCD not in text
    assert AccessLog.objects.count() == 1


def test_out_of_scope_member_pages_answer_404(fed, people) -> None:
    assert _client(fed.cdcs).get(reverse("members:detail", args=[people["huong"].pk])).status_code == 404
    assert _client(fed.kimlien).get(reverse("members:detail", args=[people["duc"].pk])).status_code == 404
    gialam = _client(fed.gialam)
    assert gialam.get(reverse("members:detail", args=[people["huong"].pk])).status_code == 404
    assert gialam.get(reverse("members:detail", args=[people["binh"].pk])).status_code == 200
    assert gialam.get(reverse("members:transfer", args=[people["binh"].pk])).status_code == 404
    assert _client(fed.viewer).get(reverse("members:leave", args=[people["binh"].pk])).status_code == 404
    assert _client(fed.kimlien).get(reverse("members:detail", args=[999999])).status_code == 404


def test_read_only_user_does_not_see_later_memberships_or_actions(fed, people) -> None:
    binh = people["binh"]
    services.member_transfer(
        actor=None, membership=binh.memberships.get(), to=fed.dd1, on=d(2025, 10, 1), reason="Đổi nơi làm"
    )
    text = _text(_client(fed.gialam).get(reverse("members:detail", args=[binh.pk])))
    history = text[text.index("member-history") :]
    assert "CĐCS Công ty May Gia Lâm" in history and "CĐCS Bệnh viện Đống Đa" not in history
    assert "Chuyển sinh hoạt" not in text and "Đổi nơi làm" not in text
    text = _text(_client(fed.kimlien).get(reverse("members:detail", args=[binh.pk])))
    assert "CĐCS Bệnh viện Đống Đa" in text and "Đổi nơi làm" in text


def test_audit_trail_masks_personal_data_for_officers(fed, people) -> None:
    services.person_update(actor=None, person=people["huong"], phone="0911111222")
    text = _text(_client(fed.kimlien).get(reverse("members:detail", args=[people["huong"].pk])))
    trail = text[text.index("audit-trail") :]
    assert "091****678" in trail and "091****222" in trail and "0911111222" not in trail


# -- forms -----------------------------------------------------------------------------------------------


def test_transfer_form(fed, people) -> None:
    client = _client(fed.kimlien)
    url = reverse("members:transfer", args=[people["huong"].pk])
    text = _text(client.get(url))
    assert "Chuyển sinh hoạt của «Nguyễn Thị Hương»" in text and 'list="unit-codes"' in text
    text = _text(client.post(url, {"to": "GL1", "on": "01/10/2025", "reason": ""}))
    assert "Công đoàn cơ sở chuyển đến trùng với nơi đang sinh hoạt." in text
    text = _text(client.post(url, {"to": "GL2", "on": "01/10/2025"}))
    assert "Không tìm thấy đơn vị có mã «GL2» trong phạm vi của bạn." in text
    text = _text(client.post(url, {"to": "KL", "on": "01/10/2025"}))
    assert "Đoàn viên phải sinh hoạt tại một công đoàn cơ sở hoặc nghiệp đoàn." in text
    text = _text(client.post(url, {"to": "DD1", "on": "01/08/2025"}))
    assert "trước ngày vào công đoàn (01/09/2025)" in text
    text = _text(client.post(url, {"to": "DD1", "on": "32/10/2025"}))
    assert "Ngày không hợp lệ" in text
    response = client.post(
        url, {"to": "DD1 – CĐCS Bệnh viện Đống Đa", "on": "01/10/2025", "reason": "Chuyển"}
    )
    assert response.status_code == 302
    person = people["huong"]
    assert [m.cdcs.code for m in person.memberships.order_by("join_date")] == ["GL1", "DD1"]
    text = _text(client.get(response["Location"]))
    assert (
        "Đã chuyển sinh hoạt của «Nguyễn Thị Hương» sang «CĐCS Bệnh viện Đống Đa» từ ngày 01/10/2025." in text
    )
    assert "Đã chuyển sinh hoạt" in text


def test_leave_form(fed, people) -> None:
    client = _client(fed.kimlien)
    url = reverse("members:leave", args=[people["huong"].pk])
    text = _text(client.post(url, {"on": "01/01/2025", "reason": "Nghỉ việc"}))
    assert "Ngày 01/01/2025 trước ngày vào công đoàn (01/09/2025)." in text
    assert "invalid-feedback" in text
    text = _text(client.post(url, {"on": "01/01/2026", "reason": " "}))
    assert "Cần ghi lý do." in text
    response = client.post(url, {"on": "01/01/2026", "reason": "Vi phạm Điều lệ", "removed": "on"})
    assert response.status_code == 302
    membership = people["huong"].memberships.get()
    assert membership.status == Membership.Status.REMOVED and membership.end_date == d(2026, 1, 1)
    text = _text(client.get(response["Location"]))
    assert "Đã ghi nhận khai trừ, xóa tên «Nguyễn Thị Hương» từ ngày 01/01/2026." in text
    assert "Khai trừ, xóa tên" in text and "Vi phạm Điều lệ" in text
    # Nothing active any more: no actions.
    assert client.get(url).status_code == 404


def test_admit_form(fed, people) -> None:
    client = _client(fed.kimlien)
    url = reverse("members:admit")
    text = _text(client.get(url, {"cdcs": "GL1"}))
    assert "Kết nạp đoàn viên vào «CĐCS Công ty May Gia Lâm»" in text and 'value="GL1"' in text
    form = {
        "cdcs": "GL1",
        "join_date": "15/10/2025",
        "full_name": "đỗ minh đức",
        "birth_date": "05/06/1992",
        "gender": "M",
        "cccd": "001192000777",  # the 4th digit says female
        "phone": "123",
        "nationality": "VN",
    }
    text = _text(client.post(url, form))
    assert "CCCD cho biết giới tính Nữ, khác với giới tính đã khai." in text
    assert "Số điện thoại không hợp lệ" in text
    assert not Person.objects.filter(full_name="Đỗ Minh Đức").exists()
    text = _text(client.post(url, {**form, "cdcs": "GL2"}))
    assert "Không tìm thấy công đoàn cơ sở có mã «GL2»" in text
    text = _text(client.post(url, {**form, "cccd": "001092000777", "phone": "", "card_number": "HN-000123"}))
    assert "Số thẻ đoàn viên HN-000123 đã được cấp cho người khác." in text
    response = client.post(url, {**form, "cccd": "001092000777", "phone": "0901 234 567"})
    assert response.status_code == 302
    person = Person.objects.get(full_name="Đỗ Minh Đức")
    assert person.phone == "0901234567" and person.memberships.get().cdcs == fed.gl1
    assert "Đã kết nạp «Đỗ Minh Đức» vào «CĐCS Công ty May Gia Lâm» từ ngày 15/10/2025." in _text(
        client.get(response["Location"])
    )
    assert _client(fed.viewer).get(url).status_code == 404
    assert _client(fed.gialam).get(url).status_code == 404


def test_admit_form_refuses_a_cccd_held_elsewhere_without_naming_anyone(fed, people) -> None:
    """Kim Liên types the CCCD of a GL2 member who left (any name): refused on the CCCD field with the
    neutral message; the page shows neither the person's name nor their unit, and nothing is linked."""
    held_cccd = cccd("F", born(40), "000555")
    gone = admit(fed.gl2, "Vương Thị Mận", birth_date=born(40), cccd=held_cccd, phone="0977000111")
    services.member_leave(actor=None, membership=gone, on=d(2024, 1, 1), reason="Nghỉ việc")
    form = {
        "cdcs": "GL1",
        "join_date": "15/10/2025",
        "full_name": "Người Nào Đó",
        "gender": "F",
        "cccd": held_cccd,
        "nationality": "VN",
    }
    text = _text(_client(fed.kimlien).post(reverse("members:admit"), form))
    assert "ngoài phạm vi của bạn quản lý" in text and "chuyển sinh hoạt" in text
    for secret in ("Vương Thị Mận", "CĐCS Trường THCS Đặng Xá", "0977000111"):
        assert secret not in text
    assert gone.person.memberships.count() == 1


def test_edit_form_keeps_masked_fields_for_officers(fed, people) -> None:
    client = _client(fed.kimlien)
    person = people["huong"]
    url = reverse("members:edit", args=[person.pk])
    text = _text(client.get(url))
    assert 'placeholder="001******345"' in text and HUONG_CCCD not in text
    form = {"full_name": "Nguyễn Thị Hương", "gender": "F", "job": "Công nhân may", "nationality": "VN"}
    assert client.post(url, form).status_code == 302
    person.refresh_from_db()
    assert (person.job, person.cccd, person.phone) == ("Công nhân may", HUONG_CCCD, "0912345678")
    text = _text(client.post(url, {**form, "email": "khong-hop-le"}))
    assert "Địa chỉ thư điện tử không hợp lệ." in text
    other_year = format_date(HUONG_BORN.replace(year=HUONG_BORN.year - 1))
    text = _text(client.post(url, {**form, "cccd": HUONG_CCCD, "birth_date": other_year}))
    assert f"CCCD cho biết năm sinh {HUONG_BORN.year}, khác với ngày sinh đã khai" in text


def test_cdcs_officer_edit_form_shows_full_data_and_logs_it(fed, people) -> None:
    text = _text(_client(fed.cdcs).get(reverse("members:edit", args=[people["an"].pk])))
    assert f'value="{AN_CCCD}"' in text
    assert AccessLog.objects.filter(user=fed.cdcs, action="view", person=people["an"]).count() == 1


# -- the CĐCS panel on the unit page ----------------------------------------------------------------------


def test_unit_panel_members_workforce_and_coverage(fed, people) -> None:
    client = _client(fed.kimlien)
    text = _text(client.get(reverse("org:unit_detail", args=["GL1"])))
    assert "Đoàn viên và lao động" in text and "Ghi nhận số lao động mới" in text
    assert '<dd class="col-5 text-end member-count">2</dd>' in text
    assert "?unit=GL1" in text
    url = reverse("members:workforce", args=["GL1"])
    text = _text(client.post(url, {"as_of": "01/10/2025", "workers": "3", "women": "5"}))
    assert "Số lao động nữ không thể lớn hơn tổng số lao động." in text
    response = client.post(url, {"as_of": "01/10/2025", "workers": "3", "women": "2"})
    assert response.status_code == 302 and response["Location"] == reverse("org:unit_detail", args=["GL1"])
    assert WorkforceCount.objects.get().workers == 3
    text = _text(client.get(response["Location"]))
    assert "Đã ghi nhận số lao động của «CĐCS Công ty May Gia Lâm» tính đến ngày 01/10/2025." in text
    assert '<dd class="col-5 text-end fw-semibold member-coverage">66,67%</dd>' in text
    assert "tính đến 01/10/2025" in text
    # The ward: the same summary over its subtree (GL1 and DD1), no form.
    text = _text(client.get(reverse("org:unit_detail", args=["KL"])))
    assert "Tổng hợp 2 công đoàn cơ sở trực thuộc." in text
    assert '<dd class="col-5 text-end member-count">3</dd>' in text
    assert 'member-coverage">100,00%' in text  # 3 members / 3 workers (DD1 has no count)
    assert "Ghi nhận số lao động mới" not in text
    # Only writers record counts; a read-only user sees the district as it was.
    assert _client(fed.viewer).post(url, {"as_of": "01/10/2025", "workers": "9"}).status_code == 404
    text = _text(_client(fed.gialam).get(reverse("org:unit_detail", args=["GL"])))
    assert '<dd class="col-5 text-end member-count">2</dd>' in text  # Bình and Đức on 29/06/2025
    assert "Ghi nhận số lao động mới" not in text


# -- organising --------------------------------------------------------------------------------------------


@pytest.fixture
def employers(fed):
    def make(name: str, unit, workforce: int, funding: bool = False, cdcs=None, tax: str | None = None):
        return org_services.employer_create(
            actor=None,
            name=name,
            tax_code=tax,
            sector="DN_NGOAI_NHA_NUOC",
            address="Hà Nội",
            workforce=workforce,
            pays_union_funding=funding,
            unit=unit,
            cdcs=cdcs,
        )

    return {
        "may": make("Công ty TNHH May Kim Liên", fed.kl, 500),
        "banh": make("Công ty CP Bánh kẹo Hà Thành", fed.kl, 1200),
        "kpcd": make("Công ty TNHH Dịch vụ Phương Mai", fed.kl, 0, funding=True),
        "has": make("Công ty Dệt Đống Đa", fed.kl, 800, cdcs=fed.dd1),
        "none": make("Hộ kinh doanh Thu Trang", fed.kl, 0),
        "city": make("Tổng công ty Vận tải Thủ đô", fed.hn, 3000, funding=True),
        "evil": make('=HYPERLINK("http://x")', fed.hn, 10),
    }


def test_organising_list_per_unit_sorted_by_size(fed, employers) -> None:
    text = _text(_client(fed.kimlien).get(reverse("org:organising")))
    assert "Phát triển tổ chức" in text and "chưa có công đoàn cơ sở" in text
    assert text.index("Bánh kẹo Hà Thành") < text.index("May Kim Liên") < text.index("Dịch vụ Phương Mai")
    assert "Công ty Dệt Đống Đa" not in text and "Hộ kinh doanh Thu Trang" not in text
    assert "Vận tải Thủ đô" not in text
    assert "1.700" in text  # 1.200 + 500 + 0 workers in the ward
    text = _text(_client(fed.kimlien).get(reverse("org:organising"), {"loai": "kpcd"}))
    assert "Dịch vụ Phương Mai" in text and "May Kim Liên" not in text
    text = _text(_client(fed.thanhpho).get(reverse("org:organising")))
    assert text.index('data-unit="HN"') < text.index('data-unit="KL"')  # 3.010 > 1.700 workers
    assert "3.010" in text and "4.710" in text


def test_organising_export(fed, employers) -> None:
    response = _client(fed.thanhpho).get(reverse("org:organising"), {"xuat": "xlsx"})
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.getvalue())).active.iter_rows(values_only=True))
    assert rows[0][0] == "DOANH NGHIỆP CHƯA CÓ CÔNG ĐOÀN CƠ SỞ"
    assert rows[3][:4] == ("STT", "Mã công đoàn quản lý", "Công đoàn quản lý", "Tên doanh nghiệp")
    assert [(r[1], r[3], r[7]) for r in rows[4:]] == [  # by managing union, then size
        ("KL", "Công ty CP Bánh kẹo Hà Thành", 1200),
        ("KL", "Công ty TNHH May Kim Liên", 500),
        ("KL", "Công ty TNHH Dịch vụ Phương Mai", 0),
        ("HN", "Tổng công ty Vận tải Thủ đô", 3000),
        ("HN", '\'=HYPERLINK("http://x")', 10),
    ]
    entry = AuditEntry.objects.get(action="export", object_type="export.organising")
    assert entry.actor == fed.thanhpho and entry.after["rows"] == 5


def test_a_transfer_out_of_the_scope_says_moved_out_without_naming_the_unit(fed, people) -> None:
    """The city moves Hương from GL1 (Kim Liên's) to GL2 (not Kim Liên's): Kim Liên's member page,
    API and export say she moved out ("chuyển đi") and never name GL2; the city still sees it."""
    services.member_transfer(
        actor=fed.thanhpho,
        membership=people["huong"].memberships.get(),
        to=fed.gl2,
        on=d(2026, 1, 5),
        reason="Theo nguyện vọng",
    )
    services.person_update(actor=fed.thanhpho, person=people["huong"], job="Giáo viên")
    secret = ("CĐCS Trường THCS Đặng Xá", "GL2")
    client = _client(fed.kimlien)
    text = _text(client.get(reverse("members:detail", args=[people["huong"].pk])))
    history = text[text.index("member-history") : text.index("audit-trail")]
    assert "CĐCS Công ty May Gia Lâm" in history and "Đã chuyển sinh hoạt" in history
    assert "chuyển đi" in history and "Đã chuyển đi" in text
    trail = text[text.index("audit-trail") :]
    assert "Chuyển sinh hoạt" in trail and "chuyển đi" in trail and "Theo nguyện vọng" in trail
    assert "Sửa thông tin" not in trail  # a change made at GL2
    for word in secret:
        assert word not in text, word
    api = client.get("/api/v1/members/", {"status": "all"}).content.decode()
    assert "Nguyễn Thị Hương" in api and not any(word in api for word in secret)
    export = client.get(reverse("members:list"), {"status": "all", "xuat": "xlsx"})
    sheet = load_workbook(BytesIO(export.getvalue())).active
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert "Nguyễn Thị Hương" in cells and not any(word in c for c in cells for word in secret)
    text = _text(_client(fed.thanhpho).get(reverse("members:detail", args=[people["huong"].pk])))
    assert "CĐCS Trường THCS Đặng Xá" in text and "member-moved-out" not in text


def test_admit_form_keeps_the_union_join_date_apart(fed, people) -> None:
    """ "Ngày vào công đoàn lần đầu" on the admit form: shown on the member page; the history keeps the
    membership's own start."""
    client = _client(fed.kimlien)
    form = {
        "cdcs": "GL1",
        "join_date": "15/10/2025",
        "union_join_date": "01/05/2012",
        "full_name": "Đỗ Minh Đức",
        "birth_date": "05/06/1992",
        "gender": "M",
        "cccd": "001092000777",
        "nationality": "VN",
    }
    response = client.post(reverse("members:admit"), form)
    assert response.status_code == 302
    text = _text(client.get(response["Location"]))
    assert 'person-union-join">01/05/2012' in text
    assert "15/10/2025" in text[text.index("member-history") :]
    text = _text(
        client.post(
            reverse("members:admit"), {**form, "cccd": "001092000778", "union_join_date": "01/05/2030"}
        )
    )
    assert "Ngày vào công đoàn 01/05/2030 ở tương lai." in text


def test_masked_birth_dates_are_not_revealed_by_sorting_or_age_bands(fed) -> None:
    """Kim Liên sees "**/**/1990": sorting by birth date is off for it (the list keeps name order),
    and its age bands go by birth year, so they never tell whether a birthday has passed. The
    administrator, who sees the dates, sorts by them and gets bands by day."""
    admit(fed.gl1, "Lê Văn An", gender="Nam", birth_date=d(1990, 12, 1))
    admit(fed.gl1, "Lê Văn Bảo", gender="Nam", birth_date=d(1990, 1, 1))
    december = d(TODAY.year - 30, 12, 31)  # 30 by year; 29 by day until New Year's Eve
    admit(fed.gl1, "Lê Văn Cường", gender="Nam", birth_date=december)
    url = reverse("members:list")

    def order(user, params) -> list[str]:
        text = _text(_client(user).get(url, params))
        names = ("Lê Văn An", "Lê Văn Bảo", "Lê Văn Cường")
        return sorted((n for n in names if n in text), key=text.index)

    assert order(fed.kimlien, {"sort": "birth_date"}) == ["Lê Văn An", "Lê Văn Bảo", "Lê Văn Cường"]
    assert order(fed.admin, {"sort": "birth_date"}) == ["Lê Văn Bảo", "Lê Văn An", "Lê Văn Cường"]
    assert order(fed.kimlien, {"age": "30-44"}) == ["Lê Văn An", "Lê Văn Bảo", "Lê Văn Cường"]
    by_day = "30-44" if (TODAY.month, TODAY.day) == (12, 31) else "duoi30"
    assert "Lê Văn Cường" in order(fed.admin, {"age": by_day})
