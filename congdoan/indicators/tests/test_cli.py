"""The CLI contract of architecture §5 end to end: import units, indicators, values; org move;
achievements in every format."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from congdoan.indicators.models import Indicator, Target

pytestmark = pytest.mark.django_db


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8-sig")
    return str(path)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_contract_end_to_end(tmp_path: Path) -> None:
    units = write(
        tmp_path,
        "units.csv",
        (
            "code,name,type,parent_code,sector,valid_from\n"
            "HN,LĐLĐ thành phố Hà Nội,LDLD_TINH,,,2000-01-01\n"
            "GL,LĐLĐ huyện Gia Lâm,LDLD_HUYEN,HN,,2000-01-01\n"
            "DA,LĐLĐ huyện Đông Anh,LDLD_HUYEN,HN,,2000-01-01\n"
            "C1,CĐCS Công ty A,CDCS,GL,FDI,2010-01-01\n"
            "C2,CĐCS Công ty B,CDCS,GL,FDI,2010-01-01\n"
            "C3,CĐCS Trường C,CDCS,DA,HCSN,2010-01-01\n"
        ),
    )
    run("import", "units", units)
    indicators = write(
        tmp_path,
        "ind.csv",
        (
            "code,name,unit,aggregation,numerator,denominator\n"
            "TY_LE,Tỷ lệ thỏa ước đạt loại A B,%,ratio,AB,TONG\n"
            "AB,Thỏa ước loại A B,bản,sum,,\n"
            "TONG,Thỏa ước đã xếp loại,bản,sum,,\n"
        ),
    )
    run("import", "indicators", indicators)
    assert Indicator.objects.get(code="TY_LE").numerator.code == "AB"
    values = write(
        tmp_path,
        "values.csv",
        (
            "unit_code,indicator_code,period,kind,value\n"
            "C1,AB,2024,actual,29\n"
            "C2,AB,2024,actual,0\n"
            "C1,TONG,2024,actual,30\n"
            "C2,TONG,2024,actual,9\n"
            "C3,AB,2024,actual,5\n"
            "C3,TONG,2024,actual,5\n"
            "GL,AB,2024,target,24\n"
            "HN,TY_LE,2024,target,70\n"
        ),
    )
    run("import", "values", values)
    assert run("import", "values", values).strip().endswith("không đổi: 8")  # idempotent
    rows = json.loads(
        run("achievements", "--indicator", "AB", "--period", "2024", "--under", "HN", "--format", "json")
    )
    gl = next(r for r in rows if r["unit_code"] == "GL")
    assert (gl["value"], gl["target"], gl["achievement_display"]) == (29, 24, "120,83%")
    rate = json.loads(
        run("achievements", "--indicator", "TY_LE", "--period", "2024", "--under", "HN", "--format", "json")
    )
    hn = rate[0]
    assert hn["unit_code"] == "HN" and hn["value_display"] == "77,27%"  # 34/44, not a mean of shares
    assert hn["target"] == 0.7
    run("org", "move", "C2", "DA", "--date", "2025-03-01")
    later = json.loads(
        run("achievements", "--indicator", "AB", "--period", "2024", "--under", "HN", "--format", "json")
    )
    assert next(r for r in later if r["unit_code"] == "GL")["value"] == 29  # 2024 keeps the old tree
    csv_out = run("achievements", "--indicator", "AB", "--period", "2024", "--under", "GL", "--format", "csv")
    assert csv_out.splitlines()[0] == (
        "unit_code,unit_name,value,target,achievement,value_display,achievement_display"
    )
    xlsx = tmp_path / "out.xlsx"
    run("achievements", "--indicator", "AB", "--period", "2024", "--format", "xlsx", "--out", str(xlsx))
    sheet = load_workbook(xlsx).active
    assert sheet["A3"].value == "HN"


def test_bad_values_file_changes_nothing(tmp_path: Path) -> None:
    call_command("demo", "--no-serve", "--scale", "0.01", stdout=io.StringIO())
    before = Target.objects.count()
    values = write(
        tmp_path,
        "bad.csv",
        (
            "unit_code,indicator_code,period,kind,value\n"
            "HN-GIALAM,CDCS_THANH_LAP,2024,target,10\n"
            "NOPE,CDCS_THANH_LAP,2024,target,10\n"
            "HN-GIALAM,NOPE,2024Q5,goal,mười\n"
        ),
    )
    with pytest.raises(CommandError):
        call_command("import", "values", values, stdout=io.StringIO(), stderr=(err := io.StringIO()))
    text = err.getvalue()
    for expected in (
        "Dòng 3, cột unit_code",
        "Dòng 4, cột indicator_code",
        "Dòng 4, cột period",
        "Dòng 4, cột kind",
        "Dòng 4, cột value",
    ):
        assert expected in text
    assert Target.objects.count() == before


def test_unknown_indicator_and_period() -> None:
    with pytest.raises(CommandError, match="Không có chỉ tiêu"):
        run("achievements", "--indicator", "NOPE", "--period", "2024")
    with pytest.raises(CommandError, match="Mã kỳ"):
        run("achievements", "--indicator", "DV_TONG", "--period", "2024Q9")
