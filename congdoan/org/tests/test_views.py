"""Org pages: each renders for the right user in Vietnamese, stays in scope, and writes through services."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from congdoan.core.models import AuditEntry
from congdoan.org import services
from congdoan.org.models import Employer, OrgLink, OrgUnit

d = dt.date
pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _text(response) -> str:
    return response.content.decode()


def _xlsx_rows(response) -> list[tuple]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(BytesIO(response.getvalue()))
    return list(wb.active.iter_rows(values_only=True))


# -- dashboard and navigation ---------------------------------------------------------------------


def test_anonymous_user_is_sent_to_login(fed) -> None:
    """Every page needs a login."""
    for name in ("org:home", "org:tree", "org:unit_list", "org:employer_list", "org:cluster_list"):
        response = Client().get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_home_counts_units_by_type_and_sector(fed) -> None:
    """The city officer sees the live units under the city, by type and by sector, in Vietnamese."""
    response = _client(fed.thanhpho).get(reverse("org:home"))
    text = _text(response)
    assert response.status_code == 200
    assert "LĐLĐ thành phố Hà Nội" in text
    assert "Công đoàn cơ sở" in text and "Công đoàn xã, phường, đặc khu" in text
    assert "Hành chính sự nghiệp" in text and "Doanh nghiệp ngoài nhà nước" in text
    assert '<strong class="total">4</strong>' in text  # GL1, GL2, DD1, KL
    assert "chỉ xem được dữ liệu" not in text


def test_navbar_shows_user_unit_role_and_links(fed) -> None:
    """The navbar names the user's unit and role; "Quản trị" is for administrators only."""
    text = _text(_client(fed.kimlien).get(reverse("org:home")))
    assert "Công đoàn phường Kim Liên · Cán bộ công đoàn cấp trên cơ sở" in text
    for label in ("Tổng quan", "Cây tổ chức", "Đơn vị", "Doanh nghiệp", "Cụm thi đua", "Tài liệu API"):
        assert label in text
    assert "/api/v1/docs/" in text
    assert "Quản trị" not in text
    admin_text = _text(_client(fed.admin).get(reverse("org:home")))
    assert "Quản trị" in admin_text and reverse("admin:index") in admin_text


def test_read_only_user_sees_banner_and_their_last_day(fed) -> None:
    """The former district officer sees a banner and the district as it was on its last day."""
    response = _client(fed.gialam).get(reverse("org:home"))
    text = _text(response)
    assert "Đơn vị đã chấm dứt hoạt động; bạn chỉ xem được dữ liệu đến ngày 29/06/2025" in text
    assert "LĐLĐ huyện Gia Lâm" in text
    assert '<strong class="total">2</strong>' in text  # GL1 and GL2 on 29/06/2025


# -- tree ------------------------------------------------------------------------------------------


def test_tree_shows_roots_and_expands_children_by_htmx(fed) -> None:
    client = _client(fed.thanhpho)
    text = _text(client.get(reverse("org:tree")))
    assert "Cây tổ chức" in text and "Xem theo ngày" in text
    assert "LĐLĐ thành phố Hà Nội" in text
    assert reverse("org:tree_children", args=["HN"]) in text
    assert "2 đơn vị trực thuộc" in text  # today: GL2 and KL
    kids = _text(client.get(reverse("org:tree_children", args=["HN"]), HTTP_HX_REQUEST="true"))
    assert "CĐCS Trường THCS Đặng Xá" in kids and "Công đoàn phường Kim Liên" in kids
    assert "LĐLĐ huyện Gia Lâm" not in kids
    assert "2 đơn vị trực thuộc" in kids  # KL has GL1 and DD1


def test_tree_on_a_past_day(fed) -> None:
    """The date picker shows the tree as it was (dd/mm/yyyy)."""
    client = _client(fed.thanhpho)
    kids = _text(client.get(reverse("org:tree_children", args=["HN"]), {"on": "15/06/2025"}))
    assert "LĐLĐ huyện Gia Lâm" in kids and "LĐLĐ quận Đống Đa" in kids
    assert "Kim Liên" not in kids
    page = _text(client.get(reverse("org:tree"), {"on": "15/06/2025"}))
    assert 'value="15/06/2025"' in page
    bad = _text(client.get(reverse("org:tree"), {"on": "31/02/2025"}))
    assert "Ngày không hợp lệ" in bad


