"""``congdoan import key-tasks``: a good file hands the tasks down, a file with errors by row and column
changes nothing, the same file twice changes nothing."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from congdoan.core.models import AuditEntry
from congdoan.plans.models import KeyTask
from congdoan.plans.task_import import import_tasks

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year
HEADER = "Mã đơn vị,Nhiệm vụ,Ngày bắt đầu,Hạn hoàn thành,Mã đơn vị giao,Người phụ trách\n"


def _file(tmp_path, body: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "nhiem-vu.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_good_file_then_the_same_file_again(fed, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = _file(
        tmp_path,
        f"KL,Phát triển đoàn viên,15/01/{YEAR},31/12/{YEAR},HN,Chủ tịch\n"
        f"KL,Tập huấn cán bộ,15/01/{YEAR},30/06/{YEAR},HN,\n"
        f"GL1,Tổ chức Hội nghị người lao động,15/01/{YEAR},31/03/{YEAR},,\n",
    )
    result = import_tasks(actor=fed.thanhpho, path_or_file=path)
    assert result.ok and result.created == 3
    assert KeyTask.objects.filter(unit=fed.kl, assigned_by=fed.hn).count() == 2
    assert KeyTask.objects.get(unit=fed.gl1).assigned_by is None
    assert AuditEntry.objects.filter(object_type="import.key-tasks").count() == 1
    again = import_tasks(actor=fed.thanhpho, path_or_file=path)
    assert again.ok and (again.created, again.unchanged) == (0, 3)
    assert KeyTask.objects.count() == 3


def test_errors_by_row_and_column_change_nothing(fed, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = _file(
        tmp_path,
        f"KL,Phát triển đoàn viên,15/01/{YEAR},31/12/{YEAR},HN,\n"
        f"GL1,Hạn sai,15/03/{YEAR},01/03/{YEAR},KL,\n"
        f"GL2,Ngoài cây,15/01/{YEAR},31/12/{YEAR},KL,\n"
        f"XX,Không có đơn vị,15/01/{YEAR},31/12/{YEAR},,\n",
    )
    result = import_tasks(actor=fed.kimlien, path_or_file=path)
    messages = [str(e) for e in result.errors]
    assert not result.ok and KeyTask.objects.count() == 0
    assert any(m.startswith("Dòng 2, cột Mã đơn vị giao: Không tìm thấy đơn vị «HN»") for m in messages)
    assert any(m.startswith("Dòng 3") and "trước ngày bắt đầu" in m for m in messages)
    assert any(m.startswith("Dòng 4, cột Mã đơn vị: Không tìm thấy đơn vị «GL2»") for m in messages)
    assert any(m.startswith("Dòng 5, cột Mã đơn vị: Không tìm thấy đơn vị «XX»") for m in messages)


def test_the_cli_runs_the_importer(fed, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = _file(tmp_path, f"KL,Chuyển đổi số,{YEAR}-01-15,{YEAR}-12-31,HN,\n")
    out = StringIO()
    call_command("import", "key-tasks", str(path), stdout=out, stderr=StringIO())
    assert KeyTask.objects.get().deadline == dt.date(YEAR, 12, 31)
