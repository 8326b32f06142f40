"""The cluster report: members side by side on the standard indicators, ranked; DOCX, XLSX, PDF, page, CLI."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import pytest
from django.core.management import CommandError, call_command

from congdoan.bargaining import services as agreement_services
from congdoan.bargaining.models import AgreementKind
from congdoan.conferences import services as conference_services
from congdoan.conferences.models import ConferenceKind
from congdoan.core.periods import parse_period
from congdoan.indicators import services as indicator_services
from congdoan.indicators.models import Indicator
from congdoan.indicators.ranking import competition_ranks as _rank
from congdoan.members import services as member_services
from congdoan.org import services as org_services
from congdoan.org.models import EmulationCluster
from congdoan.reports import services
from congdoan.reports.cluster import cluster_build

from .conftest import ReportData

pytestmark = pytest.mark.django_db
d = dt.date
Y2024 = parse_period("2024")


@dataclass
class ClusterData:
    data: ReportData
    cluster: EmulationCluster


@pytest.fixture
def cluster_data(data: ReportData) -> ClusterData:
    """Cụm thi đua số 3 of 2024, organised by HN: GL (the report data), DD and ST (Sơn Tây).

    DD: 4 members admitted at DD1 (target 2: 200%), its Hội nghị CB,CC,VC held. ST: one enterprise
    CĐCS, 1 member admitted (no target), one agreement signed (graded A), its workers' conference held."""
    fed = data.fed
    for i, name in enumerate(["Vũ Thị Hoa", "Ngô Văn Khánh", "Bùi Thị Lan", "Đinh Văn Minh"]):
        member_services.member_admit(
            actor=None,
            cdcs=fed.dd1,
            join_date=d(2024, 4, 1 + i),
            full_name=name,
            birth_date=d(1988, 1, 1),
            gender="F",
        )
    admitted = Indicator.objects.get(code="DV_KET_NAP")
    indicator_services.target_set(actor=None, unit=fed.dd, indicator=admitted, period="2024", value=2)
    conference_services.conference_create(
        actor=None,
        unit=fed.dd1,
        kind=ConferenceKind.CIVIL,
        held_on=d(2024, 1, 25),
        employer_side=2,
        employee_side=80,
    )
    st = org_services.unit_create(
        actor=None,
        code="ST",
        name="LĐLĐ thị xã Sơn Tây",
        type="LDLD_HUYEN",
        parent=fed.hn,
        valid_from=d(2000, 1, 1),
        founded_on=d(2000, 1, 1),
        short_name="Sơn Tây",
    )
    st1 = org_services.unit_create(
        actor=None,
        code="ST1",
        name="CĐCS Công ty CP Gạch Xuân Khanh",
        type="CDCS",
        parent=st,
        sector="DN_NGOAI_NHA_NUOC",
        valid_from=d(2010, 1, 1),
        founded_on=d(2010, 1, 1),
    )
    employer = org_services.employer_create(
        actor=None, name="Công ty CP Gạch Xuân Khanh", sector="DN_NGOAI_NHA_NUOC", unit=st, cdcs=st1
    )
    member_services.member_admit(
        actor=None,
        cdcs=st1,
        join_date=d(2024, 5, 5),
        full_name="Kiều Văn Nam",
        birth_date=d(1995, 2, 2),
        gender="M",
    )
    agreement_services.agreement_create(
        actor=None,
        cdcs=st1,
        employers=[employer],
        kind=AgreementKind.NEW,
        signed_on=d(2024, 7, 1),
        expires_on=d(2027, 6, 30),
        approval_share="0.9",
        grade="A",
    )
    conference_services.conference_create(
        actor=None,
        unit=st1,
        kind=ConferenceKind.WORKERS,
        held_on=d(2024, 3, 3),
        employer=employer,
        employer_side=2,
        employee_side=50,
    )
    fed.gl.refresh_from_db()
    cluster = org_services.cluster_create(
        actor=None,
        name="Cụm thi đua số 3",
        year=2024,
        organiser=fed.hn,
        members=[fed.gl, fed.dd, st],
        leader=st,
        deputy=fed.gl,
    )
    return ClusterData(data=data, cluster=cluster)