def test_read_only_user_tree_defaults_to_last_day(fed) -> None:
    client = _client(fed.gialam)
    page = _text(client.get(reverse("org:tree")))
    assert 'value="29/06/2025"' in page
    assert "2 đơn vị trực thuộc" in page
    kids = _text(client.get(reverse("org:tree_children", args=["GL"]), {"on": "29/06/2025"}))
    assert "CĐCS Công ty May Gia Lâm" in kids and "CĐCS Trường THCS Đặng Xá" in kids
    # Asking for a later day does not show anything after the last day.
    later = _text(client.get(reverse("org:tree_children", args=["GL"]), {"on": "01/09/2025"}))
    assert "CĐCS Công ty May Gia Lâm" in later


def test_tree_search_without_accents(fed) -> None:
    """ "gia lam" finds "LĐLĐ huyện Gia Lâm" (ended, marked so) and the CĐCS named after it."""
    client = _client(fed.thanhpho)
    text = _text(client.get(reverse("org:tree_search"), {"q": "gia lam"}))
    assert "LĐLĐ huyện Gia Lâm" in text and "CĐCS Công ty May Gia Lâm" in text
    assert "đã chấm dứt" in text
    assert reverse("org:unit_detail", args=["GL"]) in text
    assert "Không tìm thấy" in _text(client.get(reverse("org:tree_search"), {"q": "xyz khong co"}))


def test_tree_search_and_children_stay_in_scope(fed) -> None:
    client = _client(fed.kimlien)
    text = _text(client.get(reverse("org:tree_search"), {"q": "gia lam"}))
    assert "CĐCS Công ty May Gia Lâm" in text
    assert "LĐLĐ huyện Gia Lâm" not in text
    assert client.get(reverse("org:tree_children", args=["HN"])).status_code == 404
    suggest = _text(client.get(reverse("org:unit_suggest"), {"q": "cdcs"}))
    assert "DD1" in suggest and "GL2" not in suggest


# -- unit list and export --------------------------------------------------------------------------


def test_unit_list_filters_and_search(fed) -> None:
    client = _client(fed.thanhpho)
    text = _text(client.get(reverse("org:unit_list")))
    assert "CĐCS Trường THCS Đặng Xá" in text and "Công đoàn phường Kim Liên" in text
    assert "LĐLĐ huyện Gia Lâm" not in text  # ended: not in today's tree
    text = _text(client.get(reverse("org:unit_list"), {"q": "dang xa"}))
    assert "CĐCS Trường THCS Đặng Xá" in text and "Kim Liên" not in text
    text = _text(client.get(reverse("org:unit_list"), {"type": "CD_XA"}))
    assert "Công đoàn phường Kim Liên" in text and "Đặng Xá" not in text
    text = _text(client.get(reverse("org:unit_list"), {"sector": "HCSN"}))
    assert "Đặng Xá" in text and "May Gia Lâm" not in text
    text = _text(client.get(reverse("org:unit_list"), {"on": "15/06/2025"}))
    assert "LĐLĐ huyện Gia Lâm" in text and "Kim Liên" not in text


def test_unit_list_paginates(fed) -> None:
    for i in range(30):
        services.unit_create(
            actor=None,
            code=f"KLX{i:02d}",
            name=f"CĐCS số {i:02d}",
            type="CDCS",
            parent=fed.kl,
            valid_from=d(2025, 7, 1),
        )
    client = _client(fed.thanhpho)
    text = _text(client.get(reverse("org:unit_list")))
    assert "Sau" in text and "page=2" in text
    page2 = _text(client.get(reverse("org:unit_list"), {"page": 2}))
    assert "KLX29" in page2 or "KLX2" in page2


def test_unit_export_is_scoped_and_logged(fed) -> None:
    rows = _xlsx_rows(_client(fed.kimlien).get(reverse("org:unit_list"), {"xuat": "xlsx"}))
    assert rows[0][0] == "Mã đơn vị" and rows[0][1] == "Tên đơn vị"
    assert sorted(r[0] for r in rows[1:]) == ["DD1", "GL1", "KL"]
    entry = AuditEntry.objects.get(object_type="export.units")
    assert entry.actor == fed.kimlien and entry.action == "export" and entry.after["rows"] == 3
    rows = _xlsx_rows(_client(fed.thanhpho).get(reverse("org:unit_list"), {"xuat": "xlsx", "q": "gia lam"}))
    assert [r[0] for r in rows[1:]] == ["GL1"]


