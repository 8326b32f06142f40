"""``congdoan check-figures FILE [--unit CODE --period P] --format table|json``."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from congdoan.reports.tests.conftest import build_report_data

from .files import docx_bytes, scanned_pdf_bytes

TEXT = (
    "Năm 2024, toàn huyện ký kết mới 5/4 bản thỏa ước lao động tập thể, đạt 125% chỉ tiêu; "
    "có 98/131 bản xếp loại A, B (78,4%); hỗ trợ 2.703 lượt NLĐ với số tiền hơn 10 tỷ đồng; "
    "các CĐCS đã tổ chức 3 cuộc đối thoại tại nơi làm việc."
)


def _run(*args: str) -> tuple[str, str, int]:
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("check-figures", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return out.getvalue(), err.getvalue(), code


@pytest.mark.django_db
def test_json_has_exactly_the_fields_of_the_issue(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bao-cao.txt"
    path.write_text(TEXT, encoding="utf-8")
    out, _, code = _run(str(path), "--format", "json")
    claims = json.loads(out)
    assert code == 1  # a wrong figure
    assert [set(c) for c in claims] == [
        {"text", "start", "end", "kind", "values", "verdict", "expected", "indicator", "database_value"}
    ] * len(claims)
    assert [(c["kind"], c["values"], c["verdict"], c["expected"]) for c in claims] == [
        ("ratio", [5, 4, 125], "ok", None),
        ("ratio", [98, 131, 78.4], "wrong", "74,8%"),
        ("count", [2703], "unchecked", None),
        ("money", [10_000_000_000], "unchecked", None),
        ("count", [3], "unchecked", None),
    ]
    assert all(TEXT[c["start"] : c["end"]] == c["text"] for c in claims)


@pytest.mark.django_db
def test_with_unit_and_period_the_figures_are_compared_with_the_records(fed, tmp_path) -> None:  # type: ignore[no-untyped-def]
    build_report_data(fed)
    path = tmp_path / "bao-cao.docx"
    path.write_bytes(docx_bytes([TEXT.replace("(78,4%)", "(74,8%)")]))
    out, _, code = _run(str(path), "--unit", "GL", "--period", "2024", "--format", "json")
    claims = {c["text"]: c for c in json.loads(out)}
    agreements = claims["5/4 bản thỏa ước lao động tập thể, đạt 125%"]
    assert (agreements["indicator"], agreements["database_value"], agreements["verdict"]) == (
        "TU_KY_MOI",
        [5, 4],
        "ok",
    )
    graded = claims["98/131 bản xếp loại A, B (74,8%"]
    assert (graded["indicator"], graded["verdict"], graded["database_value"]) == (
        "TL_LOAI_AB",
        "wrong",
        [4, 7, pytest.approx(57.142857, rel=1e-6)],
    )
    assert graded["expected"] == "4/7 (57,1%)"
    assert claims["3 cuộc đối"]["verdict"] == "ok"
    assert code == 1
    table, _, _ = _run(str(path), "--unit", "GL", "--period", "2024")
    assert "Sai" in table and "[TL_LOAI_AB]" in table and "5 con số: 2 đúng, 0 làm tròn, 1 sai" in table


@pytest.mark.django_db
def test_bad_input_gives_vietnamese_messages(tmp_path) -> None:  # type: ignore[no-untyped-def]
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(scanned_pdf_bytes())
    with pytest.raises(CommandError, match="cần nhận dạng chữ \\(OCR\\)"):
        call_command("check-figures", str(scan))
    empty = tmp_path / "rong.txt"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="rỗng"):
        call_command("check-figures", str(empty))
    with pytest.raises(CommandError, match="Cần cả --unit và --period"):
        call_command("check-figures", str(empty), "--unit", "GL")
    with pytest.raises(CommandError, match="Không tìm thấy đơn vị «XX»"):
        call_command("check-figures", str(empty), "--unit", "XX", "--period", "2024")
    text = tmp_path / "nfd.txt"
    text.write_text("Đạt 74.8% kế hoạch.", encoding="utf-8")
    out, err, code = _run(str(text))
    assert "dấu chấm thập phân kiểu tiếng Anh" in err and code == 0
    assert "Chưa kiểm tra được" in out