def test_competition_ranks() -> None:
    from decimal import Decimal as D

    assert _rank([(0, D(3)), (0, D(5)), (0, D(3)), None, (0, D(1))]) == [2, 1, 2, 5, 4]
    assert _rank([(1, D("0.5")), (0, D(40)), (1, D("1.25")), (0, D(41))]) == [2, 4, 1, 3]
    assert _rank([None, None]) == [1, 1]


LEAD = (
    "Dẫn đầu cụm là LĐLĐ huyện Gia Lâm (tổng thứ hạng 21, đứng đầu 11/16 chỉ tiêu); tiếp theo là "
    "LĐLĐ thị xã Sơn Tây (tổng thứ hạng 34) và LĐLĐ quận Đống Đa (tổng thứ hạng 35)."
)


def _line(report, code: str) -> list[tuple[str, str, int | None]]:  # type: ignore[no-untyped-def]
    line = next(x for x in report.lines if x.indicator.code == code)
    return [(c.display, c.achievement_display, c.rank) for c in line.cells]


def test_members_ranked_on_the_standard_indicators(cluster_data) -> None:
    report = cluster_build(user=cluster_data.data.fed.thanhpho, cluster=cluster_data.cluster, period=Y2024)
    assert [(s.unit.code, s.rank, s.total, s.firsts, s.role) for s in report.standings] == [
        ("GL", 1, 21, 11, "Cụm phó"),
        ("ST", 2, 34, 3, "Cụm trưởng"),
        ("DD", 3, 35, 4, "Thành viên"),
    ]
    assert report.paragraphs[0].startswith(
        "Năm 2024, Cụm thi đua số 3 gồm 3 đơn vị được so sánh trên 16 chỉ tiêu có số liệu, xếp hạng từng "
        "chỉ tiêu theo tỷ lệ đạt chỉ tiêu được giao"
    )
    assert report.paragraphs[1] == LEAD
    assert report.notes == [report.paragraphs[2]]
    assert report.paragraphs[2].startswith("Chưa có số liệu về các chỉ tiêu «Tổng số lao động»")
    # With targets: achievement first (DD 200% > GL 125%), then ST without a target, by its figure.
    assert _line(report, "DV_KET_NAP") == [("5", "đạt 125,00%", 2), ("1", "", 3), ("4", "đạt 200,00%", 1)]
    assert _line(report, "TU_KY_MOI") == [("5", "đạt 125,00%", 1), ("1", "", 2), ("0", "", 3)]
    # Shares rank by the share; a member with no enterprise CĐCS has none and comes last.
    assert _line(report, "TL_CO_THOA_UOC") == [("87,50%", "", 2), ("100,00%", "", 1), ("—", "", 3)]
    # Equal figures share the rank.
    assert _line(report, "TL_HN_CBCCVC") == [("100,00%", "", 1), ("—", "", 3), ("100,00%", "", 1)]
    # Denominators and indicators without data are shown, not ranked.
    assert _line(report, "TU_CO_CDCS_DN") == [("8", "", None), ("1", "", None), ("0", "", None)]
    assert _line(report, "TRO_CAP_NGUOI") == [("—", "", None)] * 3
    assert len(report.ranked_lines) == 16


def test_scope_hides_other_members_and_outsiders_get_404(cluster_data) -> None:
    fed = cluster_data.data.fed
    report = cluster_build(user=fed.gialam, cluster=cluster_data.cluster, period=Y2024)
    assert [(s.unit.code, s.visible, s.rank) for s in report.standings] == [
        ("GL", True, None),
        ("ST", False, None),
        ("DD", False, None),
    ]
    assert report.paragraphs[0].startswith("Chưa có số liệu về các chỉ tiêu thi đua của Cụm thi đua số 3")
    from django.http import Http404

    with pytest.raises(Http404):
        cluster_build(user=fed.kimlien, cluster=cluster_data.cluster, period=Y2024)


