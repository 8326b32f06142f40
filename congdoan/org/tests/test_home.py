"""The home page per role: the panels the apps registered, the level of each user, scope."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from congdoan.core import registry
from congdoan.org.home import home_context

pytestmark = pytest.mark.django_db


def _home(user) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("org:home"))
    assert response.status_code == 200
    return response.content.decode()


def test_each_user_gets_their_level(fed) -> None:
    """City, ward, CĐCS, ended unit, superuser."""
    assert home_context(fed.thanhpho).level == "city"
    assert home_context(fed.kimlien).level == "upper"
    assert home_context(fed.cdcs).level == "cdcs"
    assert home_context(fed.gialam).level == "ended"
    assert home_context(fed.admin).level == "city"


def test_cdcs_chair_sees_their_unit_not_zero_subunits(fed) -> None:
    """The CĐCS chair no longer reads "Tổng số đơn vị trực thuộc: 0 / Chưa có dữ liệu khu vực"."""
    text = _home(fed.cdcs)
    assert "Tổng số đơn vị trực thuộc" not in text
    assert "Chưa có dữ liệu khu vực" not in text
    assert "Đơn vị của tôi" in text and "CĐCS Bệnh viện Đống Đa" in text
    assert "Công đoàn phường Kim Liên" in text  # the upper union it reports to
    assert "Việc cần làm" in text


def test_city_sees_units_by_type_and_the_todo_column(fed) -> None:
    text = _home(fed.thanhpho)
    assert "Việc cần làm" in text and "Số liệu chính" in text
    assert '<strong class="total">4</strong>' in text
    assert "Đơn vị của tôi" not in text


def test_a_registered_panel_shows_for_its_roles_and_levels_only(fed) -> None:
    """An app plugs a panel in; ``levels``/``roles`` choose who sees it; ``None`` hides it."""

    def build(ctx: registry.HomeContext) -> registry.HomeBlock | None:
        return registry.HomeBlock(
            title="Bảng thử nghiệm", items=[registry.HomeItem("Việc thử", tone="danger")]
        )

    panel = registry.HomePanel("test_panel", 1, build, levels=frozenset({"cdcs"}), area="todo")
    registry.register_home_panel(panel)
    try:
        assert "Bảng thử nghiệm" in _home(fed.cdcs)
        assert "Bảng thử nghiệm" not in _home(fed.thanhpho)
        assert panel in registry.home_panels(home_context(fed.cdcs))
        with pytest.raises(Exception, match="unknown levels"):
            registry.register_home_panel(registry.HomePanel("bad", 1, build, levels=frozenset({"moon"})))
    finally:
        registry.unregister_home_panel("test_panel")
    assert "Bảng thử nghiệm" not in _home(fed.cdcs)


def test_every_app_registers_its_panel() -> None:
    keys = [p.key for p in registry.home_panels()]
    assert keys == [
        "org_my_unit",
        "indicators",
        "reports",
        "bargaining",
        "conferences",
        "plans",
        "recommendations",
        "imports",
        "org_units",
    ]


def test_read_only_user_sees_their_last_day(fed) -> None:
    text = _home(fed.gialam)
    assert "Số liệu đến ngày 29/06/2025 (chỉ xem)" in text
    assert "Tình hình đến ngày 29/06/2025" in text and "Việc cần làm" not in text
    assert '<strong class="total">2</strong>' in text
    assert "Thêm thỏa ước" not in text and "Ghi nhận hội nghị" not in text
