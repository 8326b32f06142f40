"""Activities: bad input (every problem in Vietnamese, nothing changed), scope, photos, indicators and
drill-down, the report's sentences, pages with XLSX, the API and the attendee importer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from rest_framework.test import APIClient

from congdoan.accounts.scope import OutOfScope
from congdoan.activities import attendee_import, report, services
from congdoan.activities.models import Activity, ActivityKind, Attendee
from congdoan.core import registry
from congdoan.core.models import AuditEntry
from congdoan.core.periods import parse_period
from congdoan.indicators.providers import BATCHES, REGISTRY
from congdoan.org import tree
from congdoan.reports import selectors as report_selectors

from .conftest import kind, login, record

pytestmark = pytest.mark.django_db
d = dt.date
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


# -- services: the bad input of the issue --------------------------------------------------------


def test_create_audits_and_counts(fed) -> None:
    activity = record(fed.gl1, d(2024, 4, 1), participants=45, women=45, cost=0)
    assert activity.women == 45
    entry = AuditEntry.objects.get(object_type="activities.activity", object_id=str(activity.pk))
    assert entry.action == AuditEntry.Action.CREATE and entry.after["participants"] == 45


def test_women_above_participants_and_negative_cost_refused_together(fed) -> None:
    with pytest.raises(ValidationError) as exc:
        record(fed.gl1, d(2024, 4, 1), participants=40, women=41, cost=-5000, sessions=0, title=" ")
    errors = exc.value.message_dict
    assert errors["women"] == ["Số lượt nữ (41) không được lớn hơn tổng số lượt tham gia (40)."]
    assert errors["cost"] == ["Kinh phí không được âm (-5.000 đồng)."]
    assert errors["sessions"] == ["Số cuộc, buổi phải là số nguyên từ 1 trở lên."]
    assert errors["title"] == ["Chưa nhập nội dung hoạt động."]
    assert not Activity.objects.exists()


def test_future_day_retired_kind_and_dead_unit_refused(fed) -> None:
    retired = kind("bua_com")
    retired.active = False
    retired.save()
    with pytest.raises(ValidationError) as exc:
        record(fed.kl, d(2099, 1, 1), "bua_com")
    assert "ở tương lai" in exc.value.message_dict["held_on"][0]
    assert exc.value.message_dict["kind"] == ["Loại hoạt động «Bữa cơm Công đoàn» không còn được dùng."]
    with pytest.raises(ValidationError) as exc:
        record(fed.kl, d(2025, 1, 1))  # Kim Liên was founded on 01/07/2025
    assert exc.value.message_dict["held_on"] == [
        "«Công đoàn phường Kim Liên» không hoạt động vào ngày 01/01/2025."
    ]
    assert not Activity.objects.exists()


def test_out_of_scope_is_404_and_update_checks_again(acts) -> None:
    fed = acts["fed"]
    with pytest.raises(OutOfScope):
        record(fed.gl2, d(2025, 9, 1), actor=fed.kimlien)
    activity = acts["kl_2025"]
    with pytest.raises(ValidationError) as exc:
        services.activity_update(actor=fed.kimlien, activity=activity, women=61)
    assert "không được lớn hơn" in exc.value.message_dict["women"][0]
    activity.refresh_from_db()
    assert activity.women == 30
    services.activity_update(actor=fed.kimlien, activity=activity, participants=70, women=35)
    entry = AuditEntry.objects.filter(object_id=str(activity.pk), action=AuditEntry.Action.UPDATE).get()
    assert entry.before == {"participants": 60, "women": 30} and entry.after == {
        "participants": 70,
        "women": 35,
    }


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    participants=st.integers(-3, 200),
    women=st.integers(-3, 200),
    cost=st.integers(-(10**6), 10**6),
    sessions=st.integers(-1, 5),
)
def test_rules_accept_exactly_the_sound_records(fed, participants, women, cost, sessions) -> None:
    data = {
        "kind": kind(),
        "unit": fed.hn,
        "held_on": d(2024, 1, 2),
        "title": "x",
        "sessions": sessions,
        "participants": participants,
        "women": women,
        "cost": cost,
    }
    sound = 0 <= women <= participants and cost >= 0 and sessions >= 1
    assert (not services.check(data)) == sound


def test_photo_checked_by_content(acts) -> None:
    fed, activity = acts["fed"], acts["kl_2025"]
    photo = services.photo_add(actor=fed.kimlien, activity=activity, name="anh.png", data=PNG)
    assert photo.content_type == "image/png"
    with pytest.raises(ValidationError) as exc:
        services.photo_add(actor=fed.kimlien, activity=activity, name="virus.jpg", data=b"MZ\x90\x00")
    assert exc.value.messages == ["Tệp «virus.jpg» không phải ảnh JPEG hay PNG."]
    assert activity.photos.count() == 1
    client = login(fed.kimlien)
    response = client.get(reverse("activities:photo", args=[photo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert login(fed.cdcs).get(reverse("activities:photo", args=[photo.pk])).status_code == 404


# -- indicators and the report -------------------------------------------------------------------


def test_providers_count_sessions_and_participants_and_drill_down(acts) -> None:
    fed = acts["fed"]
    start, end = d(2024, 1, 1), d(2024, 12, 31)
    units = tree.in_subtree([fed.gl.pk], end)
    batch = BATCHES["activities"](units, start, end)
    assert sum(batch["activity_sessions_tuyen_truyen"].values()) == 10
    assert sum(batch["activity_participants"].values()) == 800 + 247
    assert sum(batch["activity_women"].values()) == 500 + 150
    assert sum(batch["activities"].values()) == 2
    for code in ("activity_participants", "activity_sessions_tuyen_truyen", "activity_cost"):
        assert REGISTRY[code].values(units, start, end) == batch[code]
    records = REGISTRY["activity_participants_kham_suc_khoe"].records
    assert records is not None
    assert [a.pk for a in records(units, start, end)] == [acts["gl2_2024"].pk]


def test_report_sentences_are_counted_from_records(acts) -> None:
    fed = acts["fed"]
    built = report_selectors.report_build(user=fed.gialam, unit=fed.gl, period=parse_period("2024"))
    paragraphs = [
        p for s in built.sections for part in s.parts if part.key == "activities" for p in part.paragraphs
    ]
    assert paragraphs[0] == (
        "Năm 2024, toàn huyện đã tổ chức 10 cuộc tuyên truyền cho 800 lượt CNVCLĐ; "
        "1 đợt khám sức khỏe cho 247 lượt CNVCLĐ."
    )
    assert paragraphs[1].startswith("Tổng cộng 2 hoạt động (11 cuộc, buổi) với 1.047 lượt người tham gia")


def test_report_draft_writes_the_seeds_sentence(db) -> None:
    stats = {
        "HD_SO": SimpleNamespace(value=Decimal(1846)),
        "HD_CUOC": SimpleNamespace(value=Decimal(1846)),
        "HD_LUOT": SimpleNamespace(value=Decimal(45312)),
        "HD_TT_CUOC": SimpleNamespace(value=Decimal(1846)),
        "HD_TT_LUOT": SimpleNamespace(value=Decimal(45312)),
    }
    figures = registry.SectionFigures(
        period=parse_period("2024"),
        area="toàn thành phố",
        start=d(2024, 1, 1),
        end=d(2024, 12, 31),
        ended=False,
        reason="",
        stats=stats,
    )
    lines = report.draft(figures)
    assert (
        lines[0] == "Năm 2024, toàn thành phố đã tổ chức 1.846 cuộc tuyên truyền cho hơn 45.000 lượt CNVCLĐ."
    )
    empty = registry.SectionFigures(
        period=parse_period("2024"),
        area="toàn huyện",
        start=d(2024, 1, 1),
        end=d(2024, 12, 31),
        ended=False,
        reason="",
        stats={},
    )
    assert report.draft(empty)[0].startswith("Chưa có số liệu về các hoạt động")


# -- pages, XLSX, API ----------------------------------------------------------------------------


def listed(response) -> set[int]:
    return {row.record.pk for row in response.context["table"].rows}


def test_list_is_scoped_filtered_searched_and_paginated(acts) -> None:
    fed = acts["fed"]
    client = login(fed.kimlien)
    url = reverse("activities:list")
    # GL1 is Kim Liên's now: its whole history with it; GL2 never was.
    assert listed(client.get(url)) == {acts["gl1_2024"].pk, acts["gl1_2025"].pk, acts["kl_2025"].pk}
    assert listed(client.get(url, {"kind": "tap_huan_phap_luat"})) == {acts["kl_2025"].pk}
    assert listed(client.get(url, {"q": "Tập huấn"})) == {acts["kl_2025"].pk}
    gialam = login(fed.gialam)
    assert listed(gialam.get(url)) == {acts["gl1_2024"].pk, acts["gl2_2024"].pk}
    response = gialam.get(url, {"unit": "KL"})
    assert listed(response) == set()
    assert "Không tìm thấy đơn vị có mã «KL»" in response.content.decode()
    admin = login(fed.admin)
    assert admin.get(url, {"per_page": 2}).context["table"].paginator.num_pages == 3


def test_xlsx_export_holds_the_filtered_rows(acts) -> None:
    response = login(acts["fed"].kimlien).get(reverse("activities:list"), {"xuat": "xlsx"})
    book = load_workbook(BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    titles = {r[3] for r in rows[1:] if r and r[0]}
    assert {"Tuyên truyền KL", "Tập huấn KL"} <= titles
    assert "Khám sức khỏe GL2" not in titles


def test_detail_is_404_out_of_scope(acts) -> None:
    fed = acts["fed"]
    url = reverse("activities:detail", args=[acts["gl2_2024"].pk])
    assert login(fed.kimlien).get(url).status_code == 404
    assert login(fed.gialam).get(url).status_code == 200
    assert login(fed.kimlien).get(reverse("activities:edit", args=[acts["gl2_2024"].pk])).status_code == 404


def test_form_records_and_refuses_in_vietnamese(fed) -> None:
    client = login(fed.kimlien)
    url = reverse("activities:create")
    post = {
        "unit": "KL",
        "kind": kind().pk,
        "held_on": "02/09/2025",
        "title": "Tuyên truyền an toàn giao thông",
        "sessions": "1",
        "participants": "30",
        "women": "31",
        "cost": "-1",
    }
    response = client.post(url, post)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Số lượt nữ (31) không được lớn hơn tổng số lượt tham gia (30)." in text
    assert "Kinh phí không được âm" in text
    assert not Activity.objects.exists()
    response = client.post(url, {**post, "unit": "GL2", "women": "10", "cost": "0"})
    assert "trong phạm vi bạn được quyền thay đổi" in response.content.decode()
    response = client.post(url, {**post, "women": "10", "cost": "500000"})
    activity = Activity.objects.get()
    assert response.status_code == 302 and response["Location"] == activity.get_absolute_url()
    assert activity.cost == 500_000 and activity.unit == fed.kl


def test_api_lists_in_scope_and_404_outside(acts) -> None:
    fed = acts["fed"]
    api = APIClient()
    api.force_authenticate(fed.kimlien)
    body = api.get("/api/v1/activities/").json()
    assert {row["id"] for row in body["results"]} == {
        acts["gl1_2024"].pk,
        acts["gl1_2025"].pk,
        acts["kl_2025"].pk,
    }
    assert api.get(f"/api/v1/activities/{acts['gl2_2024'].pk}/").status_code == 404
    kinds = api.get("/api/v1/activity-kinds/").json()
    assert len(kinds["results"]) == ActivityKind.objects.count() == 8


# -- the attendee importer ----------------------------------------------------------------------


def _xlsx(rows: list[list[object]]) -> BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(["Mã hoạt động", "Họ và tên", "Số CCCD", "Giới tính", "Nơi làm việc"])
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "danh-sach.xlsx"  # type: ignore[attr-defined]
    return out


def test_attendee_import_all_or_nothing_and_idempotent(acts) -> None:
    fed, activity = acts["fed"], acts["kl_2025"]
    good = [
        [activity.pk, "Nguyễn Thị Hoa", "001190000001", "Nữ", "May Gia Lâm"],
        [activity.pk, "Trần Văn Nam", "", "Nam", ""],
    ]
    result = attendee_import.import_attendees(actor=fed.kimlien, path_or_file=_xlsx(good))
    assert result.ok and result.created == 2
    again = attendee_import.import_attendees(actor=fed.kimlien, path_or_file=_xlsx(good))
    assert again.ok and again.created == 0 and again.unchanged == 2
    bad = [
        [activity.pk, "Lê Văn C", "12", "Nam", ""],
        [acts["gl2_2024"].pk, "Phạm D", "", "Khác", ""],
        [activity.pk, "Đỗ E", "", "Nữ", ""],
    ]
    result = attendee_import.import_attendees(actor=fed.kimlien, path_or_file=_xlsx(bad))
    messages = [str(e) for e in result.errors]
    assert "Dòng 2, cột Số CCCD: Số CCCD «12» phải gồm 12 chữ số (hoặc CMND 9 chữ số)." in messages
    assert any(m.startswith("Dòng 3, cột Mã hoạt động: Không tìm thấy hoạt động") for m in messages)
    assert Attendee.objects.count() == 2
    page = login(fed.kimlien).get(activity.get_absolute_url()).content.decode()
    assert "Nguyễn Thị Hoa" in page and "Danh sách người tham gia (2)" in page
