"""The ranking of an emulation cluster's members (cụm thi đua): one rule, used by the cluster
comparison page (``indicators:cluster``, its XLSX) and by the cluster report (``reports.cluster``:
preview, DOCX, XLSX, PDF, CLI), so that they always show the same order. Documented in
``docs/reports.md`` ("Cluster report"):

- each standard indicator with data is ranked on its own: by the achievement of the target
  (actual/target) when targets were handed to members (members without a target come after those
  with one, by their figure), else by the actual figure (a ratio: by its share); equal figures share
  a rank ("1, 1, 3"); a member without the figure ranks last;
- indicators that only serve as the denominator of a ratio in the list and indicators without any
  data are not ranked;
- the overall rank is by the sum of the ranks (smaller is better), then by the number of first
  places, then by name. Members outside the user's scope are shown without figures and not ranked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from congdoan.accounts.scope import OutOfScope
from congdoan.core.periods import Period
from congdoan.core.text import vi_sort_key
from congdoan.org.models import ClusterMember, EmulationCluster, OrgUnit

from . import selectors
from .engine import Figure
from .models import Indicator
from .providers import REGISTRY

ROLE_ORDER: dict[str, int] = {ClusterMember.Role.LEADER.value: 0, ClusterMember.Role.DEPUTY.value: 1}

# What a member is ranked on for one indicator: (1, achievement) before (0, figure); higher is better.
RankKey = tuple[int, Decimal]


@dataclass
class IndicatorRanking:
    """One indicator across the members: their figures and, when the indicator is ranked, their ranks."""

    indicator: Indicator
    figures: dict[int, Figure]  # unit id → figure (members outside the user's scope have none)
    ranks: dict[int, int | None] = field(default_factory=dict)  # unit id → rank, ranked lines only
    ranked: bool = False
    by_target: bool = False  # ranked by the achievement of targets (else by the figure)
    has_data: bool = False


@dataclass
class Standing:
    """A member's place in the cluster."""

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
class ClusterRanking:
    cluster: EmulationCluster
    period: Period
    members: list[ClusterMember]  # leader, deputy, then the others by name
    standings: list[Standing]  # ranked order: visible members by rank, then those outside the scope
    lines: list[IndicatorRanking]  # the standard indicators, in catalogue order

    @property
    def ranked_count(self) -> int:
        return sum(1 for line in self.lines if line.ranked)

    def line(self, code: str) -> IndicatorRanking | None:
        return next((line for line in self.lines if line.indicator.code == code), None)


def _computable(indicator: Indicator) -> bool:
    """Whether every computed part of the indicator has a registered provider."""
    parts = [indicator.numerator, indicator.denominator] if indicator.is_ratio else [indicator]
    return not any(
        part is not None and part.source == Indicator.Source.COMPUTED and part.provider not in REGISTRY
        for part in parts
    )


def cluster_indicators() -> list[Indicator]:
    """The standard indicators the engine can compute, in catalogue order: what clusters compare."""
    return [
        i
        for i in selectors.indicator_list().filter(standard=True).order_by("sort_order", "code")
        if _computable(i)
    ]


def member_figures(
    *, user: Any, indicator: Indicator, period: Period, cluster: EmulationCluster, units: list[OrgUnit]
) -> dict[int, Figure]:
    """Each member's figure: one roll-up under the organiser when the user may see it (members are
    usually its children), else one per member; a member outside the user's scope has none."""
    out: dict[int, Figure] = {}
    wanted = {u.pk for u in units}
    try:
        for figure in selectors.achievement_table(
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
            figures = selectors.achievement_table(
                user=user, indicator=indicator, period=period, under=unit, depth=0
            )
        except OutOfScope:
            continue
        if figures and figures[0].unit.pk == unit.pk:
            out[unit.pk] = figures[0]
    return out


def rank_key(figure: Figure | None, by_target: bool) -> RankKey | None:
    """What a member is ranked on for one indicator: with targets handed down, the achievement first
    (members without a target come after, by their figure); else the figure; no figure: ``None``."""
    if figure is None or figure.value is None:
        return None
    if by_target and figure.achievement is not None:
        return (1, figure.achievement)
    return (0, figure.value)


def competition_ranks(keys: list[RankKey | None]) -> list[int | None]:
    """Competition ranks, highest first ("1, 1, 3"); ``None`` keys rank after every other key."""
    present = [k for k in keys if k is not None]
    return [1 + sum(1 for other in present if other > k) if k is not None else 1 + len(present) for k in keys]


def cluster_ranking(
    *, user: Any, cluster: EmulationCluster, period: Period, indicators: list[Indicator] | None = None
) -> ClusterRanking:
    """The cluster's members ranked for ``period`` on ``indicators`` (default: :func:`cluster_indicators`),
    with every member's figures as ``user`` may see them (``None``: the system, sees all)."""
    members = sorted(
        cluster.memberships.select_related("unit"),
        key=lambda m: (ROLE_ORDER.get(m.role, 2), vi_sort_key(m.unit.name)),
    )
    units = [m.unit for m in members]
    if indicators is None:
        indicators = cluster_indicators()
    denominators = {i.denominator_id for i in indicators if i.is_ratio}
    lines: list[IndicatorRanking] = []
    for indicator in indicators:
        try:
            figures = member_figures(
                user=user, indicator=indicator, period=period, cluster=cluster, units=units
            )
        except ValueError:  # a part of a ratio is missing: no data
            figures = {}
        lines.append(IndicatorRanking(indicator, figures))
    seen = {pk for line in lines for pk in line.figures}
    standings = [Standing(member=m, visible=m.unit_id in seen) for m in members]
    visible = [s for s in standings if s.visible]

    for line in lines:
        shown = [line.figures.get(s.member.unit_id) for s in visible]
        line.has_data = any(f is not None and f.value for f in shown)
        line.by_target = any(f is not None and f.achievement is not None for f in shown)
        line.ranked = line.has_data and line.indicator.pk not in denominators and len(visible) > 1
        if not line.ranked:
            continue
        ranks = competition_ranks([rank_key(f, line.by_target) for f in shown])
        for standing, rank in zip(visible, ranks, strict=True):
            line.ranks[standing.member.unit_id] = rank
            standing.total += rank or 0
            standing.firsts += rank == 1

    if any(line.ranked for line in lines):
        visible.sort(key=lambda s: (s.total, -s.firsts, vi_sort_key(s.unit.name)))
        for position, standing in enumerate(visible, start=1):
            previous = visible[position - 2] if position > 1 else None
            tied = previous is not None and (previous.total, previous.firsts) == (
                standing.total,
                standing.firsts,
            )
            standing.rank = previous.rank if tied and previous is not None else position
    order = visible + [s for s in standings if not s.visible]
    return ClusterRanking(cluster=cluster, period=period, members=members, standings=order, lines=lines)