def test_period_without_records_says_so(cluster_data) -> None:
    report = cluster_build(user=None, cluster=cluster_data.cluster, period=parse_period("2001"))
    assert report.paragraphs == ["Chưa có số liệu về các chỉ tiêu thi đua của Cụm thi đua số 3 năm 2001."]
    assert all(s.rank is None for s in report.standings)


def test_docx(cluster_data) -> None:
    import docx

    fed = cluster_data.data.fed
    blob = services.cluster_render(user=fed.thanhpho, cluster=cluster_data.cluster, period=Y2024, fmt="docx")
    document = docx.Document(io.BytesIO(blob))
    texts = [p.text for p in document.paragraphs]
    assert "BÁO CÁO KẾT QUẢ THI ĐUA CỤM THI ĐUA SỐ 3 NĂM 2024" in texts
    assert LEAD in texts
    header = document.tables[0].rows[0].cells
    assert "LIÊN ĐOÀN LAO ĐỘNG THÀNH PHỐ HÀ NỘI" in header[0].text and "CỤM THI ĐUA SỐ 3" in header[0].text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header[1].text
    ranking = [[c.text for c in r.cells] for r in document.tables[1].rows]
    assert ranking == [
        ["Hạng", "Đơn vị", "Vai trò", "Tổng thứ hạng", "Số chỉ tiêu đứng đầu"],
        ["1", "LĐLĐ huyện Gia Lâm", "Cụm phó", "21", "11/16"],
        ["2", "LĐLĐ thị xã Sơn Tây", "Cụm trưởng", "34", "3/16"],
        ["3", "LĐLĐ quận Đống Đa", "Thành viên", "35", "4/16"],
    ]
    comparison = [[c.text for c in r.cells] for r in document.tables[2].rows]
    assert comparison[0] == [
        "STT",
        "Chỉ tiêu",
        "Đơn vị tính",
        "LĐLĐ huyện Gia Lâm",
        "Sơn Tây",
        "LĐLĐ quận Đống Đa",
    ]
    admitted = next(r for r in comparison if r[1] == "Đoàn viên kết nạp mới")
    assert admitted[2:] == ["người", "5\nđạt 125,00%\nhạng 2", "1\nhạng 3", "4\nđạt 200,00%\nhạng 1"]
    coverage = next(r for r in comparison if r[1] == "Tỷ lệ CĐCS doanh nghiệp có thỏa ước")
    assert coverage[2:] == ["%", "87,50%\nhạng 2", "100,00%\nhạng 1", "—\nhạng 3"]
    signature = document.tables[-1].rows[0].cells
    assert "TM. CỤM THI ĐUA" in signature[1].text and "Liên đoàn Lao động thị xã Sơn Tây" in signature[1].text


