"""``import_members`` and ``congdoan import members``: real CSV/XLSX files, all errors at once, reruns."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import timezone

from congdoan.conftest import Federation
from congdoan.core.models import AuditEntry
from congdoan.core.text import fold, person_sort_key
from congdoan.imports.reader import RowError
from congdoan.members import member_import, selectors, services, validation
from congdoan.members.member_import import MAX_ERRORS, _Names, import_members
from congdoan.members.models import Membership, Person

D = dt.date

VI_HEADER = "Mã CĐCS,Họ và tên,Ngày sinh,Giới tính,Số CCCD,Số điện thoại,Ngày vào công đoàn,Số thẻ đoàn viên"
EN_HEADER = "cdcs_code,full_name,birth_date,gender,cccd,phone,join_date,card_number"

HAPPY = (
    VI_HEADER + ",Dân tộc\n"
    "GL1,nguyễn thị  hương,02/03/1995,Nữ,001195012345,+84 912 345 678,15/01/2021,HN-000123,Kinh\n"
    "GL1,TRẦN VĂN NAM,1988-07-20,Nam,001088001234,0987.654.321,2015-05-01,HN-000124,Tày\n"
    "DD1,lê hoà,12/12/2001,nữ,034301000111,,01/06/2022,,\n"
    "DD1,Phạm Quang Huy,05/05/1979,Nam,012345678,0383 856 123,01/01/2010,HN-000125,\n"
)


def write(tmp_path: Path, text: str, name: str = "doan_vien.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def state() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    people = list(
        Person.objects.order_by("id").values_list(
            "id", "full_name", "birth_date", "gender", "cccd", "legacy_id", "phone", "ethnicity",
            "search_key", "sort_key", "updated_at",
        )
    )  # fmt: skip
    memberships = list(
        Membership.objects.order_by("id").values_list(
            "id", "person_id", "cdcs__code", "join_date", "card_number", "status"
        )
    )
    return people, memberships


def texts(result: Any) -> list[str]:
    return [str(e) for e in result.errors]


# -- happy paths -----------------------------------------------------------------------------------


def test_csv_with_vietnamese_headers(fed: Federation, tmp_path: Path) -> None:
    path = write(tmp_path, HAPPY, encoding="utf-8-sig")
    result = import_members(actor=fed.kimlien, source=path)
    assert result.errors == []
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    huong = Person.objects.get(cccd="001195012345")
    assert (huong.full_name, huong.gender, huong.phone, huong.ethnicity) == (
        "Nguyễn Thị Hương",
        "F",
        "0912345678",
        "Kinh",
    )
    assert huong.birth_date == D(1995, 3, 2) and not huong.legacy_id
    # The keys bulk_create stored are the ones Person.save() would compute.
    for person in Person.objects.all():
        expected = Person(full_name=person.full_name)
        expected.fill_keys()
        assert (person.search_key, person.sort_key) == (expected.search_key, expected.sort_key)
    assert Person.objects.get(cccd="034301000111").full_name == "Lê Hòa"  # NFC, traditional tone mark
    old_id = Person.objects.get(cccd="012345678")
    assert old_id.legacy_id and old_id.phone == "0383856123"
    membership = Membership.objects.get(person=huong)
    assert (membership.cdcs, membership.join_date, membership.card_number, membership.status) == (
        fed.gl1,
        D(2021, 1, 15),
        "HN-000123",
        "active",
    )
    assert Membership.objects.get(person__cccd="034301000111").card_number is None
    # One audit entry for the job, none per member.
    entry = AuditEntry.objects.get(object_type="import.members")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert (entry.action, entry.object_type, entry.object_id) == ("import", "import.members", digest[:16])
    assert entry.object_repr == "doan_vien.csv" and entry.actor == fed.kimlien and entry.unit == fed.kl
    assert entry.after is not None
    assert (entry.after["sha256"], entry.after["rows"], entry.after["created"]) == (digest, 4, 4)


def test_xlsx_with_date_cells_and_number_cells(fed: Federation, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Đoàn viên"
    ws.append(["STT", "Mã công đoàn cơ sở", "Họ và tên", "Ngày sinh", "Giới tính", "CCCD", "Điện thoại",
               "Ngày kết nạp", "Số thẻ", "Nghề nghiệp", "Email"])  # fmt: skip
    # Excel keeps a CCCD typed as a number without its leading zeros, and a phone without its 0.
    ws.append([1, "GL1", "Đỗ Minh Đức", D(1990, 4, 30), "Nam", 1090000321, 912000111, D(2012, 1, 1),
               "HN-1", "Công nhân may", "Duc@Example.vn"])  # fmt: skip
    ws.append([2, "DD1", "Vũ Thị Lan", "30/04/1992", "Nữ", "001192000322", None, "2016-03-08", None])
    path = tmp_path / "doan_vien.xlsx"
    wb.save(path)
    result = import_members(actor=None, source=path)
    assert result.errors == []
    assert result.created == 2
    duc = Person.objects.get(cccd="001090000321")
    assert (duc.birth_date, duc.phone, duc.job, duc.email) == (
        D(1990, 4, 30),
        "0912000111",
        "Công nhân may",
        "duc@example.vn",
    )
    assert Membership.objects.get(person=duc).join_date == D(2012, 1, 1)
    assert Membership.objects.get(person__cccd="001192000322").cdcs == fed.dd1


def test_file_object_sheet_choice_and_english_headers(fed: Federation, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["Hướng dẫn: điền ở trang sau"])
    ws = wb.create_sheet("Danh sách")
    ws.append(EN_HEADER.split(","))
    ws.append(["GL1", "Ngô Văn Bình", "01/01/1980", "Nam", "001080000001", "", "01/01/2011", ""])
    buf = io.BytesIO()
    wb.save(buf)
    buf.name = "upload.xlsx"  # type: ignore[attr-defined]
    result = import_members(actor=None, path_or_file=buf, sheet="Danh sách")
    assert result.errors == [] and result.created == 1
    assert result.file_name == "upload.xlsx"


def test_second_run_changes_nothing(fed: Federation, tmp_path: Path) -> None:
    path = write(tmp_path, HAPPY)
    assert import_members(actor=None, source=path).created == 4
    before = state()
    result = import_members(actor=None, source=path)
    assert result.errors == []
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
    assert state() == before
    assert AuditEntry.objects.filter(object_type="import.members").count() == 2


def test_a_large_import_asks_for_fresh_statistics(
    fed: Federation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After writing, the import hands its tables and the rows written to
    ``core.sql.refresh_statistics`` (which decides: PostgreSQL, enough rows, no open transaction)."""
    calls: list[tuple[list[str], int]] = []
    monkeypatch.setattr(
        member_import, "refresh_statistics", lambda tables, rows: calls.append((tables, rows))
    )
    assert import_members(actor=None, source=write(tmp_path, HAPPY)).created == 4
    found = selectors.membership_list(user=fed.thanhpho, search="thi huong")
    assert [m.person.full_name for m in found] == ["Nguyễn Thị Hương"]
    changed = HAPPY.replace("nguyễn thị  hương", "Nguyễn Thị Hường").replace("TRẦN VĂN NAM", "Trần Văn Năm")
    assert import_members(actor=None, source=write(tmp_path, changed)).updated == 2
    assert import_members(actor=None, source=write(tmp_path, "x")).errors  # nothing written: not asked
    assert calls == [
        (["members_person", "members_membership"], 4),
        (["members_person", "members_membership"], 2),
    ]
    # The imported names are searched (on PostgreSQL in the membership's copy, kept by a trigger).
    found = selectors.membership_list(user=fed.thanhpho, search="van nam", status=None)
    assert [m.person.full_name for m in found] == ["Trần Văn Năm"]


