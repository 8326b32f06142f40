"""The emulation cluster comparison page (and its XLSX): the members side by side on the standard
indicators.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render

from congdoan.accounts.scope import OutOfScope
from congdoan.core.periods import Period
from congdoan.org import selectors as org_selectors
from congdoan.org.models import ClusterMember, EmulationCluster

from . import exports
from .engine import Figure
from .models import Indicator
from .views_shared import (
    Shown,
    available,
    ended_note,
    figures_under,
    period_choices,
    request_period,
    show,
    standard_indicators,
)

# -- emulation cluster comparison -----------------------------------------------------------------------


def _member_figures(
    request: HttpRequest,
    indicator: Indicator,
    period: Period,
    cluster: EmulationCluster,
    members: list[ClusterMember],
) -> dict[int, Figure]:
    """Each member's figure: one roll-up under the organiser when the user may see it (members are
    usually its children), else one per member; members outside the user's scope have none."""
    out: dict[int, Figure] = {}
    wanted = {m.unit_id for m in members}
    try:
        for figure in figures_under(request, indicator, period, cluster.organiser, depth=1):
            if figure.unit.pk in wanted:
                out.setdefault(figure.unit.pk, figure)
    except OutOfScope:
        pass
    for member in members:
        if member.unit_id in out:
            continue
        try:
            figures = figures_under(request, indicator, period, member.unit, depth=0)
        except OutOfScope:
            continue
        if figures and figures[0].unit.pk == member.unit_id:
            out[member.unit_id] = figures[0]
    return out


def _rank_key(figure: Figure | None, name: str) -> tuple[Any, ...]:
    if figure is None:
        return (2, 0, 0, name)
    achievement = figure.achievement
    return (
        0 if achievement is not None else 1,
        -(achievement or 0),
        -(figure.value or 0),
        name,
    )


@login_required
def cluster(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The members of an emulation cluster side by side on the standard indicators, ranked by
    achievement of the chosen indicator (by value when it has no targets)."""
    found = org_selectors.cluster_list(user=request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    period = request_period(request, str(found.year))
    members = sorted(
        found.memberships.all(),
        key=lambda m: ({"leader": 0, "deputy": 1}.get(m.role, 2), m.unit.name),
    )
    indicators = [i for i in standard_indicators() if available(i)]
    if not indicators:
        raise Http404
    by_indicator = {i.code: _member_figures(request, i, period, found, members) for i in indicators}
    code = request.GET.get("indicator", "").strip().upper()
    selected = next((i for i in indicators if i.code == code), None)
    if selected is None:
        with_target = [i for i in indicators if any(f.target for f in by_indicator[i.code].values())]
        with_value = [i for i in indicators if any(f.value for f in by_indicator[i.code].values())]
        selected = (with_target or with_value or indicators)[0]
    chosen = by_indicator[selected.code]
    ranked = sorted(members, key=lambda m: _rank_key(chosen.get(m.unit_id), m.unit.name))
    ranking = []
    for position, member in enumerate(ranked, start=1):
        figure = chosen.get(member.unit_id)
        ranking.append(
            {
                "rank": position if figure is not None else None,
                "member": member,
                "shown": show(figure, selected, period) if figure is not None else None,
                "ended": ended_note(member.unit, period),
            }
        )
    matrix = []
    for indicator in indicators:
        figures = by_indicator[indicator.code]
        cells = [
            show(figures[m.unit_id], indicator, period) if m.unit_id in figures else None for m in ranked
        ]
        matrix.append({"indicator": indicator, "cells": cells, "selected": indicator.pk == selected.pk})
    by_targets = any(f.achievement is not None for f in chosen.values())
    if request.GET.get("xuat") == "xlsx":
        return _cluster_xlsx(request, found, period, selected, ranking, ranked, matrix, by_targets)
    context = {
        "cluster": found,
        "period": period,
        "periods": period_choices(period),
        "selected": selected,
        "ranking": ranking,
        "ranked": ranked,
        "matrix": matrix,
        "by_targets": by_targets,
    }
    return render(request, "indicators/cluster.html", context)


def _cluster_xlsx(
    request: HttpRequest,
    found: EmulationCluster,
    period: Period,
    selected: Indicator,
    ranking: list[dict[str, Any]],
    ranked: list[ClusterMember],
    matrix: list[dict[str, Any]],
    by_targets: bool,
) -> HttpResponseBase:
    rank_rows = []
    for item in ranking:
        shown: Shown | None = item["shown"]
        row = shown.row if shown else {}
        rank_rows.append(
            [
                item["rank"],
                item["member"].unit.code,
                item["member"].unit.name,
                item["member"].get_role_display(),
                row.get("value"),
                row.get("target"),
                row.get("achievement"),
                row.get("value_display", ""),
                row.get("achievement_display", ""),
                item["ended"],
            ]
        )
    rank_header = [
        "Hạng",
        "Mã đơn vị",
        "Tên đơn vị",
        "Vai trò",
        "Thực hiện",
        "Chỉ tiêu",
        "Tỷ lệ đạt",
        "Thực hiện (hiển thị)",
        "Tỷ lệ đạt (hiển thị)",
        "Ghi chú",
    ]
    matrix_header = ["Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị tính"]
    for member in ranked:
        matrix_header += [member.unit.name, f"{member.unit.name} — tỷ lệ đạt"]
    matrix_rows = []
    for line in matrix:
        indicator = line["indicator"]
        row_out: list[Any] = [indicator.code, indicator.name, indicator.unit]
        for cell in line["cells"]:
            row_out += [cell.row["value_display"], cell.row["achievement_display"]] if cell else ["", ""]
        matrix_rows.append(row_out)
    order = "tỷ lệ đạt" if by_targets else "giá trị"
    return exports.figures_xlsx(
        user=request.user,
        sheets=[
            (
                "Xếp hạng",
                f"{found.name} — {selected.name} — {period.label} (xếp theo {order})",
                rank_header,
                rank_rows,
            ),
            ("So sánh", f"{found.name} — {period.label}", matrix_header, matrix_rows),
        ],
        stem=f"cum-thi-dua-{found.pk}-{period.code}",
        what=f"So sánh cụm thi đua «{found.name}» (XLSX)",
        filters={"cluster": found.pk, "period": period.code, "indicator": selected.code},
    )
