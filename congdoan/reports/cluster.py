"""The cluster report (báo cáo cụm thi đua): the member units of an emulation cluster side by side on
the standard indicators, ranked, for the cluster's annual review. Read-only, through the roll-up engine.

The ranking is :func:`congdoan.indicators.ranking.cluster_ranking`, the one the cluster comparison
page uses too (rules there and in ``docs/reports.md``); this module lays it out for the documents.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from congdoan.accounts.scope import OutOfScope
from congdoan.core.formatting import EMPTY, format_fraction_percent, format_number
from congdoan.core.periods import Period, format_period
from congdoan.core.text import vi_sort_key
from congdoan.emulation import selectors as emulation_selectors
from congdoan.indicators.engine import Figure
from congdoan.indicators.models import Indicator
from congdoan.indicators.ranking import ROLE_ORDER, Standing, cluster_ranking
from congdoan.org import selectors as org_selectors
from congdoan.org.models import ClusterMember, EmulationCluster, OrgUnit

from . import drafting
from .selectors import _place, official_name


@dataclass
class ClusterCell:
    value: Decimal | None
    target: Decimal | None
    achievement: Decimal | None
    display: str  # "2.352", "87,5%", "—"
    achievement_display: str  # "đạt 125%" or ""
    rank: int | None = None


@dataclass
class ClusterLine:
    """One indicator across the members (cells in the order of ``ClusterReport.standings``)."""

    indicator: Indicator
    cells: list[ClusterCell]
    ranked: bool
    by_target: bool
    has_data: bool

    @property
    def basis(self) -> str:
        if not self.ranked:
            return ""
        return "tỷ lệ đạt chỉ tiêu" if self.by_target else "số thực hiện"


@dataclass
class ClusterReport:
    cluster: EmulationCluster
    period: Period
    standings: list[Standing]  # ranked order
    lines: list[ClusterLine]
    paragraphs: list[str]
    issued_on: dt.date
    notes: list[str] = field(default_factory=list)
    # The emulation app's side of the cluster: appraised scores, the peer vote and the ranking combining
    # them (``emulation.selectors.cluster_ranking``); empty when no member has a score and no vote ran.
    emulation: list[Any] = field(default_factory=list)
    vote: Any = None

    @property
    def vote_closed(self) -> bool:
        return self.vote is not None and self.vote.state == "closed"

    @property
    def title(self) -> str:
        return f"BÁO CÁO KẾT QUẢ THI ĐUA {self.cluster.name.upper()} {format_period(self.period).upper()}"

    @property
    def ranked_lines(self) -> list[ClusterLine]:
        return [line for line in self.lines if line.ranked]

    @property
    def leader(self) -> Standing | None:
        return next((s for s in self.standings if s.member.role == ClusterMember.Role.LEADER), None)

    @property
    def organiser(self) -> OrgUnit:
        return self.cluster.organiser


def cluster_get(*, user: Any, pk: int) -> EmulationCluster:
    """A cluster the user's units organise or belong to (else 404); ``user`` None: any."""
    qs = (
        EmulationCluster.objects.select_related("organiser")
        if user is None
        else org_selectors.cluster_list(user=user)
    )
    found = qs.filter(pk=pk).first()
    if found is None:
        raise OutOfScope(pk)
    return found


def _display(indicator: Indicator, value: Decimal | None) -> str:
    if value is None:
        return EMPTY
    if indicator.is_ratio:
        return format_fraction_percent(value)
    return format_number(value, indicator.decimals, trim=True)


def _cell(indicator: Indicator, figure: Figure | None) -> ClusterCell:
    if figure is None:
        return ClusterCell(None, None, None, EMPTY, "")
    achievement = figure.achievement
    return ClusterCell(
        value=figure.value,
        target=figure.target,
        achievement=achievement,
        display=_display(indicator, figure.value),
        achievement_display=f"đạt {format_fraction_percent(achievement)}" if achievement is not None else "",
    )


def cluster_build(
    *,
    user: Any,
    cluster: EmulationCluster,
    period: Period,
    issued_on: dt.date | None = None,
) -> ClusterReport:
    """The cluster's members side by side on the standard indicators for ``period``, ranked."""
    if user is not None:
        cluster = cluster_get(user=user, pk=cluster.pk)
    ranking = cluster_ranking(user=user, cluster=cluster, period=period)
    members, order = ranking.members, ranking.standings
    visible = [s for s in order if s.visible]
    ranked_count = ranking.ranked_count
    lines = []
    for line in ranking.lines:
        cells = []
        for standing in order:
            cell = _cell(line.indicator, line.figures.get(standing.member.unit_id))
            cell.rank = line.ranks.get(standing.member.unit_id)
            cells.append(cell)
        lines.append(ClusterLine(line.indicator, cells, line.ranked, line.by_target, line.has_data))
    no_data = [line.indicator.name for line in lines if not line.has_data]
    paragraphs = drafting.cluster_paragraphs(
        period=period,
        cluster=cluster.name,
        members=len(members),
        ranked_indicators=ranked_count,
        by_target=any(line.by_target for line in lines if line.ranked),
        standings=[(s.unit.name, s.rank or 0, s.total, s.firsts) for s in visible] if ranked_count else [],
        no_data=no_data,
        hidden=len(order) - len(visible),
    )
    notes = [p for p in paragraphs if p.startswith("Chưa có số liệu")]
    vote = emulation_selectors.vote_of(cluster)
    emulation = emulation_selectors.cluster_ranking(cluster, vote=vote)
    if vote is None and all(s.score is None for s in emulation):
        emulation = []
    return ClusterReport(
        cluster=cluster,
        period=period,
        standings=order,
        lines=lines,
        paragraphs=paragraphs,
        issued_on=issued_on or timezone.localdate(),
        notes=notes,
        emulation=emulation,
        vote=vote,
    )


def cluster_context(report: ClusterReport) -> dict[str, Any]:
    """Header, title and signature lines of the cluster report (strings), shared by the three formats."""
    organiser = report.organiser
    leader = report.leader
    place = _place(organiser, report.period.end)
    day = report.issued_on
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return {
        "issuer_parent_upper": official_name(organiser).upper(),
        "issuer_upper": report.cluster.name.upper(),
        "number_line": "Số:       /BC-CTĐ",
        "date_line": f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}",
        "title": report.title,
        "period_label": format_period(report.period),
        "intro": (
            f"{report.cluster.name} do {organiser.name} tổ chức gồm {len(report.standings)} đơn vị: "
            + "; ".join(
                s.unit.name + (f" ({s.role.lower()})" if s.member.role != ClusterMember.Role.MEMBER else "")
                for s in sorted(
                    report.standings,
                    key=lambda s: (ROLE_ORDER.get(s.member.role, 2), vi_sort_key(s.unit.name)),
                )
            )
            + f". Kết quả thực hiện các chỉ tiêu thi đua {format_period(report.period)} của các đơn vị "
            "trong cụm, tính từ dữ liệu trên hệ thống, như sau:"
        ),
        "signer_on_behalf": "TM. CỤM THI ĐUA",
        "signer_title": "ĐƠN VỊ CỤM TRƯỞNG" if leader is not None else "",
        "signer_name": official_name(leader.unit) if leader is not None else "",
        "recipients": [
            f"{organiser.name} (để báo cáo);",
            "Các đơn vị trong cụm;",
            "Lưu: VT.",
        ],
    }
