"""``import_units`` and ``congdoan import units``: happy paths, idempotency, every error at once."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from congdoan.conftest import Federation
from congdoan.core.models import AuditEntry
from congdoan.imports.reader import RowError
from congdoan.org import tree
from congdoan.org.models import OrgLink, OrgUnit
from congdoan.org.unit_import import import_units, parse_sector, parse_unit_type

D = dt.date

HAPPY = (
    "code,name,type,parent_code,sector,valid_from\n"
    "CDX1,CĐCS Công ty TNHH X,CDCS,XA2,DN_NGOAI_NHA_NUOC,01/09/2025\n"
    '"XA2","Công đoàn phường Láng","Công đoàn xã, phường, đặc khu",HN,,2025-07-15\n'
    "CDX2,CĐCS Trường Tiểu học Kim Liên,Công đoàn cơ sở,KL,Hành chính sự nghiệp,01/09/2025\n"
)


def write(tmp_path: Path, text: str, name: str = "don_vi.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def state() -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    units = list(
        OrgUnit.objects.order_by("code").values_list(
            "code", "name", "type", "sector", "search_key", "founded_on", "dissolved_on", "updated_at"
        )
    )
    links = list(
        OrgLink.objects.order_by("child__code", "valid_from").values_list(
            "child__code", "parent__code", "valid_from", "valid_to"
        )
    )
    return units, links


def unit_audits() -> int:
    return AuditEntry.objects.exclude(object_type="import.units").count()


def parent_on(code: str, day: dt.date) -> str | None:
    ids = tree.ancestor_ids(OrgUnit.objects.get(code=code).pk, day)
    return OrgUnit.objects.get(pk=ids[0]).code if ids else None


# -- happy paths ---------------------------------------------------------------------------------


def test_csv_creates_units_and_links_parents_before_or_after(fed: Federation, tmp_path: Path) -> None:
    path = write(tmp_path, HAPPY, encoding="utf-8-sig")
    audits = unit_audits()
    result = import_units(actor=None, path_or_file=path)
    assert result.errors == []
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    xa2 = OrgUnit.objects.get(code="XA2")
    assert xa2.type == "CD_XA" and xa2.sector == "" and xa2.search_key == "xa2 cong doan phuong lang"
    cdx1 = OrgUnit.objects.get(code="CDX1")
    assert (cdx1.type, cdx1.sector) == ("CDCS", "DN_NGOAI_NHA_NUOC")
    assert OrgUnit.objects.get(code="CDX2").sector == "HCSN"
    assert parent_on("XA2", D(2025, 7, 15)) == "HN"
    assert parent_on("CDX1", D(2025, 9, 1)) == "XA2"
    assert parent_on("CDX1", D(2025, 8, 31)) is None
    assert parent_on("CDX2", D(2025, 9, 1)) == "KL"
    assert {"CDX1", "XA2", "CDX2"} <= set(
        OrgUnit.objects.filter(pk__in=tree.subtree_ids(fed.hn.pk, D(2025, 9, 1))).values_list(
            "code", flat=True
        )
    )
    # One audit entry for the job, none per unit.
    assert unit_audits() == audits
    entry = AuditEntry.objects.get(object_type="import.units")
    assert entry.action == "import" and entry.actor is None
    assert entry.after is not None
    assert entry.after["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert entry.after["file"] == "don_vi.csv"
    assert (entry.after["created"], entry.after["updated"], entry.after["unchanged"]) == (3, 0, 0)


def test_xlsx_with_vietnamese_headers_and_date_cells(fed: Federation, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    ws.append(["STT", "Mã đơn vị", "Tên đơn vị", "Loại", "Mã đơn vị cấp trên", "Khu vực", "Ngày hiệu lực"])
    ws.append([1, "KL5", "CĐCS Công ty CP Kim Liên 5", "Công đoàn cơ sở", "KL", "FDI", D(2025, 9, 1)])
    ws.append([2, 1001, "Tổ công đoàn số 1", "Tổ công đoàn", "KL5", None, "02/09/2025"])
    path = tmp_path / "don_vi.xlsx"
    wb.save(path)
    result = import_units(actor=None, path_or_file=path)
    assert result.errors == []
    assert result.created == 2
    assert OrgUnit.objects.get(code="1001").type == "TO_CD"
    assert parent_on("1001", D(2025, 9, 2)) == "KL5"
    assert OrgLink.objects.get(child__code="KL5").valid_from == D(2025, 9, 1)


def test_file_object_and_sheet_choice(fed: Federation, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["ghi chú"])
    ws = wb.create_sheet("Đơn vị")
    ws.append(["code", "name", "type", "parent_code"])
    ws.append(["KL6", "CĐCS KL6", "CDCS", "KL"])
    buf = io.BytesIO()
    wb.save(buf)
    buf.name = "upload.xlsx"  # type: ignore[attr-defined]
    result = import_units(actor=None, path_or_file=buf, sheet="Đơn vị")
    assert result.errors == [] and result.created == 1
    # Without valid_from a new unit sits under its parent since the parent began (KL: 01/07/2025).
    assert OrgLink.objects.get(child__code="KL6").valid_from == D(2025, 7, 1)


def test_enumerations_accept_codes_and_labels() -> None:
    assert parse_unit_type("Công đoàn cơ sở") == "CDCS"
    assert parse_unit_type("cong doan co so") == "CDCS"
    assert parse_unit_type("CĐCS") == "CDCS"
    assert parse_unit_type("ldld_huyen") == "LDLD_HUYEN"
    assert parse_unit_type("LĐLĐ quận, huyện, thị xã") == "LDLD_HUYEN"
    assert parse_unit_type("Công ty") is None
    assert parse_sector("Doanh nghiệp có vốn đầu tư nước ngoài") == "FDI"
    assert parse_sector("hanh chinh su nghiep") == "HCSN"
    assert parse_sector("?") is None


# -- idempotency and updates ---------------------------------------------------------------------


def test_second_run_changes_nothing(fed: Federation, tmp_path: Path) -> None:
    path = write(tmp_path, HAPPY)
    assert import_units(actor=None, path_or_file=path).created == 3
    before = state()
    audits = unit_audits()
    result = import_units(actor=None, path_or_file=path)
    assert result.errors == []
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert state() == before
    assert unit_audits() == audits


def test_existing_units_in_the_file_are_unchanged(fed: Federation, tmp_path: Path) -> None:
    # A file exported from the system: the units as they stand, with their current parents.
    text = (
        "code,name,type,parent_code,sector\n"
        "HN,LĐLĐ thành phố Hà Nội,LDLD_TINH,,\n"
        "KL,Công đoàn phường Kim Liên,CD_XA,HN,\n"
        "GL1,CĐCS Công ty May Gia Lâm,CDCS,KL,DN_NGOAI_NHA_NUOC\n"
        "GL,LĐLĐ huyện Gia Lâm,LDLD_HUYEN,HN,\n"
    )
    before = state()
    result = import_units(actor=None, path_or_file=write(tmp_path, text))
    assert result.errors == []
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
    assert state() == before


def test_changed_name_and_sector_are_updated(fed: Federation, tmp_path: Path) -> None:
    text = "code,name,type,parent_code,sector\nGL1,CĐCS Công ty Cổ phần May Gia Lâm,CDCS,KL,FDI\n"
    audits = unit_audits()
    result = import_units(actor=None, path_or_file=write(tmp_path, text))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    gl1 = OrgUnit.objects.get(code="GL1")
    assert (gl1.name, gl1.sector) == ("CĐCS Công ty Cổ phần May Gia Lâm", "FDI")
    assert gl1.search_key == "gl1 cdcs cong ty co phan may gia lam"
    assert unit_audits() == audits
    # No sector column: the sector is left as it is.
    text = "code,name,type,parent_code\nGL1,CĐCS Công ty Cổ phần May Gia Lâm,CDCS,KL\n"
    assert import_units(actor=None, path_or_file=write(tmp_path, text)).unchanged == 1
    assert OrgUnit.objects.get(code="GL1").sector == "FDI"


def test_changed_parent_is_a_dated_move(fed: Federation, tmp_path: Path) -> None:
    text = "code,name,type,parent_code,valid_from\nGL2,CĐCS Trường THCS Đặng Xá,CDCS,KL,01/09/2025\n"
    path = write(tmp_path, text)
    result = import_units(actor=None, path_or_file=path)
    assert result.errors == []
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    assert parent_on("GL2", D(2025, 8, 31)) == "HN"
    assert parent_on("GL2", D(2025, 9, 1)) == "KL"
    assert parent_on("GL2", D(2020, 1, 1)) == "GL"  # history kept
    assert AuditEntry.objects.filter(action="move", object_id="GL2", after__from="2025-09-01").count() == 1
    again = import_units(actor=None, path_or_file=path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_move_into_a_parent_created_by_the_same_file(fed: Federation, tmp_path: Path) -> None:
    text = (
        "code,name,type,parent_code,valid_from\n"
        "GL2,CĐCS Trường THCS Đặng Xá,CDCS,XA9,01/10/2025\n"
        "XA9,Công đoàn xã Đặng Xá,CD_XA,HN,01/09/2025\n"
    )
    result = import_units(actor=None, path_or_file=write(tmp_path, text))
    assert result.errors == []
    assert (result.created, result.updated) == (1, 1)
    assert parent_on("GL2", D(2025, 10, 1)) == "XA9"


def test_dry_run_counts_but_stores_nothing(fed: Federation, tmp_path: Path) -> None:
    before = state()
    audits = AuditEntry.objects.count()
    result = import_units(actor=None, path_or_file=write(tmp_path, HAPPY), dry_run=True)
    assert result.errors == [] and result.dry_run
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    assert state() == before
    assert AuditEntry.objects.count() == audits


# -- errors --------------------------------------------------------------------------------------

BAD = (
    "code,name,type,parent_code,sector,valid_from\n"
    "N1,CĐCS Một,CDCS,XYZ,,\n"  # 2: unknown parent
    "N2,CĐCS Hai,Công ty,KL,,\n"  # 3: bad type
    "N1,CĐCS Một lần nữa,CDCS,KL,,\n"  # 4: duplicate code
    "N3,CĐCS Ba,CDCS,KL,,31/02/2025\n"  # 5: bad date
    "N4,Công đoàn phường Bốn,CD_XA,GL1,,\n"  # 6: parent level not above the child
    "C1,CĐCS Vòng Một,CDCS,C2,,\n"  # 7: cycle C1 → C2 → C1
    "C2,CĐCS Vòng Hai,CDCS,C1,,\n"  # 8
    "N5,CĐCS Năm,CDCS,KL,,01/01/2020\n"  # 9: before KL was founded
    "N6,=HYPERLINK(1),CDCS,KL,Khu vực lạ,\n"  # 10: formula, bad sector
    ",CĐCS không mã,CDCS,KL,,\n"  # 11: no code
    "N7,CĐCS Bảy,CDCS,GL,,\n"  # 12: GL ended 30/06/2025 (today is later)
)


def test_every_error_is_reported_at_once_and_nothing_is_stored(fed: Federation, tmp_path: Path) -> None:
    before = state()
    audits = AuditEntry.objects.count()
    result = import_units(actor=None, path_or_file=write(tmp_path, BAD))
    assert (result.created, result.updated, result.unchanged) == (0, 0, 0)
    texts = [str(e) for e in result.errors]
    assert "Dòng 2, cột parent_code: Không tìm thấy đơn vị cấp trên «XYZ»." in texts
    assert any(t.startswith("Dòng 3, cột type: Loại đơn vị «Công ty» không hợp lệ") for t in texts)
    assert "Dòng 4, cột code: Mã đơn vị «N1» bị trùng với dòng 2." in texts
    assert "Dòng 5, cột valid_from: Ngày không tồn tại: «31/02/2025»" in texts
    assert (
        "Dòng 6, cột parent_code: Đơn vị loại «Công đoàn xã, phường, đặc khu» không thể trực thuộc "
        "đơn vị loại «Công đoàn cơ sở» («GL1»)."
    ) in texts
    assert "Dòng 7, cột parent_code: Vòng lặp trực thuộc: C1 → C2 → C1." in texts
    assert "Dòng 8, cột parent_code: Vòng lặp trực thuộc: C1 → C2 → C1." in texts
    assert (
        "Dòng 9, cột valid_from: Ngày hiệu lực 01/01/2020 trước ngày thành lập đơn vị cấp trên «KL» "
        "(01/07/2025)."
    ) in texts
    assert any(t.startswith("Dòng 10, cột name: Ô B10 chứa công thức «=HYPERLINK(1)»") for t in texts)
    assert any(t.startswith("Dòng 10, cột sector: Khu vực «Khu vực lạ» không hợp lệ") for t in texts)
    assert "Dòng 11, cột code: Chưa nhập mã đơn vị." in texts
    assert "Dòng 12, cột parent_code: Đơn vị cấp trên «GL» đã chấm dứt hoạt động từ ngày 30/06/2025." in texts
    rows = [e.row for e in result.errors]
    assert rows == sorted(rows)
    assert state() == before
    assert AuditEntry.objects.count() == audits


def test_one_bad_row_stops_all_good_rows(fed: Federation, tmp_path: Path) -> None:
    text = HAPPY + "CDX3,CĐCS Ba,CDCS,NOWHERE,,\n"
    before = state()
    result = import_units(actor=None, path_or_file=write(tmp_path, text))
    assert result.errors == [RowError(5, "parent_code", "Không tìm thấy đơn vị cấp trên «NOWHERE».")]
    assert state() == before


def test_parent_started_later_in_the_file(fed: Federation, tmp_path: Path) -> None:
    text = (
        "code,name,type,parent_code,valid_from\n"
        "XA3,Công đoàn phường Ba,CD_XA,HN,01/09/2025\n"
        "CS3,CĐCS Ba,CDCS,XA3,01/08/2025\n"
    )
    result = import_units(actor=None, path_or_file=write(tmp_path, text))
    assert [str(e) for e in result.errors] == [
        "Dòng 3, cột valid_from: Ngày hiệu lực 01/08/2025 trước ngày đơn vị cấp trên «XA3» bắt đầu hoạt động "
        "(01/09/2025, dòng 2)."
    ]


def test_type_of_an_existing_unit_is_not_changed(fed: Federation, tmp_path: Path) -> None:
    text = "code,name,type,parent_code\nGL1,CĐCS Công ty May Gia Lâm,NGHIEP_DOAN,KL\n"
    result = import_units(actor=None, path_or_file=write(tmp_path, text))
    assert [e.column for e in result.errors] == ["type"]
    assert "đang là loại «Công đoàn cơ sở»" in result.errors[0].message


def test_move_that_would_rewrite_later_history_is_refused(fed: Federation, tmp_path: Path) -> None:
    # GL1 passed to HN on 30/06/2025 and to KL on 01/08/2025; putting it under HN from 01/06/2025
    # would rewrite that history.
    text = "code,name,type,parent_code,valid_from\nGL1,CĐCS Công ty May Gia Lâm,CDCS,HN,01/06/2025\n"
    before = state()
    result = import_units(actor=None, path_or_file=write(tmp_path, text))
    assert len(result.errors) == 1
    assert "đã có thay đổi trực thuộc từ ngày 30/06/2025" in result.errors[0].message
    assert state() == before


def test_header_problems_are_reported(fed: Federation, tmp_path: Path) -> None:
    result = import_units(actor=None, path_or_file=write(tmp_path, "code,name,kind\nA,B,C\n"))
    texts = [str(e) for e in result.errors]
    assert "Dòng 1, cột kind: Không nhận ra cột «kind» (ô C1)." in texts
    assert any("Thiếu cột: type (Loại), parent_code (Mã đơn vị cấp trên)." in t for t in texts)


def test_wrong_encoding_is_reported(fed: Federation, tmp_path: Path) -> None:
    path = tmp_path / "cu.csv"
    path.write_bytes(b"code,name,type,parent_code\nA,C\xf4ng \xf0oa\xecn,CDCS,KL\n")
    result = import_units(actor=None, path_or_file=path)
    assert len(result.errors) == 1 and "UTF-8" in str(result.errors[0])


# -- scope ---------------------------------------------------------------------------------------


def test_scoped_actor_cannot_import_under_a_foreign_parent(fed: Federation, tmp_path: Path) -> None:
    text = (
        "code,name,type,parent_code,valid_from\n"
        "KL7,CĐCS Kim Liên 7,CDCS,KL,01/09/2025\n"
        "HN7,Công đoàn phường Bảy,CD_XA,HN,01/09/2025\n"
        "GL2,CĐCS Trường THCS Đặng Xá,CDCS,KL,01/09/2025\n"
        "TOP,Đơn vị không cấp trên,LDLD_TINH,,\n"
    )
    before = state()
    result = import_units(actor=fed.kimlien, path_or_file=write(tmp_path, text))
    assert [str(e) for e in result.errors] == [
        "Dòng 3, cột parent_code: Không tìm thấy đơn vị cấp trên «HN».",
        "Dòng 4, cột code: Mã đơn vị «GL2» đã được dùng.",
        "Dòng 5, cột parent_code: Chưa nhập mã đơn vị cấp trên.",
    ]
    assert state() == before


def test_scoped_actor_imports_inside_their_subtree(fed: Federation, tmp_path: Path) -> None:
    text = (
        "code,name,type,parent_code,valid_from\n"
        "KL7,CĐCS Kim Liên 7,CDCS,KL,01/09/2025\n"
        "KL7T,Tổ công đoàn 1,TO_CD,KL7,01/09/2025\n"
    )
    result = import_units(actor=fed.kimlien, path_or_file=write(tmp_path, text))
    assert result.errors == [] and result.created == 2
    entry = AuditEntry.objects.get(object_type="import.units")
    assert entry.actor == fed.kimlien and entry.unit == fed.kl


def test_scoped_actor_round_trips_their_own_units(fed: Federation, tmp_path: Path) -> None:
    # KL's officer re-imports KL (under HN, which they may not write to) and its CĐCS, unchanged.
    text = (
        "code,name,type,parent_code\n"
        "KL,Công đoàn phường Kim Liên,CD_XA,HN\n"
        "GL1,CĐCS Công ty May Gia Lâm,CDCS,KL\n"
        "DD1,CĐCS Bệnh viện Đa khoa Đống Đa,CDCS,KL\n"
    )
    result = import_units(actor=fed.kimlien, path_or_file=write(tmp_path, text))
    assert result.errors == []
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    assert OrgUnit.objects.get(code="DD1").name == "CĐCS Bệnh viện Đa khoa Đống Đa"


def test_ended_parent_of_an_unchanged_row_is_not_an_error(fed: Federation, tmp_path: Path) -> None:
    # A history export: GL2 under GL, dated when it was so (GL ended 30/06/2025).
    text = "code,name,type,parent_code,valid_from\nGL2,CĐCS Trường THCS Đặng Xá,CDCS,GL,01/01/2020\n"
    result = import_units(actor=None, path_or_file=write(tmp_path, text))
    assert result.errors == [] and result.unchanged == 1


# -- the command ---------------------------------------------------------------------------------


def test_command_prints_counts(fed: Federation, tmp_path: Path) -> None:
    out = io.StringIO()
    path = write(tmp_path, HAPPY)
    call_command("import", "units", str(path), stdout=out, stderr=io.StringIO())
    assert "Đã tạo: 3, cập nhật: 0, không đổi: 0" in out.getvalue()
    out = io.StringIO()
    call_command("import", "units", str(path), stdout=out)
    assert "Đã tạo: 0, cập nhật: 0, không đổi: 3" in out.getvalue()


def test_command_dry_run(fed: Federation, tmp_path: Path) -> None:
    out = io.StringIO()
    before = state()
    call_command("import", "units", str(write(tmp_path, HAPPY)), "--dry-run", stdout=out)
    assert "Đã tạo: 3, cập nhật: 0, không đổi: 0" in out.getvalue()
    assert "không có thay đổi nào được lưu" in out.getvalue()
    assert state() == before


def test_command_prints_every_error_and_fails(fed: Federation, tmp_path: Path) -> None:
    err = io.StringIO()
    before = state()
    with pytest.raises(CommandError, match="không có thay đổi nào được lưu"):
        call_command("import", "units", str(write(tmp_path, BAD)), stdout=io.StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert "Dòng 2, cột parent_code: Không tìm thấy đơn vị cấp trên «XYZ»." in lines
    assert len(lines) == 15  # 13 in BAD's notes, and the cycle rows also break the level rule
    assert state() == before


def test_command_as_a_scoped_user(fed: Federation, tmp_path: Path) -> None:
    text = "code,name,type,parent_code,valid_from\nHN8,Công đoàn phường Tám,CD_XA,HN,01/09/2025\n"
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", "units", str(write(tmp_path, text)), "--user", "kimlien", stderr=err)
    assert err.getvalue().strip() == "Dòng 2, cột parent_code: Không tìm thấy đơn vị cấp trên «HN»."
    out = io.StringIO()
    call_command("import", "units", str(write(tmp_path, text)), "--user", "thanhpho", stdout=out)
    assert "Đã tạo: 1" in out.getvalue()


def test_command_unknown_user_and_missing_file(fed: Federation, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Không tìm thấy người dùng «ai»"):
        call_command("import", "units", str(write(tmp_path, HAPPY)), "--user", "ai")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", "units", str(tmp_path / "khong-co.csv"), stderr=err)
    assert "Không tìm thấy tệp" in err.getvalue()


def test_command_sheet_option(fed: Federation, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["khác"])
    ws = wb.create_sheet("DV")
    ws.append(["code", "name", "type", "parent_code"])
    ws.append(["KL9", "CĐCS KL9", "CDCS", "KL"])
    path = tmp_path / "dv.xlsx"
    wb.save(path)
    out = io.StringIO()
    call_command("import", "units", str(path), "--sheet", "2", stdout=out)
    assert "Đã tạo: 1" in out.getvalue()


def test_units_without_valid_from_sit_under_their_parent_since_it_began(
    fed: Federation, tmp_path: Path
) -> None:
    """Item 16: an undated new unit is an existing unit being described, not one founded today."""
    text = (
        "code,name,type,parent_code,valid_from\n"
        "TOP,LĐLĐ tỉnh Bắc Ninh,LDLD_TINH,,\n"
        "TOP1,LĐLĐ thành phố Từ Sơn,LDLD_HUYEN,TOP,\n"
        "TOP2,LĐLĐ huyện Tiên Du,LDLD_HUYEN,TOP,15/03/2015\n"
        "T21,CĐCS Công ty Tiên Du,CDCS,TOP2,\n"
        "T11,CĐCS Công ty Từ Sơn,CDCS,TOP1,01/01/2010\n"
        "HN9,CĐCS Công ty Hà Nội,CDCS,HN,\n"
        "KL9,CĐCS Trường Kim Liên,CDCS,KL,\n"
    )
    result = import_units(actor=None, path_or_file=write(tmp_path, text))
    assert result.errors == []
    starts = dict(
        OrgLink.objects.filter(child__code__in=["TOP1", "TOP2", "T21", "T11", "HN9", "KL9"]).values_list(
            "child__code", "valid_from"
        )
    )
    assert starts == {
        "TOP1": D(1900, 1, 1),  # under an undated top unit: before any period
        "TOP2": D(2015, 3, 15),
        "T21": D(2015, 3, 15),  # with its dated parent
        "T11": D(2010, 1, 1),  # a date under an undated parent is kept, not refused
        "HN9": D(2000, 1, 1),  # a stored parent: since it was founded
        "KL9": D(2025, 7, 1),
    }
    assert parent_on("HN9", D(2024, 12, 31)) == "HN"
    # Idempotent: the same file again changes nothing.
    again = import_units(actor=None, path_or_file=write(tmp_path, text))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 7)