def test_export_neutralises_formulas(fed) -> None:
    services.unit_create(
        actor=None,
        code="KLF",
        name='=HYPERLINK("http://x")',
        type="CDCS",
        parent=fed.kl,
        valid_from=d(2025, 7, 1),
        address="@SUM(A1)",
    )
    rows = _xlsx_rows(_client(fed.kimlien).get(reverse("org:unit_list"), {"xuat": "xlsx", "q": "klf"}))
    assert rows[1][1] == '\'=HYPERLINK("http://x")'
    assert rows[1][5] == "'@SUM(A1)"


# -- unit page ---------------------------------------------------------------------------------------


def test_unit_page_history_breadcrumb_children_and_buttons(fed) -> None:
    client = _client(fed.thanhpho)
    text = _text(client.get(reverse("org:unit_detail", args=["GL1"])))
    assert "CĐCS Công ty May Gia Lâm" in text
    assert "Trực thuộc LĐLĐ huyện Gia Lâm từ 01/03/2010 đến 29/06/2025" in text
    assert "Trực thuộc LĐLĐ thành phố Hà Nội từ 30/06/2025 đến 31/07/2025" in text
    assert "Trực thuộc Công đoàn phường Kim Liên từ 01/08/2025 đến nay" in text
    assert 'class="breadcrumb-item"><a href="/don-vi/HN/">LĐLĐ thành phố Hà Nội</a>' in text
    assert 'href="/don-vi/KL/">Công đoàn phường Kim Liên</a>' in text
    for label in ("Sửa", "Chuyển đơn vị cấp trên", "Hợp nhất", "Giải thể", "Thêm đơn vị trực thuộc"):
        assert label in text
    assert "Nhật ký thay đổi" in text and "Chuyển đơn vị cấp trên" in text


def test_ended_unit_page_shows_its_last_day(fed) -> None:
    """An ended district: children and breadcrumb as of its last day, no edit buttons."""
    text = _text(_client(fed.thanhpho).get(reverse("org:unit_detail", args=["GL"])))
    assert "Chấm dứt hoạt động từ 30/06/2025" in text
    assert "ngày 29/06/2025" in text
    assert "CĐCS Công ty May Gia Lâm" in text and "CĐCS Trường THCS Đặng Xá" in text
    assert reverse("org:unit_edit", args=["GL"]) not in text
    assert "Giải thể" in text  # the audit trail records the dissolution


def test_merged_unit_shows_where_it_went(fed) -> None:
    services.unit_merge(actor=fed.thanhpho, unit=fed.gl2, into=fed.kl, on=d(2025, 10, 1))
    text = _text(_client(fed.thanhpho).get(reverse("org:unit_detail", args=["GL2"])))
    assert "Đã hợp nhất vào <strong>Công đoàn phường Kim Liên</strong> từ ngày 01/10/2025" in text


def test_read_only_users_see_no_edit_buttons(fed) -> None:
    text = _text(_client(fed.viewer).get(reverse("org:unit_detail", args=["GL2"])))
    assert "CĐCS Trường THCS Đặng Xá" in text
    assert reverse("org:unit_edit", args=["GL2"]) not in text
    assert reverse("org:unit_move", args=["GL2"]) not in text
    text = _text(_client(fed.gialam).get(reverse("org:unit_detail", args=["GL1"])))
    assert reverse("org:unit_edit", args=["GL1"]) not in text
    # The former district officer sees GL1 as it was on 29/06/2025, nothing after.
    assert "Trực thuộc LĐLĐ huyện Gia Lâm từ 01/03/2010 đến 29/06/2025" in text
    assert "Kim Liên" not in text


@pytest.mark.parametrize(
    ("username", "url"),
    [
        ("kimlien", "/don-vi/GL2/"),
        ("kimlien", "/don-vi/GL2/sua/"),
        ("kimlien", "/don-vi/GL2/chuyen/"),
        ("gialam", "/don-vi/KL/"),
        ("gialam", "/don-vi/GL1/sua/"),
        ("cdcs", "/don-vi/HN/"),
        ("cdcs", "/don-vi/GL1/"),
        ("viewer", "/don-vi/HN/sua/"),
        ("viewer", "/don-vi/GL2/giai-the/"),
        ("thanhpho", "/don-vi/KHONGCO/"),
        ("thanhpho", "/don-vi/GL/sua/"),  # ended
    ],
)
def test_out_of_scope_answers_404(fed, username, url) -> None:
    user = getattr(fed, username)
    assert _client(user).get(url).status_code == 404


