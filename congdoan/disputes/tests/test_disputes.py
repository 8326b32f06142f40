"""Disputes and stoppages: employer of another subtree refused, mediation steps, the outcome step,
sentiment notes with the risk flag, indicators, the report, pages and the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from congdoan.core.periods import parse_period
from congdoan.disputes import services
from congdoan.disputes.models import Dispute, Outcome, SentimentNote
from congdoan.indicators.providers import BATCHES
from congdoan.org import tree
from congdoan.reports import selectors as report_selectors

pytestmark = pytest.mark.django_db
d = dt.date


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def open_case(unit: Any, employer: Any, day: dt.date, **kw: Any) -> Dispute:
    fields: dict[str, Any] = {
        "actor": None,
        "unit": unit,
        "employer": employer,
        "kind": "stoppage",
        "began_on": day,
        "workers": 120,
        "demands": "Trả lương đúng hạn",
    }
    fields.update(kw)
    return services.dispute_create(**fields)


def test_bad_input_refused_together(employers) -> None:
    fed = employers["fed"]
    with pytest.raises(ValidationError) as exc:
        open_case(fed.gl, employers["hospital"], d(2024, 5, 1), workers=0, demands="", ended_on=d(2024, 4, 1))
    errors = exc.value.message_dict
    assert errors["employer"] == [
        "«Bệnh viện Đống Đa» không thuộc phạm vi của «LĐLĐ huyện Gia Lâm» vào ngày 01/05/2024."
    ]
    assert errors["workers"] == ["Số người lao động tham gia phải là số nguyên từ 1 trở lên."]
    assert errors["demands"] == ["Chưa nhập yêu cầu của người lao động."]
    assert errors["ended_on"] == ["Ngày kết thúc 01/04/2024 trước ngày xảy ra 01/05/2024."]
    assert not Dispute.objects.exists()


def test_mediation_and_outcome(employers) -> None:
    fed = employers["fed"]
    case = open_case(fed.kl, employers["may"], d(2025, 9, 1), actor=fed.kimlien)
    with pytest.raises(ValidationError) as exc:
        services.mediation_add(actor=fed.kimlien, dispute=case, held_on=d(2025, 8, 30), action="Đối thoại")
    assert exc.value.messages == ["Ngày hòa giải 30/08/2025 trước ngày xảy ra vụ việc 01/09/2025."]
    services.mediation_add(
        actor=fed.kimlien, dispute=case, held_on=d(2025, 9, 2), action="Đối thoại", by="LĐLĐ"
    )
    services.dispute_close(
        actor=fed.kimlien, dispute=case, outcome=Outcome.RESOLVED, result="Đi làm lại", ended_on=d(2025, 9, 3)
    )
    case.refresh_from_db()
    assert case.outcome == Outcome.RESOLVED and case.ended_on == d(2025, 9, 3)
    with pytest.raises(ValidationError) as exc:
        services.dispute_close(
            actor=fed.kimlien, dispute=case, outcome=Outcome.FAILED, result="x", ended_on=d(2025, 9, 4)
        )
    assert "Không thể kết thúc" in exc.value.messages[0]
    with pytest.raises(ValidationError) as exc:
        services.mediation_add(actor=fed.kimlien, dispute=case, held_on=d(2025, 9, 4), action="Thêm")
    assert "Vụ việc đã kết thúc; không thêm bước hòa giải." in exc.value.messages
    page = login(fed.kimlien).get(case.get_absolute_url()).content.decode()
    assert "Đối thoại" in page and "Đã giải quyết" in page
    assert login(fed.cdcs).get(case.get_absolute_url()).status_code == 404


def test_sentiment_risk_indicators_and_report(employers) -> None:
    fed = employers["fed"]
    services.sentiment_note(
        actor=None,
        unit=fed.gl,
        employer=employers["may"],
        noted_on=d(2024, 2, 1),
        note="Bức xúc",
        at_risk=True,
    )
    services.sentiment_note(
        actor=None, unit=fed.gl, employer=employers["may"], noted_on=d(2024, 3, 1), note="Ổn định"
    )
    with pytest.raises(ValidationError) as exc:
        services.sentiment_note(
            actor=None, unit=fed.gl, employer=employers["hospital"], noted_on=d(2024, 3, 1), note="x"
        )
    assert "không thuộc phạm vi" in exc.value.messages[0]
    open_case(fed.gl, employers["may"], d(2024, 2, 10), workers=300)
    case = open_case(fed.gl, employers["school"], d(2024, 4, 1), kind="dispute", workers=20)
    services.dispute_close(
        actor=None, dispute=case, outcome=Outcome.PARTLY, result="Một phần", ended_on=d(2024, 4, 5)
    )
    units = tree.in_subtree([fed.gl.pk], d(2024, 12, 31))
    batch = BATCHES["disputes"](units, d(2024, 1, 1), d(2024, 12, 31))
    assert sum(batch["stoppages"].values()) == 1 and sum(batch["stoppage_workers"].values()) == 300
    assert sum(batch["disputes"].values()) == 1 and sum(batch["disputes_resolved"].values()) == 1
    assert sum(batch["employers_at_risk"].values()) == 1
    built = report_selectors.report_build(user=fed.gialam, unit=fed.gl, period=parse_period("2024"))
    text = [p for s in built.sections for part in s.parts if part.key == "disputes" for p in part.paragraphs]
    assert text[0].startswith(
        "Năm 2024, toàn huyện đã xảy ra 1 vụ ngừng việc tập thể với 300 người lao động tham gia "
        "và 1 vụ tranh chấp lao động tập thể"
    )
    assert "đã cảnh báo 1 doanh nghiệp có nguy cơ" in text[1]
    client = login(fed.gialam)
    latest = client.get(reverse("disputes:sentiment_list"), {"latest": "on", "risk": "true"})
    assert latest.context["table"].paginator.count == 0  # the latest note of May Gia Lâm says it calmed down
    assert (
        client.get(reverse("disputes:sentiment_list"), {"risk": "true"}).context["table"].paginator.count == 1
    )


def test_pages_and_api(employers) -> None:
    fed = employers["fed"]
    client = login(fed.kimlien)
    post = {
        "unit": "KL",
        "employer": "0101234567",
        "kind": "stoppage",
        "began_on": "02/09/2025",
        "workers": "0",
        "demands": "Tăng lương",
    }
    response = client.post(reverse("disputes:create"), post)
    assert "Số người lao động tham gia phải là số nguyên từ 1 trở lên." in response.content.decode()
    response = client.post(reverse("disputes:create"), {**post, "workers": "150"})
    case = Dispute.objects.get()
    assert response["Location"] == case.get_absolute_url()
    response = client.post(
        reverse("disputes:sentiment_create"),
        {
            "unit": "KL",
            "employer": "0101234567",
            "noted_on": "03/09/2025",
            "note": "Lo lắng",
            "at_risk": "on",
        },
    )
    assert response.status_code == 302 and SentimentNote.objects.get().at_risk
    assert "Công ty TNHH May Gia Lâm" in client.get(reverse("disputes:list")).content.decode()
    xlsx = client.get(reverse("disputes:list"), {"xuat": "xlsx"})
    assert xlsx.status_code == 200
    api = APIClient()
    api.force_authenticate(fed.kimlien)
    assert api.get("/api/v1/disputes/").json()["results"][0]["workers"] == 150
    assert api.get("/api/v1/sentiment-notes/").json()["results"][0]["at_risk"] is True
    api.force_authenticate(fed.gialam)
    assert api.get(f"/api/v1/disputes/{case.pk}/").status_code == 404