def test_xlsx(cluster_data) -> None:
    from openpyxl import load_workbook

    fed = cluster_data.data.fed
    blob = services.cluster_render(user=fed.thanhpho, cluster=cluster_data.cluster, period=Y2024, fmt="xlsx")
    wb = load_workbook(io.BytesIO(blob))
    assert wb.sheetnames == ["Xếp hạng", "So sánh"]
    ws = wb["Xếp hạng"]
    head = next(r for r in range(1, 20) if ws.cell(r, 1).value == "Hạng")
    rows = [[ws.cell(r, c).value for c in range(1, 7)] for r in range(head + 1, head + 4)]
    assert rows == [
        [1, "GL", "LĐLĐ huyện Gia Lâm", "Cụm phó", 21, 11],
        [2, "ST", "LĐLĐ thị xã Sơn Tây", "Cụm trưởng", 34, 3],
        [3, "DD", "LĐLĐ quận Đống Đa", "Thành viên", 35, 4],
    ]
    cmp = wb["So sánh"]
    assert "F3:H3" in {str(r) for r in cmp.merged_cells.ranges}  # a member over three columns
    assert (cmp["F3"].value, cmp["F4"].value, cmp["G4"].value, cmp["H4"].value) == (
        "LĐLĐ huyện Gia Lâm",
        "Thực hiện",
        "Đạt (%)",
        "Hạng",
    )
    by_code = {cmp.cell(r, 2).value: [cmp.cell(r, c).value for c in range(5, 15)] for r in range(5, 40)}
    assert by_code["DV_KET_NAP"] == ["tỷ lệ đạt chỉ tiêu", 5, 1.25, 2, 1, None, 3, 4, 2, 1]
    coverage = by_code["TL_CO_THOA_UOC"]
    assert coverage[:4] == ["số thực hiện", 0.875, None, 2] and coverage[-3:] == ["—", None, 3]
    assert by_code["TU_CO_CDCS_DN"][0] == "không xếp hạng"
    assert cmp["F5"].number_format == "#,##0"
    row = next(r for r in range(5, 40) if cmp.cell(r, 2).value == "TL_CO_THOA_UOC")
    assert cmp.cell(row, 6).number_format == "0.00%"


def test_pdf(cluster_data) -> None:
    from pypdf import PdfReader

    fed = cluster_data.data.fed
    blob = services.cluster_render(user=fed.thanhpho, cluster=cluster_data.cluster, period=Y2024, fmt="pdf")
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(blob)).pages)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "BÁO CÁO KẾT QUẢ THI ĐUA CỤM THI ĐUA SỐ 3 NĂM 2024" in text
    assert LEAD in text


def test_pages_and_cli(cluster_data, client, tmp_path) -> None:
    fed = cluster_data.data.fed
    pk = cluster_data.cluster.pk
    client.force_login(fed.thanhpho)
    assert f"/bao-cao/cum/{pk}/?period=2024" in client.get("/bao-cao/?cum=1").content.decode()
    assert f"/bao-cao/cum/{pk}/?period=2024" in client.get("/bao-cao/HN/?period=2024").content.decode()
    html = client.get(f"/bao-cao/cum/{pk}/?period=2024").content.decode()
    assert LEAD in html and 'id="cluster-ranking"' in html
    response = client.get(f"/bao-cao/cum/{pk}/?period=2024&tai=xlsx")
    assert response.status_code == 200
    assert 'filename="bao-cao-cum-thi-dua-so-3-2024.xlsx"' in response["Content-Disposition"]
    client.force_login(fed.gialam)
    assert f"/bao-cao/cum/{pk}/?period=2024" in client.get("/bao-cao/GL/?period=2024").content.decode()
    client.force_login(fed.kimlien)
    assert client.get(f"/bao-cao/cum/{pk}/?period=2024").status_code == 404
    assert client.get(f"/bao-cao/cum/{pk}/?period=2024&tai=docx").status_code == 404

    import docx

    out = tmp_path / "cum.docx"
    call_command(
        "report", "cluster", "--cluster", str(pk), "--period", "2024", "--format", "docx", "--out", str(out)
    )
    assert LEAD in [p.text for p in docx.Document(str(out)).paragraphs]
    with pytest.raises(CommandError, match="không xem được cụm thi đua số"):
        call_command(
            "report",
            "cluster",
            "--cluster",
            str(pk),
            "--period",
            "2024",
            "--out",
            str(out),
            "--user",
            "kimlien",
        )
    with pytest.raises(CommandError, match="--unit"):
        call_command("report", "annual", "--period", "2024", "--out", str(out))