def test_read_only_posts_answer_404_and_change_nothing(fed) -> None:
    gialam = _client(fed.gialam)
    assert gialam.post("/don-vi/GL1/sua/", {"name": "Đổi tên", "type": "CDCS"}).status_code == 404
    response = gialam.post("/don-vi/GL1/chuyen/", {"new_parent": "HN", "on": "01/09/2025"})
    assert response.status_code == 404
    viewer = _client(fed.viewer)
    assert viewer.post("/don-vi/GL2/chuyen/", {"new_parent": "KL", "on": "01/09/2025"}).status_code == 404
    fed.gl1.refresh_from_db()
    assert fed.gl1.name == "CĐCS Công ty May Gia Lâm"
    assert OrgLink.objects.filter(child=fed.gl2).count() == 2


def test_404_page_is_vietnamese(fed) -> None:
    response = _client(fed.kimlien).get("/don-vi/GL2/")
    text = _text(response)
    assert "Không tìm thấy" in text and "không thuộc phạm vi" in text


# -- forms -----------------------------------------------------------------------------------------


def test_edit_unit(fed) -> None:
    client = _client(fed.thanhpho)
    form = _text(client.get(reverse("org:unit_edit", args=["GL2"])))
    assert 'value="CĐCS Trường THCS Đặng Xá"' in form and 'value="01/09/2012"' in form
    response = client.post(
        reverse("org:unit_edit", args=["GL2"]),
        {
            "name": "CĐCS Trường THCS Đặng Xá 2",
            "type": "CDCS",
            "sector": "HCSN",
            "founded_on": "01/09/2012",
            "email": "",
        },
        follow=True,
    )
    text = _text(response)
    assert "Đã lưu thay đổi của «CĐCS Trường THCS Đặng Xá 2»." in text
    assert "Đặng Xá 2" in text and "Sửa" in text
    entry = AuditEntry.objects.filter(object_id="GL2", action="update").latest("id")
    assert entry.after == {"name": "CĐCS Trường THCS Đặng Xá 2"}


def test_edit_form_shows_vietnamese_field_errors(fed) -> None:
    response = _client(fed.thanhpho).post(
        reverse("org:unit_edit", args=["GL2"]),
        {
            "name": "",
            "type": "CDCS",
            "founded_on": "2012/31/31",
            "email": "khong-phai-email",
        },
    )
    text = _text(response)
    assert response.status_code == 200
    assert "Chưa nhập tên đơn vị." in text
    assert "Ngày không hợp lệ" in text
    assert "Địa chỉ thư điện tử không hợp lệ." in text


def test_move_unit_through_the_form(fed) -> None:
    client = _client(fed.thanhpho)
    form = _text(client.get(reverse("org:unit_move", args=["GL2"])))
    assert "Đơn vị cấp trên mới" in form and 'list="unit-codes"' in form
    response = client.post(
        reverse("org:unit_move", args=["GL2"]),
        {"new_parent": "KL – Công đoàn phường Kim Liên", "on": "01/09/2025", "reason": "Sắp xếp"},
        follow=True,
    )
    text = _text(response)
    assert response.redirect_chain[-1][0] == "/don-vi/GL2/"
    assert (
        "Đã chuyển «CĐCS Trường THCS Đặng Xá» sang trực thuộc «Công đoàn phường Kim Liên» từ ngày 01/09/2025."
        in text
    )
    assert "Trực thuộc Công đoàn phường Kim Liên từ 01/09/2025 đến nay" in text
    assert "Trực thuộc LĐLĐ thành phố Hà Nội từ 30/06/2025 đến 31/08/2025" in text
    entry = AuditEntry.objects.filter(object_id="GL2", action="move").latest("id")
    assert entry.actor == fed.thanhpho and entry.after == {"parent": "KL", "from": "2025-09-01"}


