"""``congdoan org move|merge|dissolve``: dated restructuring from the console, end to end."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from congdoan.conftest import Federation
from congdoan.core.models import AuditEntry
from congdoan.org import tree
from congdoan.org.models import OrgLink, OrgUnit

D = dt.date


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("org", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fails(*args: str) -> tuple[str, str]:
    """Run a command that must fail; returns (CommandError text, stderr)."""
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("org", *args, stdout=io.StringIO(), stderr=err)
    return str(exc.value), err.getvalue()


def parent_on(unit: OrgUnit, day: dt.date) -> str | None:
    ids = tree.ancestor_ids(unit.pk, day)
    return OrgUnit.objects.get(pk=ids[0]).code if ids else None


def links() -> list[tuple[object, ...]]:
    return list(OrgLink.objects.order_by("pk").values_list("child_id", "parent_id", "valid_from", "valid_to"))


def test_move(fed: Federation) -> None:
    out, _ = run("move", "GL2", "KL", "--date", "2025-09-01", "--reason", "Sắp xếp theo địa bàn")
    assert out.strip() == (
        "Đã chuyển «GL2» (CĐCS Trường THCS Đặng Xá) sang trực thuộc «KL» (Công đoàn phường Kim Liên) "
        "từ ngày 01/09/2025."
    )
    assert parent_on(fed.gl2, D(2025, 8, 31)) == "HN"
    assert parent_on(fed.gl2, D(2025, 9, 1)) == "KL"
    entry = AuditEntry.objects.get(action="move", object_id="GL2", note="Sắp xếp theo địa bàn")
    assert entry.actor is None


def test_move_accepts_dd_mm_yyyy_and_a_user(fed: Federation) -> None:
    run("move", "GL2", "KL", "--date", "01/09/2025", "--user", "thanhpho")
    assert parent_on(fed.gl2, D(2025, 9, 1)) == "KL"
    assert AuditEntry.objects.filter(action="move", object_id="GL2").latest("id").actor == fed.thanhpho


def test_move_before_the_new_parent_exists(fed: Federation) -> None:
    before = links()
    message, err = fails("move", "GL2", "KL", "--date", "2025-01-01")
    assert "không có thay đổi nào được lưu" in message
    assert "Đơn vị cấp trên «Công đoàn phường Kim Liên» không hoạt động vào ngày 01/01/2025." in err
    assert links() == before


def test_move_into_own_subtree_is_a_cycle(fed: Federation) -> None:
    before = links()
    _, err = fails("move", "HN", "KL", "--date", "2025-09-01")
    assert (
        "Không thể chuyển «LĐLĐ thành phố Hà Nội» vào «Công đoàn phường Kim Liên» vì "
        "«Công đoàn phường Kim Liên» đang trực thuộc «LĐLĐ thành phố Hà Nội»."
    ) in err
    assert links() == before


def test_move_level_and_same_parent_errors(fed: Federation) -> None:
    _, err = fails("move", "KL", "GL2", "--date", "2025-09-01")
    assert (
        "Đơn vị loại «Công đoàn xã, phường, đặc khu» không thể trực thuộc đơn vị loại «Công đoàn cơ sở»."
        in err
    )
    _, err = fails("move", "GL1", "KL", "--date", "2025-09-01")
    assert "đã trực thuộc" in err


def test_merge(fed: Federation) -> None:
    out, _ = run("merge", "DD1", "GL1", "--date", "2025-09-01")
    assert out.strip() == (
        "Đã hợp nhất «DD1» (CĐCS Bệnh viện Đống Đa) vào «GL1» (CĐCS Công ty May Gia Lâm) từ ngày 01/09/2025."
    )
    dd1 = OrgUnit.objects.get(code="DD1")
    assert dd1.dissolved_on == D(2025, 9, 1) and dd1.merged_into == fed.gl1
    assert parent_on(dd1, D(2025, 8, 31)) == "KL"
    assert parent_on(dd1, D(2025, 9, 1)) is None


def test_merge_into_itself_and_before_existence(fed: Federation) -> None:
    _, err = fails("merge", "GL1", "GL1", "--date", "2025-09-01")
    assert "Không thể hợp nhất một đơn vị vào chính nó." in err
    _, err = fails("merge", "GL1", "KL", "--date", "2025-01-01")
    assert "trước ngày thành lập đơn vị «Công đoàn phường Kim Liên»" in err
    assert OrgUnit.objects.get(code="GL1").dissolved_on is None


def test_dissolve_with_children_to(fed: Federation) -> None:
    out, _ = run("dissolve", "KL", "--date", "2025-10-01", "--children-to", "HN")
    assert "Đã giải thể «KL» (Công đoàn phường Kim Liên) từ ngày 01/10/2025" in out
    assert "ngày hoạt động cuối: 30/09/2025" in out
    assert "Các đơn vị trực thuộc chuyển về «HN»" in out
    assert OrgUnit.objects.get(code="KL").dissolved_on == D(2025, 10, 1)
    assert parent_on(fed.gl1, D(2025, 10, 1)) == "HN"
    assert parent_on(fed.gl1, D(2025, 9, 30)) == "KL"


def test_dissolve_needs_a_receiver_for_children(fed: Federation) -> None:
    _, err = fails("dissolve", "KL", "--date", "2025-10-01")
    assert "còn 2 đơn vị trực thuộc; hãy chọn đơn vị tiếp nhận" in err
    assert OrgUnit.objects.get(code="KL").dissolved_on is None


def test_dissolve_an_ended_unit(fed: Federation) -> None:
    _, err = fails("dissolve", "GL", "--date", "2025-10-01")
    assert "đã chấm dứt hoạt động từ ngày 30/06/2025" in err


def test_unknown_unit_bad_date_and_missing_date(fed: Federation) -> None:
    message, _ = fails("move", "ZZZ", "KL", "--date", "2025-09-01")
    assert message == "Không tìm thấy đơn vị có mã «ZZZ»."
    message, _ = fails("move", "GL2", "ZZZ", "--date", "2025-09-01")
    assert message == "Không tìm thấy đơn vị có mã «ZZZ»."
    message, _ = fails("dissolve", "KL", "--date", "2025-10-01", "--children-to", "ZZZ")
    assert message == "Không tìm thấy đơn vị có mã «ZZZ»."
    message, _ = fails("move", "GL2", "KL", "--date", "31/02/2025")
    assert "Ngày không tồn tại" in message
    with pytest.raises(CommandError):
        call_command("org", "move", "GL2", "KL", stdout=io.StringIO(), stderr=io.StringIO())


def test_scoped_user_cannot_touch_foreign_units(fed: Federation) -> None:
    before = links()
    message, _ = fails("move", "GL2", "KL", "--date", "2025-09-01", "--user", "kimlien")
    assert "Không tìm thấy đơn vị trong phạm vi" in message
    message, _ = fails("move", "GL2", "KL", "--date", "2025-09-01", "--user", "nobody")
    assert message == "Không tìm thấy người dùng «nobody»."
    assert links() == before
