"""The data check: phrases → indicators (administrators' mapping), comparisons with the roll-up
engine's figures, bounds, missing data and the scope."""

from __future__ import annotations

import pytest

from congdoan.accounts.scope import OutOfScope
from congdoan.core.periods import parse_period
from congdoan.figures.datacheck import Mapping, active_mappings, match_indicator
from congdoan.figures.extraction import extract
from congdoan.figures.mappings import DEFAULTS
from congdoan.figures.models import FigureMapping
from congdoan.figures.selectors import check_text
from congdoan.indicators import services as indicator_services
from congdoan.indicators.models import Indicator
from congdoan.reports.tests.conftest import build_report_data

pytestmark = pytest.mark.django_db
Y2024 = parse_period("2024")


def _check(fed, text: str, user=None, unit=None):  # type: ignore[no-untyped-def]
    return check_text(user=user or fed.gialam, text=text, unit=unit or fed.gl, period=Y2024).claims


def test_the_default_phrases_are_shipped_by_the_migration() -> None:
    assert FigureMapping.objects.count() == len(DEFAULTS)
    assert FigureMapping.objects.filter(indicator__code="TU_KY_MOI", phrase="ký mới # bản").exists()


def test_phrases_choose_the_closest_and_longest_match() -> None:
    mappings = [Mapping.of(phrase, code, kind) for phrase, code, kind in DEFAULTS]
    cases = {
        "Năm 2024, toàn huyện phát triển 2.352/1.330 đoàn viên (đạt 176,84%).": "DV_KET_NAP",
        "Toàn huyện có nhiều cố gắng, đã kết nạp mới 120 đoàn viên.": "DV_KET_NAP",
        "Đến ngày 31/12/2024, toàn huyện có 23.736 đoàn viên.": "DV_TONG",
        "Thành lập mới 29 CĐCS.": "CDCS_THANH_LAP",
        "Ký kết mới 29/24 bản thỏa ước lao động tập thể, đạt 120,83% chỉ tiêu.": "TU_KY_MOI",
        "Có 131/137 CĐCS có thỏa ước (95,62%).": "TL_CO_THOA_UOC",
        "Tỷ lệ CĐCS doanh nghiệp có thỏa ước đạt 95,62%.": "TL_CO_THOA_UOC",
        "Tổ chức 48 cuộc đối thoại tại nơi làm việc.": "DOI_THOAI",
        "Trợ cấp khó khăn với số tiền 535,8 triệu đồng.": "TRO_CAP_TIEN",
        "Trao 1.250 suất quà Tết.": "",
    }
    for text, code in cases.items():
        [claim] = extract(text).claims
        assert match_indicator(claim, mappings) == code, text


def test_an_administrator_adds_a_phrase_and_the_checker_uses_it(fed) -> None:  # type: ignore[no-untyped-def]
    build_report_data(fed)
    text = "Các CĐCS đã tổ chức 3 phiên đối thoại."
    [claim] = _check(fed, text)
    assert (claim.indicator, claim.verdict) == ("", "unchecked")
    FigureMapping.objects.create(
        phrase="# phiên đối thoại", indicator=Indicator.objects.get(code="DOI_THOAI")
    )
    [claim] = _check(fed, text)
    assert (claim.indicator, claim.verdict, claim.database_value) == ("DOI_THOAI", "ok", [3])
    FigureMapping.objects.filter(phrase="# phiên đối thoại").update(active=False)
    assert all(m.after != ("phien", "doi", "thoai") for m in active_mappings())


def test_differences_bounds_and_rounding_against_the_records(fed) -> None:  # type: ignore[no-untyped-def]
    build_report_data(fed)  # GL 2024: 5 members admitted (target 4), 9 CĐCS, 7/8 with an agreement
    claims = _check(
        fed,
        "Toàn huyện phát triển 6/4 đoàn viên (đạt 150%); có hơn 8 CĐCS; thành lập mới gần 2 CĐCS; "
        "có 7/8 CĐCS có thỏa ước (87,5%); tỷ lệ CĐCS có thỏa ước đạt 88%.",
    )
    got = [(c.text, c.indicator, c.verdict, c.expected) for c in claims]
    assert got == [
        ("6/4 đoàn viên (đạt 150%", "DV_KET_NAP", "wrong", "5/4"),
        ("hơn 8 CĐCS", "CDCS_TONG", "ok", ""),
        ("gần 2 CĐCS", "CDCS_THANH_LAP", "wrong", "1"),
        ("7/8 CĐCS có thỏa ước (87,5%", "TL_CO_THOA_UOC", "ok", ""),
        ("88%", "TL_CO_THOA_UOC", "rounding", ""),
    ]
    assert "6/4 = 150%: đúng." in claims[0].explanation  # the arithmetic alone is right
    assert "Khác số liệu «Đoàn viên kết nạp mới» của LĐLĐ huyện Gia Lâm năm 2024" in claims[0].explanation


def test_an_indicator_without_data_stays_unchecked(fed) -> None:  # type: ignore[no-untyped-def]
    build_report_data(fed)
    [claim] = _check(fed, "Tổ chức 25 buổi tuyên truyền pháp luật.")
    assert (claim.indicator, claim.verdict) == ("TUYEN_TRUYEN", "unchecked")
    assert "Chưa có số liệu «Buổi tuyên truyền, phổ biến pháp luật»" in claim.explanation
    talks = Indicator.objects.get(code="TUYEN_TRUYEN")
    indicator_services.value_set(actor=None, unit=fed.gl2, indicator=talks, period="2024", value=25)
    [claim] = _check(fed, "Tổ chức 25 buổi tuyên truyền pháp luật.")
    assert (claim.verdict, claim.database_value) == ("ok", [25])
    assert "/chi-tieu/so-lieu/?unit=GL&indicator=TUYEN_TRUYEN&period=2024" == claim.records_url


def test_the_unit_must_be_in_the_users_scope(fed) -> None:  # type: ignore[no-untyped-def]
    build_report_data(fed)
    with pytest.raises(OutOfScope):
        check_text(user=fed.kimlien, text="Có 9 CĐCS.", unit=fed.gl2, period=Y2024)
    # The system (CLI) sees every unit.
    [claim] = check_text(user=None, text="Có 9 CĐCS.", unit=fed.gl, period=Y2024).claims
    assert claim.verdict == "ok"


def test_administrators_edit_the_phrases_in_the_admin_site(fed) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    client = Client()
    client.force_login(fed.admin)
    page = client.get("/admin/figures/figuremapping/?q=thỏa+ước")
    assert page.status_code == 200
    assert "# CĐCS có thỏa ước" in page.content.decode()
    indicator = Indicator.objects.get(code="DOI_THOAI")
    added = client.post(
        "/admin/figures/figuremapping/add/",
        {"phrase": "# phiên đối thoại", "indicator": indicator.pk, "kind": "", "active": "on", "note": ""},
    )
    assert added.status_code == 302
    assert FigureMapping.objects.filter(phrase="# phiên đối thoại", indicator=indicator).exists()