def test_move_under_own_child_is_refused_in_vietnamese(fed) -> None:
    response = _client(fed.thanhpho).post(
        reverse("org:unit_move", args=["HN"]), {"new_parent": "KL", "on": "01/09/2025"}
    )
    text = _text(response)
    assert response.status_code == 200
    assert (
        "Không thể chuyển «LĐLĐ thành phố Hà Nội» vào «Công đoàn phường Kim Liên» vì "
        "«Công đoàn phường Kim Liên» đang trực thuộc «LĐLĐ thành phố Hà Nội»."
    ) in text
    assert OrgLink.objects.filter(child=fed.hn).count() == 0


def test_move_date_before_founding_is_refused(fed) -> None:
    response = _client(fed.admin).post(
        reverse("org:unit_move", args=["GL2"]), {"new_parent": "KL", "on": "01/01/2011"}
    )
    text = _text(response)
    assert "Ngày 01/01/2011 trước ngày thành lập đơn vị «CĐCS Trường THCS Đặng Xá» (01/09/2012)." in text


def test_move_form_errors(fed) -> None:
    client = _client(fed.thanhpho)
    text = _text(client.post(reverse("org:unit_move", args=["GL2"]), {"new_parent": "", "on": "32/13/2025"}))
    assert "Chưa chọn đơn vị cấp trên mới." in text and "Ngày không hợp lệ" in text
    text = _text(
        client.post(reverse("org:unit_move", args=["GL2"]), {"new_parent": "KHONGCO", "on": "01/09/2025"})
    )
    assert "Không tìm thấy đơn vị có mã «KHONGCO» trong phạm vi của bạn." in text
    # A unit the officer may see but not change on that day: a message, not a crash.
    text = _text(
        client.post(reverse("org:unit_move", args=["GL2"]), {"new_parent": "KL", "on": "01/01/2020"})
    )
    assert "không thuộc phạm vi bạn được quyền thay đổi" in text
    # kimlien cannot pick a unit outside its subtree as the new parent.
    text = _text(
        _client(fed.kimlien).post(
            reverse("org:unit_move", args=["GL1"]), {"new_parent": "HN", "on": "01/09/2025"}
        )
    )
    assert "Không tìm thấy đơn vị có mã «HN»" in text


def test_create_child_unit(fed) -> None:
    client = _client(fed.kimlien)
    form = _text(client.get(reverse("org:unit_create", args=["KL"])))
    assert "Thêm đơn vị trực thuộc «Công đoàn phường Kim Liên»" in form
    assert 'value="LDLD_HUYEN"' not in form  # only types below a ward union
    response = client.post(
        reverse("org:unit_create", args=["KL"]),
        {
            "code": "KL3",
            "name": "CĐCS Trường Mầm non Kim Liên",
            "type": "CDCS",
            "sector": "HCSN",
            "founded_on": "01/10/2025",
        },
        follow=True,
    )
    text = _text(response)
    assert "Đã thêm đơn vị «CĐCS Trường Mầm non Kim Liên» trực thuộc «Công đoàn phường Kim Liên»." in text
    assert "Trực thuộc Công đoàn phường Kim Liên từ 01/10/2025 đến nay" in text
    again = _text(
        client.post(
            reverse("org:unit_create", args=["KL"]),
            {
                "code": "KL3",
                "name": "Trùng mã",
                "type": "CDCS",
            },
        )
    )
    assert "Mã đơn vị «KL3» đã được dùng." in again


def test_dissolve_needs_a_receiver_for_children(fed) -> None:
    client = _client(fed.thanhpho)
    text = _text(client.post(reverse("org:unit_dissolve", args=["KL"]), {"on": "01/10/2025"}))
    assert "còn 2 đơn vị trực thuộc; hãy chọn đơn vị tiếp nhận" in text
    response = client.post(
        reverse("org:unit_dissolve", args=["KL"]),
        {"on": "01/10/2025", "children_to": "HN", "reason": "Sắp xếp lại"},
        follow=True,
    )
    text = _text(response)
    assert "Đã ghi nhận giải thể «Công đoàn phường Kim Liên» từ ngày 01/10/2025." in text
    assert OrgUnit.objects.get(code="KL").dissolved_on == d(2025, 10, 1)


