"""One meaning of "dry run" for every importer (``reader.write_all_or_nothing``): check everything, write
nothing, and report the very counts created/updated/unchanged the real run then reports.

Each kind imports a first file for real, then a second file that creates, updates and leaves rows
unchanged — with rows that depend on rows of the same file (a unit under a new unit, a ratio whose
part is defined further down) — first as a dry run, then for real.
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from congdoan.conftest import Federation
from congdoan.core import registry
from congdoan.core.models import AuditEntry
from congdoan.imports.reader import ImportFailed, RowError, write_all_or_nothing
from congdoan.indicators.models import DataValue, Indicator, Target
from congdoan.members.models import Membership, Person
from congdoan.org.models import OrgLink, OrgUnit

pytestmark = pytest.mark.django_db

MEMBER_HEADER = "cdcs_code,full_name,birth_date,gender,cccd,phone,join_date,card_number\n"

FILES: dict[str, tuple[str, str, tuple[int, int, int]]] = {
    # kind: (first file, second file, counts of the second file: created, updated, unchanged)
    "units": (
        "code,name,type,parent_code,sector,valid_from\n"
        "XA2,Công đoàn phường Láng,CD_XA,HN,,2025-07-15\n"
        "CDX2,CĐCS Trường Tiểu học Kim Liên,CDCS,KL,HCSN,2025-09-01\n",
        "code,name,type,parent_code,sector,valid_from\n"
        "XA2,Công đoàn phường Láng,CD_XA,HN,,2025-07-15\n"
        "CDX2,CĐCS Trường Tiểu học Kim Liên số 1,CDCS,KL,HCSN,2025-09-01\n"
        "CDX1,CĐCS Công ty TNHH X,CDCS,XA2,DN_NGOAI_NHA_NUOC,2025-09-01\n",
        (1, 1, 1),
    ),
    "members": (
        MEMBER_HEADER + "GL1,Nguyễn Thị Hương,02/03/1995,Nữ,001195012345,0912345678,15/01/2021,HN-000123\n"
        "GL1,Trần Văn Nam,20/07/1988,Nam,001088001234,0987654321,01/05/2015,HN-000124\n",
        MEMBER_HEADER + "GL1,Nguyễn Thị Hương,02/03/1995,Nữ,001195012345,0912345678,15/01/2021,HN-000123\n"
        "GL1,Trần Văn Nam,20/07/1988,Nam,001088001234,0383856123,01/05/2015,HN-000124\n"
        "DD1,Lê Hòa,12/12/2001,Nữ,034301000111,,01/06/2022,\n",
        (1, 1, 1),
    ),
    "indicators": (
        "code,name,unit,aggregation,numerator,denominator\n"
        "TXA,Bản thỏa ước A,bản,sum,,\n"
        "TXB,Bản B,bản,sum,,\n",
        "code,name,unit,aggregation,numerator,denominator\n"
        "TXA,Bản thỏa ước A,bản,sum,,\n"
        "TXB,Bản thỏa ước B,bản,sum,,\n"
        "TXR,Tỷ lệ A trên C,%,ratio,TXA,TXC\n"
        "TXC,Bản thỏa ước C,bản,sum,,\n",
        (2, 1, 1),
    ),
    "values": (
        "unit_code,indicator_code,period,kind,value\nKL,TUYEN_TRUYEN,2026,target,10\nGL2,TUYEN_TRUYEN,2026,target,3\n",
        "unit_code,indicator_code,period,kind,value\n"
        "KL,TUYEN_TRUYEN,2026,target,10\n"
        "GL2,TUYEN_TRUYEN,2026,target,4\n"
        "KL,TUYEN_TRUYEN,2026,actual,7\n",
        (1, 1, 1),
    ),
}

STORED = (OrgUnit, OrgLink, Person, Membership, Indicator, Target, DataValue, AuditEntry)


def stored() -> list[list[tuple[Any, ...]]]:
    """Every row of every table an importer writes, and the audit trail."""
    return [list(model.objects.order_by("pk").values_list()) for model in STORED]  # type: ignore[attr-defined]


def run(kind: str, path: Path, actor: Any, *, dry_run: bool) -> Any:
    return registry.importers()[kind].run(
        actor=actor, path_or_file=path, sheet=None, dry_run=dry_run, progress=None
    )


def _actor(fed: Federation, kind: str) -> Any:
    return fed.thanhpho if kind == "values" else None


@pytest.mark.parametrize("kind", sorted(FILES))
def test_dry_run_writes_nothing_and_counts_what_the_real_run_does(
    fed: Federation, tmp_path: Path, kind: str
) -> None:
    first, second, counts = FILES[kind]
    actor = _actor(fed, kind)
    (tmp_path / "first.csv").write_text(first, encoding="utf-8")
    (tmp_path / "second.csv").write_text(second, encoding="utf-8")
    assert run(kind, tmp_path / "first.csv", actor, dry_run=False).errors == []
    before = stored()

    dry = run(kind, tmp_path / "second.csv", actor, dry_run=True)
    assert dry.errors == [] and dry.dry_run
    assert (dry.created, dry.updated, dry.unchanged) == counts
    assert stored() == before  # not a row, not an audit entry

    real = run(kind, tmp_path / "second.csv", actor, dry_run=False)
    assert real.errors == [] and not real.dry_run
    assert (real.created, real.updated, real.unchanged) == (dry.created, dry.updated, dry.unchanged)
    assert stored() != before
    assert AuditEntry.objects.filter(action="import", object_type=f"import.{kind}").count() == 2


@pytest.mark.parametrize("kind", sorted(FILES))
def test_command_dry_run_writes_nothing(fed: Federation, tmp_path: Path, kind: str, capsys: Any) -> None:
    path = tmp_path / "second.csv"
    path.write_text(FILES[kind][1].replace("KL,TUYEN_TRUYEN,2026,actual,7\n", ""), encoding="utf-8")
    before = stored()
    options = ["--user", "thanhpho"] if kind == "values" else []
    out = StringIO()
    call_command("import", kind, str(path), "--dry-run", *options, stdout=out, stderr=StringIO())
    assert "Chạy thử (--dry-run): không có thay đổi nào được lưu." in out.getvalue()
    assert stored() == before


def test_a_dry_run_with_errors_reports_them_and_writes_nothing(fed: Federation, tmp_path: Path) -> None:
    path = tmp_path / "values.csv"
    path.write_text(
        "unit_code,indicator_code,period,kind,value\nKL,TUYEN_TRUYEN,2026,target,10\nGL2,TUYEN_TRUYEN,2026,target,-4\n",
        encoding="utf-8",
    )
    before = stored()
    result = run("values", path, fed.thanhpho, dry_run=True)
    assert [(e.row, e.column) for e in result.errors] == [(3, "value")]
    assert (result.created, result.updated, result.unchanged) == (0, 0, 0)
    assert stored() == before


def test_write_all_or_nothing_rolls_back_a_dry_run_and_audits_only_a_real_one(fed: Federation) -> None:
    audited: list[bool] = []

    def write() -> str:
        Indicator.objects.create(code="TXZ", name="Chỉ tiêu thử")
        return "written"

    assert write_all_or_nothing(write, dry_run=True, audit=lambda: audited.append(True)) == "written"
    assert not Indicator.objects.filter(code="TXZ").exists() and audited == []

    def failing() -> None:
        Indicator.objects.create(code="TXY", name="Chỉ tiêu hỏng")
        raise ImportFailed(RowError(2, "code", "hỏng"))

    with pytest.raises(ImportFailed):
        write_all_or_nothing(failing, dry_run=False, audit=lambda: audited.append(True))
    assert not Indicator.objects.filter(code="TXY").exists() and audited == []

    write_all_or_nothing(write, dry_run=False, audit=lambda: audited.append(True))
    assert Indicator.objects.filter(code="TXZ").exists() and audited == [True]
