"""Item 16: units imported without ``valid_from`` existed before any period the user enters (they sit
under their parent since it began, at the earliest 01/01/1900), so last year's figures imported after
the tree roll up; and a value or target for a period in which the unit did not exist is refused with a
Vietnamese message — by the service, so the import, the API and the entry form all say it."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from congdoan.indicators import services
from congdoan.indicators.imports import import_values
from congdoan.indicators.models import DataValue, Indicator, Target

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_tree_imported_without_dates_then_last_years_figures_roll_up(tmp_path: Path) -> None:
    units = write(
        tmp_path,
        "units.csv",
        "code,name,type,parent_code\n"
        "DN,LĐLĐ thành phố Đà Nẵng,LDLD_TINH,\n"
        "HC,LĐLĐ quận Hải Châu,LDLD_HUYEN,DN\n"
        "HC1,CĐCS Công ty Dệt Hòa Thọ,CDCS,HC\n"
        "HC2,CĐCS Trường THPT Phan Châu Trinh,CDCS,HC\n",
    )
    run("import", "units", units)
    values = write(
        tmp_path,
        "values.csv",
        "unit_code,indicator_code,period,kind,value\n"
        "HC1,TUYEN_TRUYEN,2024,actual,12\n"
        "HC2,TUYEN_TRUYEN,2024,actual,5\n"
        "HC,TUYEN_TRUYEN,2024,target,20\n",
    )
    run("import", "values", values)
    rows = json.loads(
        run(
            "achievements",
            "--indicator",
            "TUYEN_TRUYEN",
            "--period",
            "2024",
            "--under",
            "DN",
            "--format",
            "json",
        )
    )
    by_code = {r["unit_code"]: r for r in rows}
    assert by_code["DN"]["value"] == 17
    assert (by_code["HC"]["value"], by_code["HC"]["target"], by_code["HC"]["achievement_display"]) == (
        17,
        20,
        "85,00%",
    )


def test_values_and_targets_outside_a_units_life_are_refused(fed) -> None:
    talks = Indicator.objects.get(code="TUYEN_TRUYEN")
    # Kim Liên was founded on 01/07/2025: nothing of 2024 or of the first half of 2025.
    with pytest.raises(ValidationError) as refused:
        services.value_set(actor=fed.kimlien, unit=fed.kl, indicator=talks, period="2025S1", value=3)
    assert refused.value.message_dict["period"] == [
        "Đơn vị «KL» bắt đầu hoạt động từ ngày 01/07/2025, sau 6 tháng đầu năm 2025: "
        "không nhập được số liệu cho kỳ này."
    ]
    # Gia Lâm ended on 30/06/2025: no 2026 target.
    with pytest.raises(ValidationError) as refused:
        services.target_set(actor=fed.thanhpho, unit=fed.gl, indicator=talks, period="2026", value=3)
    assert refused.value.message_dict["period"] == [
        "Đơn vị «GL» đã chấm dứt hoạt động từ ngày 30/06/2025, trước năm 2026: "
        "không nhập được chỉ tiêu cho kỳ này."
    ]
    assert not DataValue.objects.exists() and not Target.objects.exists()
    # The periods they lived in, even partly, are accepted.
    services.value_set(actor=fed.kimlien, unit=fed.kl, indicator=talks, period="2025", value=3)
    services.target_set(actor=fed.thanhpho, unit=fed.gl, indicator=talks, period="2025", value=4)


def test_import_api_and_entry_form_give_the_services_message(fed, tmp_path: Path) -> None:
    result = import_values(
        actor=None,
        path_or_file=write(
            tmp_path,
            "values.csv",
            "unit_code,indicator_code,period,kind,value\n"
            "KL,TUYEN_TRUYEN,2025,actual,3\n"
            "KL,TUYEN_TRUYEN,2024,actual,3\n",
        ),
    )
    assert [(e.row, e.column) for e in result.errors] == [(3, "period")]
    assert "bắt đầu hoạt động từ ngày 01/07/2025, sau năm 2024" in result.errors[0].message
    assert not DataValue.objects.exists()  # all or nothing
    api = APIClient()
    api.force_authenticate(fed.thanhpho)
    response = api.post(
        "/api/v1/targets/",
        {"unit": "KL", "indicator": "TUYEN_TRUYEN", "period": "2024", "value": "5"},
        format="json",
    )
    assert response.status_code == 400
    assert "bắt đầu hoạt động từ ngày 01/07/2025" in response.json()["period"][0]
    page = Client()
    page.force_login(fed.kimlien)
    response = page.post(
        "/chi-tieu/nhap/?form=BC_HDCD&unit=KL&period=2025S1", {"action": "save", "TUYEN_TRUYEN": "4"}
    )
    assert "bắt đầu hoạt động từ ngày 01/07/2025, sau 6 tháng đầu năm 2025" in response.content.decode()
    assert not DataValue.objects.exists() and not Target.objects.exists()