def test_merge_through_the_form(fed) -> None:
    client = _client(fed.thanhpho)
    response = client.post(
        reverse("org:unit_merge", args=["GL2"]), {"into": "KL", "on": "01/10/2025"}, follow=True
    )
    assert (
        "Đã hợp nhất «CĐCS Trường THCS Đặng Xá» vào «Công đoàn phường Kim Liên» từ ngày 01/10/2025."
        in _text(response)
    )
    text = _text(client.post(reverse("org:unit_merge", args=["KL"]), {"into": "KL", "on": "01/10/2025"}))
    assert "Không thể hợp nhất một đơn vị vào chính nó." in text


# -- employers -----------------------------------------------------------------------------------------


@pytest.fixture
def employers(fed) -> dict[str, Employer]:
    create = services.employer_create
    return {
        "may": create(
            actor=None,
            name="Công ty TNHH May Gia Lâm",
            tax_code="0101234567",
            sector="DN_NGOAI_NHA_NUOC",
            workforce=1250,
            pays_union_funding=True,
            unit=fed.kl,
            cdcs=fed.gl1,
        ),
        "xay": create(
            actor=None,
            name="Công ty Xây dựng Đông Á",
            tax_code="0109999999",
            sector="DN_NGOAI_NHA_NUOC",
            workforce=40,
            unit=fed.hn,
            cdcs=None,
        ),
        "old": create(
            actor=None,
            name="Xí nghiệp Gia Lâm cũ",
            tax_code=None,
            sector="DN_NHA_NUOC",
            workforce=10,
            unit=fed.gl,
            cdcs=None,
        ),
    }


def test_employer_list_filters_and_search(fed, employers) -> None:
    client = _client(fed.thanhpho)
    text = _text(client.get(reverse("org:employer_list")))
    assert "Công ty TNHH May Gia Lâm" in text and "Công ty Xây dựng Đông Á" in text
    assert "1.250" in text
    text = _text(client.get(reverse("org:employer_list"), {"q": "may gia lam"}))
    assert "May Gia Lâm" in text and "Đông Á" not in text
    text = _text(client.get(reverse("org:employer_list"), {"q": "0109999"}))
    assert "Đông Á" in text and "May Gia Lâm" not in text
    text = _text(client.get(reverse("org:employer_list"), {"has_cdcs": "false"}))
    assert "Đông Á" in text and "May Gia Lâm" not in text
    text = _text(client.get(reverse("org:employer_list"), {"pays_union_funding": "true"}))
    assert "May Gia Lâm" in text and "Đông Á" not in text
    text = _text(client.get(reverse("org:employer_list"), {"sector": "DN_NHA_NUOC"}))
    assert "Đông Á" not in text


def test_employer_export_is_scoped(fed, employers) -> None:
    rows = _xlsx_rows(_client(fed.kimlien).get(reverse("org:employer_list"), {"xuat": "xlsx"}))
    assert [r[0] for r in rows[1:]] == ["Công ty TNHH May Gia Lâm"]
    assert rows[1][1] == "0101234567" and rows[1][4] == 1250
    assert AuditEntry.objects.filter(object_type="export.employers", actor=fed.kimlien).count() == 1


def test_employer_detail_and_scope(fed, employers) -> None:
    may = employers["may"]
    text = _text(_client(fed.kimlien).get(reverse("org:employer_detail", args=[may.pk])))
    assert "Công ty TNHH May Gia Lâm" in text and "0101234567" in text and "Nhật ký thay đổi" in text
    assert "Tạo mới" in text and reverse("org:employer_edit", args=[may.pk]) in text
    assert (
        _client(fed.kimlien).get(reverse("org:employer_detail", args=[employers["xay"].pk])).status_code
        == 404
    )
    assert _client(fed.cdcs).get(reverse("org:employer_detail", args=[may.pk])).status_code == 404
    viewer = _text(_client(fed.viewer).get(reverse("org:employer_detail", args=[may.pk])))
    assert reverse("org:employer_edit", args=[may.pk]) not in viewer
    assert _client(fed.viewer).get(reverse("org:employer_edit", args=[may.pk])).status_code == 404
    assert _client(fed.viewer).get(reverse("org:employer_create")).status_code == 404
    assert (
        _client(fed.gialam)
        .post(reverse("org:employer_edit", args=[employers["old"].pk]), {"name": "x"})
        .status_code
        == 404
    )


