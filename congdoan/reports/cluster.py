"""The cluster report (báo cáo cụm thi đua): the member units of an emulation cluster side by side on
the standard indicators, ranked, for the cluster's annual review. Read-only, through the roll-up engine.

Ranking, the same for every format (documented in ``docs/reports.md``):

- each indicator with data is ranked on its own: by the achievement of the target (actual/target)
  when targets were handed to members (members without a target come after those with one, by their
  figure), else by the actual figure (a ratio: by its share); equal figures share a rank ("1, 1, 3");
  a member without the figure (e.g. a share of enterprises where it has none) ranks last;
- indicators that only serve as the denominator of a ratio in the list (workers, enterprise CĐCS,
  graded agreements…) and indicators without any data are not ranked;
- the overall rank is by the sum of the ranks (smaller is better), then by the number of first places,
  then by name. Members outside the user's scope are shown without figures and are not ranked.
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
from congdoan.indicators import selectors as indicator_selectors
from congdoan.indicators.engine import Figure
from congdoan.indicators.models import Indicator
from congdoan.org import selectors as org_selectors
from congdoan.org.models import ClusterMember, EmulationCluster, OrgUnit

from . import drafting
from .selectors import _missing_provider, _place, official_name

ROLE_ORDER: dict[str, int] = {ClusterMember.Role.LEADER.value: 0, ClusterMember.Role.DEPUTY.value: 1}


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
class Standing:
    member: ClusterMember
    visible: bool  # the user may see the member's figures
    total: int = 0  # sum of the ranks on the ranked indicators
    firsts: int = 0  # indicators on which it ranks first
    rank: int | None = None

    @property
    def unit(self) -> OrgUnit:
        return self.member.unit

    @property
    def role(self) -> str:
        return self.member.get_role_display()


@dataclass
class ClusterReport:
    cluster: EmulationCluster
    period: Period
    standings: list[Standing]  # ranked order
    lines: list[ClusterLine]
    paragraphs: list[str]
    issued_on: dt.date
    notes: list[str] = field(default_factory=list)

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


def _figures(
    user: Any, indicator: Indicator, period: Period, cluster: EmulationCluster, units: list[OrgUnit]
) -> dict[int, Figure]:
    """Each member's figure: one roll-up under the organiser when the user may see it, else one per
    member; a member outside the user's scope has none."""
    out: dict[int, Figure] = {}
    wanted = {u.pk for u in units}
    try:
        for figure in indicator_selectors.achievement_table(
            user=user, indicator=indicator, period=period, under=cluster.organiser, depth=1
        ):
            if figure.unit.pk in wanted:
                out.setdefault(figure.unit.pk, figure)
    except OutOfScope:
        pass
    for unit in units:
        if unit.pk in out:
            continue
        try:
            figures = indicator_selectors.achievement_table(
                user=user, indicator=indicator, period=period, under=unit, depth=0
            )
        except OutOfScope:
            continue
        if figures and figures[0].unit.pk == unit.pk:
            out[unit.pk] = figures[0]
    return out


def _display(indicator: Indicator, value: Decimal | None) -> str:
    if value is None:
        return EMPTY
    if indicator.is_ratio:
        return format_fraction_percent(value, indicator.decimals or 1)
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


Key = tuple[int, Decimal]


def _key(cell: ClusterCell, by_target: bool) -> Key | None:
    """What a member is ranked on for one indicator: with targets handed down, the achievement first
    (members without a target come after, by their figure); else the figure; no figure: ``None``."""
    if cell.value is None:
        return None
    if by_target and cell.achievement is not None:
        return (1, cell.achievement)
    return (0, cell.value)


def _rank(keys: list[Key | None]) -> list[int | None]:
    """Competition ranks, highest first ("1, 1, 3"); ``None`` keys rank after every other key."""
    present = [k for k in keys if k is not None]
    return [1 + sum(1 for other in present if other > k) if k is not None else 1 + len(present) for k in keys]


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
    members = sorted(
        cluster.memberships.select_related("unit"),
        key=lambda m: (ROLE_ORDER.get(m.role, 2), vi_sort_key(m.unit.name)),
    )
    units = [m.unit for m in members]
    indicators = [
        i
        for i in indicator_selectors.indicator_list().filter(standard=True).order_by("sort_order", "code")
        if not _missing_provider(i)
    ]
    denominators = {i.denominator_id for i in indicators if i.is_ratio}
    figures: dict[str, dict[int, Figure]] = {}
    for indicator in indicators:
        try:
            figures[indicator.code] = _figures(user, indicator, period, cluster, units)
        except ValueError:  # a part of a ratio is missing: no data
            figures[indicator.code] = {}
    seen = {pk for by_unit in figures.values() for pk in by_unit}
    standings = [Standing(member=m, visible=m.unit_id in seen) for m in members]
    visible = [s for s in standings if s.visible]

    raw: list[tuple[Indicator, dict[int, ClusterCell], bool, bool, bool]] = []
    for indicator in indicators:
        cells = {m.unit_id: _cell(indicator, figures[indicator.code].get(m.unit_id)) for m in members}
        has_data = any(cells[s.member.unit_id].value for s in visible)
        by_target = any(cells[s.member.unit_id].achievement is not None for s in visible)
        ranked = has_data and indicator.pk not in denominators and len(visible) > 1
        if ranked:
            keys = [_key(cells[s.member.unit_id], by_target) for s in visible]
            for standing, rank in zip(visible, _rank(keys), strict=True):
                cells[standing.member.unit_id].rank = rank
                standing.total += rank or 0
                standing.firsts += rank == 1
        raw.append((indicator, cells, ranked, by_target, has_data))

    ranked_count = sum(1 for _, _, ranked, _, _ in raw if ranked)
    if ranked_count:
        visible.sort(key=lambda s: (s.total, -s.firsts, vi_sort_key(s.unit.name)))
        for position, standing in enumerate(visible, start=1):
            previous = visible[position - 2] if position > 1 else None
            same = previous is not None and (previous.total, previous.firsts) == (
                standing.total,
                standing.firsts,
            )
            standing.rank = previous.rank if same and previous is not None else position
    order = visible + [s for s in standings if not s.visible]
    lines = [
        ClusterLine(indicator, [cells[s.member.unit_id] for s in order], ranked, by_target, has_data)
        for indicator, cells, ranked, by_target, has_data in raw
    ]
    no_data = [line.indicator.name for line in lines if not line.has_data]
    paragraphs = drafting.cluster_paragraphs(
        period=period,
        cluster=cluster.name,
        members=len(members),
        ranked_indicators=ranked_count,
        by_target=any(line.by_target for line in lines if line.ranked),
        standings=[(s.unit.name, s.rank or 0, s.total, s.firsts) for s in visible] if ranked_count else [],
        no_data=no_data,
        hidden=len(standings) - len(visible),
    )
    notes = [p for p in paragraphs if p.startswith("Chưa có số liệu")]
    return ClusterReport(
        cluster=cluster,
        period=period,
        standings=order,
        lines=lines,
        paragraphs=paragraphs,
        issued_on=issued_on or timezone.localdate(),
        notes=notes,
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
