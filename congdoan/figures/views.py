"""The check page: paste or upload a report, see every figure highlighted green (right), amber
(rounded), red (wrong) or grey (not checkable), with the explanation on hover (``title``) and in the
list below the text (a tap on a figure jumps to its line).

The check reads, never writes: a POST because a report is too long for a query string; the scope
sweep lists it among the read actions a read-only officer may post to. A unit outside the user's
scope is 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from congdoan.core.periods import parse_period
from congdoan.org import selectors as org_selectors

from . import selectors
from .extraction import Claim, Extraction
from .forms import CheckForm


@dataclass
class Segment:
    text: str
    claim: Claim | None = None
    number: int = 0


def segments(extraction: Extraction) -> list[Segment]:
    """The normalised text cut at the claims' spans, in order."""
    out: list[Segment] = []
    pos = 0
    for number, claim in enumerate(extraction.claims, start=1):
        if claim.start < pos:
            continue
        if claim.start > pos:
            out.append(Segment(extraction.text[pos : claim.start]))
        out.append(Segment(extraction.text[claim.start : claim.end], claim, number))
        pos = claim.end
    if pos < len(extraction.text):
        out.append(Segment(extraction.text[pos:]))
    return out


@login_required
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    units = selectors.units_for(user=request.user)
    code = (request.POST.get("unit") or request.GET.get("unit") or "").strip()
    if code:
        picked = org_selectors.unit_get(user=request.user, code=code)  # a foreign unit: 404
        if all(u.pk != picked.pk for u in units):
            units.insert(0, picked)  # an ended unit the user still answers for
    result = None
    if request.method == "POST":
        form = CheckForm(request.POST, request.FILES, units=units)
        if form.is_valid():
            data = form.cleaned_data
            unit = org_selectors.unit_get(user=request.user, code=data["unit"]) if data["unit"] else None
            period = parse_period(data["period"]) if data["period"] else None
            result = selectors.check_text(user=request.user, text=data["text"], unit=unit, period=period)
    else:
        initial = {"unit": code, "period": request.GET.get("period", "")}
        form = CheckForm(initial=initial, units=units)
    context = {
        "form": form,
        "result": result,
        "segments": segments(result) if result else [],
        "counts": selectors.summary(result) if result else {},
        "labels": selectors.VERDICT_LABELS,
    }
    return render(request, "figures/check.html", context)
