"""Recommendations (issue 16, part 2): raised to an upper level or an outside body, routed, answered only
by the unit addressed, closed; ageing and overdue; the indicators and the report's "tổng hợp kiến nghị"."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from congdoan.accounts.scope import OutOfScope
from congdoan.conferences import services as conference_services
from congdoan.core.models import AuditEntry
from congdoan.core.periods import parse_period
from congdoan.indicators import engine
from congdoan.indicators.models import Indicator
from congdoan.recommendations import selectors, services
from congdoan.recommendations.models import Recommendation, RecStatus

pytestmark = pytest.mark.django_db
d = dt.date
TODAY = timezone.localdate()
YEAR = TODAY.year
DAY = d(YEAR, 1, 10)


def login(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def raise_rec(fed, title: str = "Gia hạn tổ chức Hội nghị người lao động", **kw) -> Recommendation:  # type: ignore[no-untyped-def]
    kw.setdefault("unit", fed.kl)
    kw.setdefault("raised_on", DAY)
    if "to_body" not in kw:
        kw.setdefault("to_unit", fed.hn)
    return services.rec_create(actor=kw.pop("actor", fed.kimlien), title=title, **kw)


def test_raise_to_the_city_with_a_default_due_day(fed) -> None:  # type: ignore[no-untyped-def]
    rec = raise_rec(fed)
    assert rec.due_on == DAY + dt.timedelta(days=30) and rec.status == RecStatus.RAISED
    assert rec.addressee == "LĐLĐ thành phố Hà Nội"
    entry = AuditEntry.objects.get(object_type="recommendations.recommendation", action="create")
    assert entry.actor == fed.kimlien and entry.after["title"] == rec.title


def test_bad_input_is_refused_together_and_nothing_written(fed) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as refused:
        services.rec_create(
            actor=fed.kimlien,
            unit=fed.kl,
            title=" ",
            raised_on=TODAY + dt.timedelta(days=3),
            to_unit=fed.gl1,  # below, not above
            due_on=TODAY,
        )
    errors = refused.value.message_dict
    assert errors["title"] == ["Chưa nhập nội dung kiến nghị."]
    assert "ở tương lai" in errors["raised_on"][0]
    assert errors["to_unit"] == [
        f"«CĐCS Công ty May Gia Lâm» không phải công đoàn cấp trên của «Công đoàn phường Kim Liên» "
        f"ngày {(TODAY + dt.timedelta(days=3)):%d/%m/%Y}."
    ]
    assert "trước ngày gửi" in errors["due_on"][0]
    with pytest.raises(ValidationError, match="Chọn công đoàn cấp trên hoặc ghi tên cơ quan"):
        services.rec_create(actor=fed.kimlien, unit=fed.kl, title="A", raised_on=DAY)
    with pytest.raises(ValidationError, match="gửi một nơi"):
        services.rec_create(
            actor=fed.kimlien, unit=fed.kl, title="A", raised_on=DAY, to_unit=fed.hn, to_body="Sở"
        )
    assert not Recommendation.objects.exists()
    with pytest.raises(OutOfScope):
        raise_rec(fed, unit=fed.gl2, actor=fed.kimlien)


def test_only_the_unit_addressed_answers(fed) -> None:  # type: ignore[no-untyped-def]
    rec = raise_rec(fed)
    with pytest.raises(ValidationError) as refused:  # Kim Liên raised it: it cannot answer itself
        services.rec_answer(actor=fed.kimlien, rec=rec, by=fed.kl, on=TODAY, answer="Đồng ý")
    assert refused.value.message_dict["by"] == [
        f"Kiến nghị «{rec.title}» gửi «LĐLĐ thành phố Hà Nội»: "
        "«Công đoàn phường Kim Liên» không được trả lời."
    ]
    with pytest.raises(OutOfScope):  # nor in the city's name
        services.rec_answer(actor=fed.kimlien, rec=rec, by=fed.hn, on=TODAY, answer="Đồng ý")
    rec.refresh_from_db()
    assert rec.status == RecStatus.RAISED and rec.answer == ""
    with pytest.raises(ValidationError) as refused:
        services.rec_answer(actor=fed.thanhpho, rec=rec, by=fed.hn, on=DAY - dt.timedelta(days=1), answer="")
    assert set(refused.value.message_dict) == {"answered_on", "answer"}
    services.rec_answer(actor=fed.thanhpho, rec=rec, by=fed.hn, on=TODAY, answer="Đồng ý gia hạn đến 30/6.")
    rec.refresh_from_db()
    assert rec.status == RecStatus.ANSWERED and rec.answered_on == TODAY
    with pytest.raises(ValidationError, match="đang ở trạng thái «Đã trả lời»"):
        services.rec_answer(actor=fed.thanhpho, rec=rec, by=fed.hn, on=TODAY, answer="Lần hai")
    with pytest.raises(OutOfScope):  # the raising unit closes it, not the city... the city may (its subtree)
        services.rec_close(actor=fed.cdcs, rec=rec, on=TODAY)
    services.rec_close(actor=fed.kimlien, rec=rec, on=TODAY, note="Đã thực hiện")
    rec.refresh_from_db()
    assert rec.status == RecStatus.CLOSED
    steps = AuditEntry.objects.filter(object_type="recommendations.recommendation", action="update")
    assert [e.before["status"] for e in steps.order_by("pk")] == ["raised", "answered"]


def test_an_outside_body_reply_is_recorded_by_the_raising_unit_and_routing(fed) -> None:  # type: ignore[no-untyped-def]
    rec = raise_rec(fed, "Bố trí nhà ăn ca", unit=fed.gl1, to_body="Công ty May Gia Lâm")
    with pytest.raises(ValidationError, match="không được trả lời"):
        services.rec_answer(actor=fed.kimlien, rec=rec, by=fed.kl, on=TODAY, answer="x")
    services.rec_answer(actor=fed.kimlien, rec=rec, by=fed.gl1, on=TODAY, answer="Công ty đồng ý.")
    second = raise_rec(fed, "Liên kết tài khoản thu đoàn phí", unit=fed.gl1, to_unit=fed.kl)
    with pytest.raises(ValidationError, match="không được chuyển"):
        services.rec_route(actor=fed.kimlien, rec=second, by=fed.gl1, on=TODAY, to_unit=fed.hn)
    services.rec_route(
        actor=fed.kimlien, rec=second, by=fed.kl, on=TODAY, to_unit=fed.hn, note="Thuộc thẩm quyền"
    )
    second.refresh_from_db()
    assert second.status == RecStatus.ROUTED and second.to_unit == fed.hn
    with pytest.raises(ValidationError, match="không được trả lời"):  # now the city's to answer
        services.rec_answer(actor=fed.kimlien, rec=second, by=fed.kl, on=TODAY, answer="x")


def test_conference_link_must_be_the_units_own(fed) -> None:  # type: ignore[no-untyped-def]
    held = conference_services.conference_create(
        actor=None, unit=fed.gl2, kind="civil", held_on=d(2025, 3, 1), employee_side=30
    )
    with pytest.raises(ValidationError, match="không thuộc «CĐCS Công ty May Gia Lâm»"):
        raise_rec(fed, unit=fed.gl1, to_unit=fed.kl, conference=held)
    own = conference_services.conference_create(
        actor=None, unit=fed.gl1, kind="workers", held_on=d(YEAR, 1, 5), employee_side=30
    )
    assert raise_rec(fed, unit=fed.kl, conference=own).conference == own  # collected at one of its CĐCS


def test_ageing_overdue_and_the_indicators(fed) -> None:  # type: ignore[no-untyped-def]
    old = raise_rec(fed, "Cũ", raised_on=d(YEAR, 1, 2), due_on=d(YEAR, 1, 20))
    answered = raise_rec(fed, "Đã trả lời", raised_on=d(YEAR, 1, 3))
    answered = services.rec_answer(
        actor=fed.thanhpho, rec=answered, by=fed.hn, on=d(YEAR, 1, 13), answer="Đồng ý"
    )
    raise_rec(fed, "Của GL1", unit=fed.gl1, to_unit=fed.kl, raised_on=d(YEAR, 1, 4))
    assert selectors.ageing_days(answered) == 10
    assert selectors.ageing_days(old, d(YEAR, 2, 1)) == 30
    period = parse_period(str(YEAR))

    def figure(code: str, unit):  # type: ignore[no-untyped-def]
        return engine.value_of(indicator=Indicator.objects.get(code=code), period=period, unit=unit).value

    assert figure("KN_GUI", fed.kl) == 3 and figure("KN_GUI", fed.hn) == 3
    assert figure("KN_TRA_LOI", fed.hn) == 1 and figure("KN_CHUA_TRA_LOI", fed.hn) == 2
    assert figure("KN_QUA_HAN", fed.hn) >= 1
    summary = selectors.summary(selectors.rec_list(user=fed.thanhpho), day=d(YEAR, 2, 1))
    assert summary.total == 3 and summary.overdue == 1
    assert dict((k, n) for k, _, n in summary.ages) == {"d15": 0, "d30": 2, "d60": 0, "more": 0}


def test_pages_scope_api_and_xlsx(fed) -> None:  # type: ignore[no-untyped-def]
    mine = raise_rec(fed, "Kiến nghị của Kim Liên")
    other = raise_rec(fed, "Kiến nghị của Đặng Xá", unit=fed.gl2, actor=fed.thanhpho)
    kimlien = login(fed.kimlien)
    page = kimlien.get("/kien-nghi/").content.decode()
    assert (
        "Kiến nghị của Kim Liên" in page
        and "Kiến nghị của Đặng Xá" not in page
        and "Tổng hợp kiến nghị" in page
    )
    assert kimlien.get(f"/kien-nghi/{other.pk}/").status_code == 404
    assert login(fed.thanhpho).get(f"/kien-nghi/{mine.pk}/").status_code == 200  # addressed to the city
    # Kim Liên sees its recommendation but has no answer form; posting one is refused with the reason.
    detail = kimlien.get(f"/kien-nghi/{mine.pk}/").content.decode()
    assert "Trả lời kiến nghị" not in detail
    refused = kimlien.post(
        f"/kien-nghi/{mine.pk}/tra-loi/",
        {"by": "KL", "answered_on": TODAY.strftime("%d/%m/%Y"), "answer": "Tự trả lời"},
    )
    assert "«Công đoàn phường Kim Liên» không được trả lời" in refused.content.decode()
    city = login(fed.thanhpho)
    assert "Trả lời kiến nghị" in city.get(f"/kien-nghi/{mine.pk}/").content.decode()
    done = city.post(
        f"/kien-nghi/{mine.pk}/tra-loi/",
        {"by": "HN", "answered_on": TODAY.strftime("%d/%m/%Y"), "answer": "Đồng ý"},
    )
    assert done.status_code == 302
    api = APIClient()
    api.force_authenticate(fed.kimlien)
    rows = api.get("/api/v1/recommendations/").json()["results"]
    assert [(r["id"], r["status"], r["to_unit"]) for r in rows] == [(mine.pk, "answered", "HN")]
    assert api.get(f"/api/v1/recommendations/{other.pk}/").status_code == 404
    response = kimlien.get("/kien-nghi/?xuat=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows_x = list(sheet.iter_rows(values_only=True))
    assert rows_x[0][1] == "Kiến nghị" and [r[1] for r in rows_x[1:]] == ["Kiến nghị của Kim Liên"]
    assert login(fed.gialam).get("/kien-nghi/them/").status_code == 404


def test_create_page_addresses_only_an_upper_level(fed) -> None:  # type: ignore[no-untyped-def]
    client = login(fed.kimlien)
    data = {
        "unit": "KL",
        "title": "Hỗ trợ kinh phí",
        "topic": "finance",
        "raised_on": DAY.strftime("%d/%m/%Y"),
    }
    page = client.post("/kien-nghi/them/", {**data, "to_unit": "GL2"}).content.decode()
    assert "«GL2» không phải công đoàn cấp trên của «Công đoàn phường Kim Liên»." in page
    assert not Recommendation.objects.exists()
    assert client.post("/kien-nghi/them/", {**data, "to_unit": "HN"}).status_code == 302
    assert Recommendation.objects.get().to_unit == fed.hn
