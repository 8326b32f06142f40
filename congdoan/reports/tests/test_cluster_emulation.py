"""The cluster report shows the emulation app's scores, vote and ranking side by side (issue 15)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from docx import Document

from congdoan.conftest import Federation
from congdoan.core.periods import parse_period
from congdoan.emulation import services
from congdoan.emulation.tests.conftest import YEAR, build_emu, full_points
from congdoan.reports.cluster import cluster_build
from congdoan.reports.cluster_files import render_cluster_docx, render_cluster_html

pytestmark = pytest.mark.django_db


def test_cluster_report_gains_scores_vote_and_ranking(fed: Federation) -> None:
    emu = build_emu(fed)
    for unit, share in ((emu.bv, Decimal("0.9")), (emu.pt, Decimal("0.7"))):
        sheet = services.sheet_open(actor=None, unit=unit, year=YEAR, deadline=dt.date(YEAR, 12, 15))
        sheet = services.sheet_self_score(
            actor=None, sheet=sheet, points=full_points(sheet, share), today=dt.date(YEAR, 12, 1)
        )
        services.sheet_appraise(actor=None, sheet=sheet, by_unit=fed.hn, points=full_points(sheet, share))
    now = timezone.now()
    vote = services.vote_open(
        actor=None,
        cluster=emu.cluster,
        opens_at=now - dt.timedelta(hours=2),
        closes_at=now - dt.timedelta(hours=1) + dt.timedelta(minutes=59),
    )
    services.ballot_cast(actor=None, vote=vote, voter=emu.pt, choice=emu.bv, now=vote.opens_at)
    services.ballot_cast(actor=None, vote=vote, voter=fed.kl, choice=emu.bv, now=vote.opens_at)
    services.vote_close(actor=None, vote=vote, now=vote.closes_at)
    report = cluster_build(user=fed.thanhpho, cluster=emu.cluster, period=parse_period(str(YEAR)))
    assert [s.unit.code for s in report.emulation][:2] == ["BV", "PT"] and report.vote_closed
    html = render_cluster_html(report)
    assert "III. ĐIỂM THI ĐUA, BÌNH XÉT VÀ XẾP HẠNG" in html and "LĐLĐ huyện Ba Vì làm cụm trưởng" in html
    text = "\n".join(p.text for p in Document(io.BytesIO(render_cluster_docx(report))).paragraphs)
    assert "Bảng 3. Điểm thẩm định, phiếu suy tôn và xếp hạng thi đua" in text
    assert f"LĐLĐ huyện Ba Vì làm cụm trưởng, LĐLĐ huyện Phúc Thọ làm cụm phó năm {YEAR + 1}" in text