def test_xlsx_never_turns_a_member_name_into_a_formula(cluster_data) -> None:
    """A member renamed ``=HYPERLINK(...)`` stays text in the cluster workbook (formula injection)."""
    import zipfile

    from openpyxl import load_workbook

    from congdoan.org import services as org_services

    fed = cluster_data.data.fed
    hostile = '=HYPERLINK("http://evil.example","Cụm 3")'
    org_services.unit_update(actor=None, unit=fed.dd, name=hostile, short_name="")
    blob = services.cluster_render(user=fed.thanhpho, cluster=cluster_data.cluster, period=Y2024, fmt="xlsx")
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        xml = "".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in xml and "<f " not in xml
    wb = load_workbook(io.BytesIO(blob))
    standings = [c.value for c in wb["Xếp hạng"]["C"] if c.value]
    assert "'" + hostile in standings
    assert "'" + hostile in [c.value for c in wb["So sánh"][3]]  # the member's merged header


def _ranking_rows(html: str) -> list[tuple[str, str, str]]:
    """(unit code, overall rank, rank on the picked indicator) of each row of the page's ranking table."""
    import re

    table = html.split("mb-0 ranking", 1)[1].split("</table>", 1)[0]
    rows = []
    for row in table.split("<tr data-code=")[1:]:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        rows.append((row.split('"')[1], cells[0].strip(), cells[-1].strip()))
    return rows


@pytest.mark.parametrize("code", ["", "DV_KET_NAP", "TL_CO_THOA_UOC", "TU_CO_CDCS_DN"])
def test_cluster_page_shows_the_report_order_whatever_the_indicator(cluster_data, client, code) -> None:
    """One ranking (indicators.ranking): the comparison page lists the members in the cluster report's
    order (sum of the ranks), whichever indicator is picked, and shows the report's ranks."""
    import re

    from openpyxl import load_workbook

    fed = cluster_data.data.fed
    pk = cluster_data.cluster.pk
    report = cluster_build(user=fed.thanhpho, cluster=cluster_data.cluster, period=Y2024)
    assert [s.unit.code for s in report.standings] == ["GL", "ST", "DD"]
    picked = code or "DV_KET_NAP"  # the page's default: the first indicator with targets
    line = next(x for x in report.lines if x.indicator.code == picked)
    expected = [
        (s.unit.code, str(s.rank), str(cell.rank) if cell.rank is not None else "—")
        for s, cell in zip(report.standings, line.cells, strict=True)
    ]
    client.force_login(fed.thanhpho)
    html = client.get(f"/chi-tieu/cum/{pk}/", {"period": "2024", "indicator": code}).content.decode()
    assert _ranking_rows(html) == expected
    header = html.split('<thead class="table-light">', 1)[1].split("</thead>", 1)[0]
    assert re.findall(r'data-code="([^"]+)"', header) == ["GL", "ST", "DD"]
    # The page's workbook: the same order, ranks, sums of ranks and first places.
    response = client.get(f"/chi-tieu/cum/{pk}/", {"period": "2024", "indicator": code, "xuat": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Xếp hạng"]
    rows = [row for row in sheet.iter_rows(values_only=True) if row[1] in ("GL", "ST", "DD")]
    assert [(row[0], row[1], row[4], row[5]) for row in rows] == [
        (s.rank, s.unit.code, s.total, s.firsts) for s in report.standings
    ]


def test_cluster_page_lists_members_out_of_scope_unranked_like_the_report(cluster_data, client) -> None:
    fed = cluster_data.data.fed
    report = cluster_build(user=fed.gialam, cluster=cluster_data.cluster, period=Y2024)
    client.force_login(fed.gialam)
    html = client.get(f"/chi-tieu/cum/{cluster_data.cluster.pk}/", {"period": "2024"}).content.decode()
    assert [code for code, _, _ in _ranking_rows(html)] == [s.unit.code for s in report.standings]
    assert [rank for _, rank, _ in _ranking_rows(html)] == ["—", "—", "—"]
    assert html.count("Ngoài phạm vi của bạn") == 2
