"""Activities on the shared federation (``congdoan/conftest.py``), written through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from congdoan.activities import services
from congdoan.activities.models import Activity, ActivityKind

d = dt.date


def kind(code: str = "tuyen_truyen") -> ActivityKind:
    return ActivityKind.objects.get(code=code)


def record(unit: Any, day: dt.date, code: str = "tuyen_truyen", **kw: Any) -> Activity:
    fields: dict[str, Any] = {
        "actor": None,
        "unit": unit,
        "kind": kind(code),
        "held_on": day,
        "title": kw.pop("title", "Tuyên truyền Bộ luật Lao động"),
        "sessions": 1,
        "participants": 50,
        "women": 20,
        "cost": 1_000_000,
    }
    fields.update(kw)
    return services.activity_create(**fields)


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def acts(fed):  # type: ignore[no-untyped-def]
    """GL1 (then under Gia Lâm, later Kim Liên) outreach in 2024 and 2025; GL2 (Gia Lâm, then HN) a
    health check in 2024; Kim Liên's own legal training in 2025; the city a Tết bus in 2025."""
    return {
        "fed": fed,
        "gl1_2024": record(fed.gl1, d(2024, 3, 5), sessions=10, participants=800, women=500),
        "gl1_2025": record(
            fed.gl1, d(2025, 9, 5), sessions=4, participants=300, women=100, title="Tuyên truyền KL"
        ),
        "gl2_2024": record(
            fed.gl2, d(2024, 5, 2), "kham_suc_khoe", participants=247, women=150, title="Khám sức khỏe GL2"
        ),
        "kl_2025": record(
            fed.kl, d(2025, 10, 1), "tap_huan_phap_luat", participants=60, women=30, title="Tập huấn KL"
        ),
        "hn_2025": record(
            fed.hn, d(2025, 1, 20), "chuyen_xe_tet", sessions=5, participants=220, women=100, title="Xe Tết"
        ),
    }