def test_changed_fields_are_updated_and_empty_cells_erase_nothing(fed: Federation, tmp_path: Path) -> None:
    import_members(actor=None, source=write(tmp_path, HAPPY))
    changed = (
        EN_HEADER + "\n"
        # new phone, name spelt in capitals, new card
        "GL1,NGUYỄN THỊ THU HƯƠNG,02/03/1995,Nữ,001195012345,0912 000 999,15/01/2021,HN-000999\n"
        # no phone, no card in this file: stored ones are kept
        "GL1,Trần Văn Nam,20/07/1988,Nam,001088001234,,01/05/2015,\n"
        # a new join date
        "DD1,Lê Hòa,12/12/2001,Nữ,034301000111,,02/06/2022,\n"
    )
    result = import_members(actor=None, source=write(tmp_path, changed, "sua.csv"))
    assert result.errors == []
    assert (result.created, result.updated, result.unchanged) == (0, 2, 1)
    huong = Person.objects.get(cccd="001195012345")
    assert (huong.full_name, huong.phone) == ("Nguyễn Thị Thu Hương", "0912000999")
    assert huong.search_key == "nguyen thi thu huong"
    assert huong.sort_key == person_sort_key("Nguyễn Thị Thu Hương")
    assert Membership.objects.get(person=huong).card_number == "HN-000999"
    nam = Person.objects.get(cccd="001088001234")
    assert nam.phone == "0987654321"
    assert Membership.objects.get(person=nam).card_number == "HN-000124"
    assert Membership.objects.get(person__cccd="034301000111").join_date == D(2022, 6, 2)
    again = import_members(actor=None, source=write(tmp_path, changed, "sua.csv"))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_rows_without_cccd_match_by_card_then_name_and_birth(fed: Federation, tmp_path: Path) -> None:
    text = (
        EN_HEADER + "\n"
        "GL1,Hoàng Văn Tú,01/02/1985,Nam,,,01/01/2015,HN-7\n"
        "GL1,Đinh Thị Mai,03/04/1986,Nữ,,,01/01/2016,\n"
    )
    path = write(tmp_path, text)
    assert import_members(actor=None, source=path).created == 2
    before = state()
    again = import_members(actor=None, source=path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert state() == before
    # The card finds Tú although his name is spelt differently; the name finds Mai, who gets a card.
    text = (
        EN_HEADER + "\n"
        "GL1,Hoàng Văn Tư,01/02/1985,Nam,,0912345678,01/01/2015,HN-7\n"
        "GL1,đinh thị mai,03/04/1986,Nữ,,,01/01/2016,HN-8\n"
        "GL1,Đinh Thị Mai,03/04/1990,Nữ,,,01/01/2016,\n"  # another birth date: another person
    )
    result = import_members(actor=None, source=write(tmp_path, text, "lan2.csv"))
    assert result.errors == []
    assert (result.created, result.updated, result.unchanged) == (1, 2, 0)
    assert Person.objects.get(phone="0912345678").full_name == "Hoàng Văn Tư"
    assert Membership.objects.get(card_number="HN-8").person.birth_date == D(1986, 4, 3)
    assert Person.objects.filter(search_key="dinh thi mai").count() == 2


def test_person_who_left_joins_again(fed: Federation, tmp_path: Path) -> None:
    membership = services.member_admit(
        actor=None,
        cdcs=fed.dd1,
        join_date=D(2010, 1, 1),
        full_name="Bùi Văn An",
        birth_date=D(1980, 1, 1),
        gender="M",
        cccd="001080000009",
    )
    services.member_leave(actor=None, membership=membership, on=D(2020, 1, 1), reason="Nghỉ việc")
    text = EN_HEADER + "\nGL1,Bùi Văn An,01/01/1980,Nam,001080000009,,01/03/2024,\n"
    result = import_members(actor=None, source=write(tmp_path, text))
    assert result.errors == [] and result.created == 1
    assert Person.objects.count() == 1
    assert list(Membership.objects.order_by("join_date").values_list("cdcs__code", "status")) == [
        ("DD1", "left"),
        ("GL1", "active"),
    ]


def test_raw_writes_store_what_bulk_create_stores(
    fed: Federation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def snapshot() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        people = [
            tuple(v for k, v in row.items() if k not in ("id", "created_at", "updated_at"))
            for row in Person.objects.order_by("cccd").values()
        ]
        memberships = list(
            Membership.objects.order_by("person__cccd").values_list(
                "person__cccd", "cdcs_id", "join_date", "card_number", "status", "end_date", "end_reason",
                "transferred_from_id",
            )
        )  # fmt: skip
        return people, memberships

    path = write(tmp_path, HAPPY)
    start = timezone.now()
    assert import_members(actor=None, source=path).created == 4  # executemany / COPY
    raw = snapshot()
    assert Person.objects.filter(created_at__gte=start, updated_at__gte=start).count() == 4
    assert Membership.objects.filter(created_at__gte=start).count() == 4
    Membership.objects.all().delete()
    Person.objects.all().delete()
    monkeypatch.setattr(member_import, "RAW_WRITES", False)  # bulk_create: ids come back (RETURNING)
    assert import_members(actor=None, source=path).created == 4
    assert snapshot() == raw
    # Ids handed out by the import are never handed out again.
    monkeypatch.setattr(member_import, "RAW_WRITES", True)
    more = EN_HEADER + "\nGL1,Ngô Văn Bình,01/01/1980,Nam,001080000001,,01/01/2011,\n"
    assert import_members(actor=None, source=write(tmp_path, more, "them.csv")).created == 1
    last = services.member_admit(
        actor=None, cdcs=fed.gl1, join_date=D(2020, 1, 1), full_name="Lý Văn Cuối", birth_date=D(1980, 1, 1),
        gender="M", cccd="001080000002",
    )  # fmt: skip
    assert last.person_id > max(Person.objects.exclude(pk=last.person_id).values_list("pk", flat=True))
    assert last.pk > max(Membership.objects.exclude(pk=last.pk).values_list("pk", flat=True))


def test_dry_run_counts_and_stores_nothing(fed: Federation, tmp_path: Path) -> None:
    result = import_members(actor=None, source=write(tmp_path, HAPPY), dry_run=True)
    assert result.errors == [] and result.dry_run
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    assert Person.objects.count() == Membership.objects.count() == 0
    assert not AuditEntry.objects.filter(object_type="import.members").exists()


def test_progress_is_reported_for_both_passes(fed: Federation, tmp_path: Path) -> None:
    calls: list[tuple[str, int, int | None]] = []

    class Bar:
        label = "Đang đọc"

        def __call__(self, done: int, total: int | None) -> None:
            calls.append((self.label, done, total))

    import_members(actor=None, source=write(tmp_path, HAPPY), progress=Bar())
    assert ("Đang đọc", 4, 4) in calls
    assert calls[-1] == ("Đang ghi", 4, 4)


# -- bad input ---------------------------------------------------------------------------------------

BAD = (
    EN_HEADER + "\n"
    "GL1,Nguyễn Văn Một,31/02/1990,Nam,001090000001,,01/01/2015,\n"  # 2: no 31 February
    "GL1,Nguyễn Văn Hai,01/01/1990,Nam,999090000002,,01/01/2015,\n"  # 3: no province 999
    "GL1,Nguyễn Văn Ba,01/01/1990,Nam,001190000003,,01/01/2015,\n"  # 4: CCCD says female
    "GL1,Nguyễn Văn Bốn,01/01/1991,Nam,001090000004,,01/01/2015,\n"  # 5: CCCD says born 1990
    "GL1,Nguyễn Văn Năm,01/01/1990,Nam,001090000005,,01/01/2015,C-1\n"  # 6: fine
    "DD1,Nguyễn Văn Sáu,01/01/1990,Nam,001090000005,,01/01/2015,\n"  # 7: CCCD of row 6
    "DD1,Nguyễn Văn Bảy,01/01/1990,Nam,001090000007,,01/01/2015,C-1\n"  # 8: card of row 6
    "XX9,Nguyễn Văn Tám,01/01/1990,Nam,001090000008,,01/01/2015,\n"  # 9: no such CĐCS
    "GL2,Nguyễn Văn Chín,01/01/1990,Nam,001090000009,,01/01/2015,\n"  # 10: not kimlien's
    'GL1,"=HYPERLINK(""http://x"";""bấm"")",01/01/1990,Nam,001090000010,,01/01/2015,\n'  # 11: formula
    "GL1,Nguyễn Văn Mười Một,01/01/1990,Nam,001090000011,,01/01/2015,STORED-1\n"  # 12: card taken
    "GL1,Nguyễn Thị Đang,01/01/1990,Nữ,001190000012,,01/01/2015,\n"  # 13: active in DD1
    "GL1,Nguyễn Văn Nhỏ,01/01/2012,Nam,001212000013,,01/01/2025,\n"  # 14: 13 years old
    "GL1,Nguyễn,01/01/1990,Nam,001090000014,12345,01/01/2015,\n"  # 15: one-word name, bad phone
    "GL1,Nguyễn Văn Sớm,01/01/2030,Nam,001090000015,,01/01/2005,\n"  # 16: born in the future
    ",Nguyễn Văn Trống,,,,,,\n"  # 17: empty cells
    "KL,Nguyễn Văn Xã,01/01/1990,Nam,001090000016,,01/01/2026,\n"  # 18: KL is not a CĐCS
)


def stored_people(fed: Federation) -> None:
    services.member_admit(
        actor=None,
        cdcs=fed.dd1,
        join_date=D(2015, 1, 1),
        full_name="Trần Văn Cũ",
        birth_date=D(1980, 1, 1),
        gender="M",
        cccd="001080000099",
        card_number="STORED-1",
    )
    services.member_admit(
        actor=None,
        cdcs=fed.dd1,
        join_date=D(2015, 1, 1),
        full_name="Nguyễn Thị Đang",
        birth_date=D(1990, 1, 1),
        gender="F",
        cccd="001190000012",
    )


def test_every_error_is_reported_with_row_and_column_and_nothing_is_stored(
    fed: Federation, tmp_path: Path
) -> None:
    stored_people(fed)
    before = state()
    audits = AuditEntry.objects.count()
    result = import_members(actor=fed.kimlien, source=write(tmp_path, BAD))
    assert (result.created, result.updated, result.unchanged) == (0, 0, 0)
    where = {(e.row, e.column) for e in result.errors}
    assert where == {
        (2, "birth_date"),
        (3, "cccd"),
        (4, "cccd"),
        (5, "cccd"),
        (7, "cccd"),
        (8, "card_number"),
        (9, "cdcs_code"),
        (10, "cdcs_code"),
        (11, "full_name"),
        (12, "card_number"),
        (13, "cccd"),
        (14, "join_date"),
        (15, "full_name"),
        (15, "phone"),
        (16, "birth_date"),
        (17, "cdcs_code"),
        (17, "birth_date"),
        (17, "gender"),
        (17, "join_date"),
        (18, "cdcs_code"),
    }
    by_row = {(e.row, e.column): e.message for e in result.errors}
    assert by_row[(2, "birth_date")] == "Ngày không tồn tại: «31/02/1990»"
    assert by_row[(3, "cccd")] == "Mã tỉnh «999» ở 3 số đầu của CCCD không tồn tại."
    assert by_row[(4, "cccd")] == "CCCD cho biết giới tính Nữ, khác với giới tính đã khai."
    assert by_row[(5, "cccd")] == "CCCD cho biết năm sinh 1990, khác với ngày sinh đã khai (1991)."
    assert by_row[(7, "cccd")] == "Số CCCD 001090000005 trùng với dòng 6."
    assert by_row[(8, "card_number")] == "Số thẻ đoàn viên «C-1» trùng với dòng 6."
    assert by_row[(9, "cdcs_code")] == "Không tìm thấy công đoàn cơ sở «XX9» trong phạm vi của bạn."
    # A CĐCS outside the user's subtree gets the very same message as one that does not exist.
    assert by_row[(10, "cdcs_code")] == "Không tìm thấy công đoàn cơ sở «GL2» trong phạm vi của bạn."
    assert by_row[(11, "full_name")].startswith("Ô B11 chứa công thức «=HYPERLINK(")
    assert by_row[(12, "card_number")] == "Số thẻ đoàn viên «STORED-1» đã được cấp cho người khác."
    assert by_row[(13, "cccd")] == (
        "Nguyễn Thị Đang (CCCD 001190000012) đang sinh hoạt tại CĐCS Bệnh viện Đống Đa — dùng chức năng "
        "chuyển sinh hoạt."
    )
    assert by_row[(14, "join_date")] == "Người lao động chưa đủ 15 tuổi vào ngày vào công đoàn."
    assert by_row[(16, "birth_date")] == "Ngày sinh 01/01/2030 ở tương lai."
    assert by_row[(18, "cdcs_code")] == "Không tìm thấy công đoàn cơ sở «KL» trong phạm vi của bạn."
    assert texts(result) == sorted(texts(result), key=lambda t: int(t.split(",")[0].split()[1]))
    assert state() == before
    assert AuditEntry.objects.count() == audits


def test_errors_use_the_headers_of_the_file(fed: Federation, tmp_path: Path) -> None:
    stored_people(fed)
    text = (
        VI_HEADER + "\n"
        "GL1,Nguyễn Văn Một,01/01/1990,Nam,001090000001,,01/01/2015,STORED-1\n"
        "GL1,Nguyễn Văn Hai,01/01/1990,Nam,001090000002,,32/01/2015,\n"
    )
    result = import_members(actor=None, source=write(tmp_path, text))
    assert texts(result) == [
        "Dòng 2, cột Số thẻ đoàn viên: Số thẻ đoàn viên «STORED-1» đã được cấp cho người khác.",
        "Dòng 3, cột Ngày vào công đoàn: Ngày không tồn tại: «32/01/2015»",
    ]


def test_out_of_scope_cdcs_refused_in_scope_accepted(fed: Federation, tmp_path: Path) -> None:
    text = EN_HEADER + "\nGL2,Nguyễn Văn Chín,01/01/1990,Nam,001090000009,,01/01/2015,\n"
    path = write(tmp_path, text)
    result = import_members(actor=fed.kimlien, source=path)
    assert result.errors == [
        RowError(2, "cdcs_code", "Không tìm thấy công đoàn cơ sở «GL2» trong phạm vi của bạn.")
    ]
    assert Person.objects.count() == 0
    # A viewer of the whole city may not write either; the city's officer may.
    assert not import_members(actor=fed.viewer, source=path).ok
    assert import_members(actor=fed.thanhpho, source=path).created == 1


def test_dissolved_cdcs_refused(fed: Federation, tmp_path: Path) -> None:
    from congdoan.org import services as org_services

    org_services.unit_dissolve(actor=None, unit=fed.gl2, on=D(2026, 1, 1))
    text = EN_HEADER + "\nGL2,Nguyễn Văn Chín,01/01/1990,Nam,001090000009,,01/01/2015,\n"
    result = import_members(actor=None, source=write(tmp_path, text))
    assert texts(result) == [
        "Dòng 2, cột cdcs_code: CĐCS Trường THCS Đặng Xá đã chấm dứt hoạt động từ ngày 01/01/2026."
    ]


@override_settings(MEMBERS_ONE_ACTIVE_MEMBERSHIP=False)
def test_two_active_memberships_when_the_setting_allows(fed: Federation, tmp_path: Path) -> None:
    stored_people(fed)
    text = EN_HEADER + "\nGL1,Nguyễn Thị Đang,01/01/1990,Nữ,001190000012,,01/01/2016,\n"
    result = import_members(actor=None, source=write(tmp_path, text))
    assert result.errors == [] and result.created == 1
    assert Membership.objects.filter(person__cccd="001190000012", status="active").count() == 2


def test_formula_in_an_xlsx_text_cell_is_refused(fed: Federation, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(EN_HEADER.split(","))
    ws.append(["GL1", "Nguyễn Văn A", "01/01/1990", "Nam", "001090000001", "", "01/01/2015", ""])
    ws["H2"] = '=HYPERLINK("http://x","bấm")'
    ws["H2"].data_type = "s"  # pasted as text: the reader sees the formula itself
    path = tmp_path / "cong_thuc.xlsx"
    wb.save(path)
    result = import_members(actor=None, source=path)
    assert [(e.row, e.column) for e in result.errors] == [(2, "card_number")]
    assert "công thức" in result.errors[0].message
    assert Person.objects.count() == 0


def test_duplicate_rows_without_cccd(fed: Federation, tmp_path: Path) -> None:
    text = (
        EN_HEADER + "\n"
        "GL1,Hoàng Văn Tú,01/02/1985,Nam,,,01/01/2015,\n"
        "GL1,HOÀNG VĂN TÚ,01/02/1985,Nam,,,01/01/2015,\n"
    )
    result = import_members(actor=None, source=write(tmp_path, text))
    assert texts(result) == [
        "Dòng 3, cột full_name: Trùng họ tên và ngày sinh với dòng 2 cùng công đoàn cơ sở mà không có số "
        "CCCD để phân biệt."
    ]


def test_cccd_mangled_by_excel_gets_a_hint(fed: Federation, tmp_path: Path) -> None:
    text = EN_HEADER + "\nGL1,Hoàng Văn Tú,01/02/1985,Nam,1.08501E+11,,01/01/2015,\n"
    result = import_members(actor=None, source=write(tmp_path, text))
    assert len(result.errors) == 1 and "số mũ" in result.errors[0].message


def test_wrong_header_names_the_expected_columns(fed: Federation, tmp_path: Path) -> None:
    result = import_members(actor=None, source=write(tmp_path, "Họ và tên,Ngày sinh,Quê quán\nA,B,C\n"))
    messages = texts(result)
    assert "Dòng 1, cột Quê quán: Không nhận ra cột «Quê quán» (ô C1)." in messages
    assert any(m.startswith("Dòng 1: Thiếu cột: cdcs_code (Mã CĐCS), gender (Giới tính)") for m in messages)


def test_empty_file_and_header_only(fed: Federation, tmp_path: Path) -> None:
    assert texts(import_members(actor=None, source=write(tmp_path, ""))) == [
        "Tệp «doan_vien.csv» rỗng, không có dữ liệu."
    ]
    only = import_members(actor=None, source=write(tmp_path, EN_HEADER + "\n"))
    assert texts(only) == ["Tệp «doan_vien.csv» chỉ có dòng tiêu đề, không có dòng dữ liệu nào."]


def test_errors_are_capped(fed: Federation, tmp_path: Path) -> None:
    rows = "".join(f"ZZ{i},Nguyễn Văn A,01/01/1990,Nam,,,01/01/2015,\n" for i in range(MAX_ERRORS + 50))
    result = import_members(actor=None, source=write(tmp_path, EN_HEADER + "\n" + rows))
    assert len(result.errors) == MAX_ERRORS + 1
    assert result.errors[-1] == RowError(0, "", "... và 50 lỗi khác.")


def test_windows_1258_file_is_refused(fed: Federation, tmp_path: Path) -> None:
    path = tmp_path / "cp1258.csv"
    path.write_bytes(HAPPY.encode("cp1258", errors="replace"))
    result = import_members(actor=None, source=path)
    assert len(result.errors) == 1 and "UTF-8" in result.errors[0].message


# -- names ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "nguyễn thị  hương",
        "NGUYỄN VĂN HOÀ",
        "lê hoà",
        "Lê Thị Thuỷ",
        "ĐẶNG   quốc   khánh",
        "Nguyễn-Lê Minh Châu",
        "Hoàng Văn Quý",
        "Nguyễn Thị Khoẻ",
        "Nguyen Van A",
        "nguye\u0302\u0303n thi\u0323 hoa",  # decomposed (NFD) input
        "Trần\u00a0Văn\u00a0Nam",  # non-breaking spaces
        "Lý Văn O'Neil",
        "H'Hen Niê",
    ],
)
def test_cached_names_match_the_validation_module(raw: str) -> None:
    expected = validation.normalize_name(raw)
    name, search_key, sort_key = _Names().clean(raw)
    assert name == expected
    assert search_key == fold(expected)[:200]
    assert sort_key == person_sort_key(expected)[:200]
    # Twice, from the cache.
    names = _Names()
    names.clean(raw)
    assert names.clean(raw) == (name, search_key, sort_key)


@pytest.mark.parametrize("raw", ["Nguyễn", "Nguyễn Văn 3", "Nguyễn @Văn"])
def test_cached_names_refuse_what_validation_refuses(raw: str) -> None:
    with pytest.raises(ValueError) as exc:
        validation.normalize_name(raw)
    with pytest.raises(ValueError, match=str(exc.value)):
        _Names().clean(raw)


# -- the command ---------------------------------------------------------------------------------------


def test_command_imports_members(fed: Federation, tmp_path: Path) -> None:
    out = io.StringIO()
    path = write(tmp_path, HAPPY)
    call_command("import", "members", str(path), stdout=out, stderr=io.StringIO())
    assert "Đã tạo: 4, cập nhật: 0, không đổi: 0" in out.getvalue()
    out = io.StringIO()
    call_command("import", "members", str(path), "--user", "kimlien", stdout=out)
    assert "Đã tạo: 0, cập nhật: 0, không đổi: 4" in out.getvalue()


def test_command_lists_errors_and_stores_nothing(fed: Federation, tmp_path: Path) -> None:
    text = EN_HEADER + "\nGL2,Nguyễn Văn Chín,01/01/1990,Nam,001090000009,,01/01/2015,\n"
    err = io.StringIO()
    with pytest.raises(CommandError, match="không có thay đổi nào được lưu"):
        call_command("import", "members", str(write(tmp_path, text)), "--user", "kimlien", stderr=err)
    assert err.getvalue().strip() == (
        "Dòng 2, cột cdcs_code: Không tìm thấy công đoàn cơ sở «GL2» trong phạm vi của bạn."
    )
    assert Person.objects.count() == 0


def test_command_dry_run(fed: Federation, tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("import", "members", str(write(tmp_path, HAPPY)), "--dry-run", stdout=out)
    assert "Đã tạo: 4, cập nhật: 0, không đổi: 0" in out.getvalue()
    assert Person.objects.count() == 0


def test_a_person_held_outside_the_scope_is_never_changed_by_an_import(
    fed: Federation, tmp_path: Path
) -> None:
    """``congdoan import members --user kimlien`` with the CCCD of a GL2 member (left or active):
    a neutral error on that row, nothing stored, the person's name, phone and birth date untouched."""
    gone = services.member_admit(
        actor=None,
        cdcs=fed.gl2,
        join_date=D(2015, 1, 1),
        full_name="Bùi Văn An",
        birth_date=D(1980, 1, 1),
        gender="M",
        cccd="001080000009",
        phone="0977000111",
    )
    services.member_leave(actor=None, membership=gone, on=D(2020, 1, 1), reason="Nghỉ việc")
    services.member_admit(
        actor=None,
        cdcs=fed.gl2,
        join_date=D(2015, 1, 1),
        full_name="Lê Thị Hoa",
        birth_date=D(1990, 1, 1),
        gender="F",
        cccd="001190000012",
    )
    before = state()
    text = (
        EN_HEADER + "\nGL1,Trần Văn Giả,05/05/1980,Nam,001080000009,0912000999,01/03/2024,\n"
        "GL1,Lê Thị Hoa,01/01/1990,Nữ,001190000012,,01/03/2024,\n"
    )
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", "members", str(write(tmp_path, text)), "--user", "kimlien", stderr=err)
    assert err.getvalue().strip().splitlines() == [
        f"Dòng 2, cột cccd: {services.MSG_HELD_ELSEWHERE}",
        f"Dòng 3, cột cccd: {services.MSG_HELD_ELSEWHERE}",
    ]
    for secret in ("Bùi", "Đặng Xá", "GL2"):
        assert secret not in err.getvalue()
    assert state() == before
    # The system (no --user) holds everyone: the person who left joins again, as before.
    result = import_members(actor=None, source=write(tmp_path, text.replace("Trần Văn Giả", "Bùi Văn An")))
    assert not [e for e in texts(result) if "001080000009" in e or "Dòng 2" in e]


def test_join_date_is_the_union_join_date_and_the_membership_starts_at_the_founding(
    fed: Federation, tmp_path: Path
) -> None:
    """ "Ngày vào công đoàn" 2005, at an earlier employer, in a CĐCS founded in 2010: accepted; the
    person keeps 2005 as their union join date, the membership in GL1 starts on 01/03/2010. A re-run
    changes nothing; a later date in another file does not replace the earlier one."""
    text = EN_HEADER + "\nGL1,Nguyễn Văn Sớm,01/01/1980,Nam,001080000015,,01/01/2005,\n"
    result = import_members(actor=fed.kimlien, source=write(tmp_path, text))
    assert result.errors == [] and result.created == 1
    person = Person.objects.get(cccd="001080000015")
    membership = person.memberships.get()
    assert (person.union_join_date, membership.join_date) == (D(2005, 1, 1), D(2010, 3, 1))
    again = import_members(actor=fed.kimlien, source=write(tmp_path, text))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    # The member leaves and joins DD1 in 2024: the file's 2024 starts the membership, 2005 stays.
    services.member_leave(actor=None, membership=membership, on=D(2023, 1, 1), reason="Nghỉ việc")
    later = EN_HEADER + "\nDD1,Nguyễn Văn Sớm,01/01/1980,Nam,001080000015,,01/03/2024,\n"
    assert import_members(actor=fed.kimlien, source=write(tmp_path, later)).created == 1
    person.refresh_from_db()
    assert person.union_join_date == D(2005, 1, 1)
    assert person.memberships.get(status="active").join_date == D(2024, 3, 1)
    # Age and nationality rules apply to the union join date.
    young = EN_HEADER + "\nGL1,Nguyễn Văn Nhỏ,01/01/1995,Nam,001095000016,,01/01/2005,\n"
    assert texts(import_members(actor=fed.kimlien, source=write(tmp_path, young))) == [
        "Dòng 2, cột join_date: Người lao động chưa đủ 15 tuổi vào ngày vào công đoàn."
    ]