def test_employer_unit_page_lists_employers(fed, employers) -> None:
    text = _text(_client(fed.kimlien).get(reverse("org:unit_detail", args=["KL"])))
    assert "Công ty TNHH May Gia Lâm" in text


def test_create_and_edit_employer(fed) -> None:
    client = _client(fed.kimlien)
    data = {
        "name": "Công ty Cổ phần Kim Liên",
        "tax_code": "012345678",
        "sector": "DN_NGOAI_NHA_NUOC",
        "workforce": "120",
        "unit": "KL",
        "cdcs": "GL1",
        "pays_union_funding": "on",
    }
    text = _text(client.post(reverse("org:employer_create"), data))
    assert "Mã số thuế phải gồm 10 hoặc 13 chữ số." in text
    text = _text(
        client.post(reverse("org:employer_create"), {**data, "tax_code": "0123456789", "cdcs": "KL"})
    )
    assert "Chỉ chọn được công đoàn cơ sở hoặc nghiệp đoàn." in text
    text = _text(
        client.post(reverse("org:employer_create"), {**data, "tax_code": "0123456789", "unit": "HN"})
    )
    assert "Không tìm thấy đơn vị có mã «HN» trong phạm vi bạn được quyền thay đổi." in text
    response = client.post(reverse("org:employer_create"), {**data, "tax_code": "0123456789"}, follow=True)
    assert "Đã thêm doanh nghiệp «Công ty Cổ phần Kim Liên»." in _text(response)
    employer = Employer.objects.get(tax_code="0123456789")
    assert employer.cdcs == fed.gl1 and employer.pays_union_funding is True
    response = client.post(
        reverse("org:employer_edit", args=[employer.pk]),
        {**data, "tax_code": "0123456789", "workforce": "150"},
        follow=True,
    )
    text = _text(response)
    assert "Đã lưu thay đổi của «Công ty Cổ phần Kim Liên»." in text
    assert "120" in text and "150" in text  # the audit trail shows before → after


# -- clusters --------------------------------------------------------------------------------------------


def test_cluster_list_shows_leader_deputy_and_members(fed) -> None:
    services.cluster_create(
        actor=None,
        name="Cụm thi đua số 1",
        year=2025,
        organiser=fed.hn,
        members=[fed.kl, fed.gl2, fed.dd1],
        leader=fed.kl,
        deputy=fed.gl2,
    )
    services.cluster_create(actor=None, name="Cụm thi đua cũ", year=2024, organiser=fed.hn, members=[fed.gl])
    client = _client(fed.thanhpho)
    text = _text(client.get(reverse("org:cluster_list"), {"nam": "2025"}))
    assert "Cụm thi đua năm 2025" in text and "Cụm thi đua số 1" in text
    assert "Cụm trưởng: <strong>Công đoàn phường Kim Liên</strong>" in text
    assert "Cụm phó: <strong>CĐCS Trường THCS Đặng Xá</strong>" in text
    assert "CĐCS Bệnh viện Đống Đa" in text and "Cụm thi đua cũ" not in text
    text = _text(client.get(reverse("org:cluster_list"), {"nam": "2024"}))
    assert "Cụm thi đua cũ" in text and "Cụm thi đua số 1" not in text
    # A member of a cluster it does not organise finds it under the cluster's year (issue 12).
    kimlien = _text(_client(fed.kimlien).get(reverse("org:cluster_list"), {"nam": "2025"}))
    assert "Cụm thi đua số 1" in kimlien and 'href="?nam=2025"' in kimlien


# -- admin ---------------------------------------------------------------------------------------------


def test_admin_pages_for_administrators(fed) -> None:
    client = _client(fed.admin)
    for url in (
        "/admin/",
        "/admin/org/orgunit/",
        f"/admin/org/orgunit/{fed.gl1.pk}/change/",
        "/admin/org/orglink/",
        "/admin/org/employer/",
        "/admin/org/emulationcluster/",
        "/admin/core/auditentry/",
        "/admin/accounts/user/",
        f"/admin/accounts/user/{fed.kimlien.pk}/change/",
    ):
        assert client.get(url).status_code == 200, url
    text = _text(client.get(f"/admin/accounts/user/{fed.kimlien.pk}/change/"))
    assert "phân quyền" in text.lower()
    assert _client(fed.thanhpho).get("/admin/").status_code == 302
