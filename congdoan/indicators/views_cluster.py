"""The emulation cluster comparison page (and its XLSX): the members side by side on the standard
indicators.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from congdoan.core.periods import Period
from congdoan.org import selectors as org_selectors
from congdoan.org.models import ClusterMember, EmulationCluster

from . import exports
from .models import Indicator
from .ranking import cluster_ranking
from .views_shared import (
    Shown,
    ended_note,
    period_choices,
    request_period,
    show,
)

# -- emulation cluster comparison -----------------------------------------------------------------------


@login_required
@require_GET  # a read: POST is 405
def cluster(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The members of an emulation cluster side by side on the standard indicators, in the order of
    the cluster's ranking (:func:`ranking.cluster_ranking`, the one the cluster report uses: sum of
    the ranks on every indicator), with the chosen indicator's figures and ranks beside it."""
    found = org_selectors.cluster_list(user=request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    period = request_period(request, str(found.year), remembered=False)  # a cluster is of one year
    result = cluster_ranking(user=request.user, cluster=found, period=period)
    lines = result.lines
    if not lines:
        raise Http404
    code = request.GET.get("indicator", "").strip().upper()
    selected = next((line for line in lines if line.indicator.code == code), None)
    if selected is None:
        with_target = [line for line in lines if any(f.target for f in line.figures.values())]
        with_value = [line for line in lines if any(f.value for f in line.figures.values())]
        selected = (with_target or with_value or lines)[0]
    ranking = []
    for standing in result.standings:
        unit_id = standing.member.unit_id
        figure = selected.figures.get(unit_id)
        ranking.append(
            {
                "rank": standing.rank,
                "member": standing.member,
                "total": standing.total if standing.rank is not None else None,
                "firsts": standing.firsts if standing.rank is not None else None,
                "shown": show(figure, selected.indicator, period) if figure is not None else None,
                "indicator_rank": selected.ranks.get(unit_id),
                "ended": ended_note(standing.unit, period),
            }
        )
    ranked = [standing.member for standing in result.standings]
    matrix = []
    for line in lines:
        cells = []
        for member in ranked:
            figure = line.figures.get(member.unit_id)
            cell = show(figure, line.indicator, period) if figure is not None else None
            if cell is not None:
                cell.extra["rank"] = line.ranks.get(member.unit_id)
            cells.append(cell)
        matrix.append({"indicator": line.indicator, "cells": cells, "selected": line is selected})
    by_targets = selected.by_target
    if request.GET.get("xuat") == "xlsx":
        return _cluster_xlsx(request, found, period, selected.indicator, ranking, ranked, matrix, by_targets)
    context = {
        "cluster": found,
        "period": period,
        "periods": period_choices(period),
        "selected": selected.indicator,
        "selected_ranked": selected.ranked,
        "ranked_count": result.ranked_count,
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
                item["total"],
                item["firsts"],
                row.get("value"),
                row.get("target"),
                row.get("achievement"),
                row.get("value_display", ""),
                row.get("achievement_display", ""),
                item["indicator_rank"],
                item["ended"],
            ]
        )
    rank_header = [
        "Hạng",
        "Mã đơn vị",
        "Tên đơn vị",
        "Vai trò",
        "Tổng thứ hạng",
        "Số chỉ tiêu đứng đầu",
        "Thực hiện",
        "Chỉ tiêu",
        "Tỷ lệ đạt",
        "Thực hiện (hiển thị)",
        "Tỷ lệ đạt (hiển thị)",
        "Hạng theo chỉ tiêu",
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
                f"{found.name} — {period.label} (xếp hạng chung theo tổng thứ hạng; "
                f"{selected.name} xếp theo {order})",
                rank_header,
                rank_rows,
            ),
            ("So sánh", f"{found.name} — {period.label}", matrix_header, matrix_rows),
        ],
        stem=f"cum-thi-dua-{found.pk}-{period.code}",
        what=f"So sánh cụm thi đua «{found.name}» (XLSX)",
        filters={"cluster": found.pk, "period": period.code, "indicator": selected.code},
    )
