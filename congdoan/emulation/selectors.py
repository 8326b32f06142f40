"""Reads of the emulation app, scoped to what the user may see.

Sheets, proposals, registrations and initiatives are scoped by their unit (``ever``: a former
district officer keeps the history of its CĐCS); clusters by ``org.selectors.cluster_list``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from congdoan.accounts.permissions import get_scoped, scoped
from congdoan.accounts.scope import OutOfScope
from congdoan.core.text import vi_sort_key
from congdoan.members.models import Membership, Person
from congdoan.org import selectors as org_selectors
from congdoan.org import tree
from congdoan.org.models import ClusterMember, EmulationCluster, OrgUnit

from . import scoring
from .models import (
    SCORED_STATES,
    AwardDecision,
    AwardProposal,
    CertificateTemplate,
    Initiative,
    Movement,
    Pact,
    Registration,
    ScoreSheet,
    SheetState,
    Vote,
    VoteReceipt,
)
from .schemes import GRADE_LABELS

# -- sheets ----------------------------------------------------------------------------------------


def sheet_list(
    *, user: Any, year: int | None = None, state: str = "", search: str = ""
) -> QuerySet[ScoreSheet]:
    qs = scoped(ScoreSheet.objects.all(), user, unit="unit_id", ever=True)
    if year:
        qs = qs.filter(year=year)
    if state:
        qs = qs.filter(state=state)
    if search:
        from congdoan.core.text import fold

        qs = qs.filter(unit__search_key__contains=fold(search))
    return qs.select_related("unit", "template").order_by("-year", "unit__sort_key", "id")


def sheet_get(*, user: Any, pk: int) -> ScoreSheet:
    return get_scoped(
        ScoreSheet.objects.select_related("unit", "template", "appraised_by"),
        user,
        unit="unit_id",
        ever=True,
        pk=pk,
    )


@dataclass
class GradeRow:
    code: str
    label: str
    count: int
    share: Decimal | None


def grade_counts(*, user: Any, year: int, unit: OrgUnit | None = None) -> tuple[list[GradeRow], int]:
    """CĐCS graded in ``year`` (appraised or later) by grade, with their shares, under ``unit``."""
    qs = sheet_list(user=user, year=year).filter(
        state__in=SCORED_STATES, unit__type__in=("CDCS", "NGHIEP_DOAN")
    )
    if unit is not None:
        qs = qs.filter(unit_id__in=tree.in_subtree([unit.pk], dt.date(year, 12, 31)))
    counts = Counter(qs.values_list("grade", flat=True))
    total = sum(counts.values())
    rows = [
        GradeRow(code, label, counts[code], Decimal(counts[code]) / total if total else None)
        for code, label in GRADE_LABELS.items()
        if counts[code]
    ]
    return rows, total


# -- clusters, vote and ranking -------------------------------------------------------------------


def cluster_get(*, user: Any, pk: int) -> EmulationCluster:
    found = org_selectors.cluster_list(user=user).filter(pk=pk).first()
    if found is None:
        raise OutOfScope(pk)
    return found


def vote_of(cluster: EmulationCluster) -> Vote | None:
    return Vote.objects.filter(cluster=cluster).select_related("next_leader", "next_deputy").first()


@dataclass
class Standing:
    unit: OrgUnit
    role: str
    score: Decimal | None  # the appraised total of the unit's sheet for the cluster's year
    grade: str
    votes: int
    vote_share: Decimal | None  # votes / ballots
    combined: Decimal | None
    rank: int = 0
    sheet_id: int | None = None

    @property
    def grade_label(self) -> str:
        return GRADE_LABELS.get(self.grade, "")

    @property
    def role_label(self) -> str:
        return dict(ClusterMember.Role.choices).get(self.role, "")


def cluster_ranking(cluster: EmulationCluster, *, vote: Vote | None = None) -> list[Standing]:
    """The cluster's members ranked: the appraised score and the vote share (in points of 100),
    weighted by the vote's ``vote_weight``; ties broken by score, then votes, then name. Without a
    vote, by score alone."""
    from .services import tally  # the count of the stored ballots

    vote = vote if vote is not None else vote_of(cluster)
    members = list(ClusterMember.objects.filter(cluster=cluster).select_related("unit"))
    sheets = {
        s.unit_id: s
        for s in ScoreSheet.objects.filter(year=cluster.year, unit_id__in=[m.unit_id for m in members])
    }
    counts = tally(vote) if vote is not None else {}
    ballots = sum(counts.values())
    weight = vote.vote_weight if vote is not None else Decimal(0)
    out = []
    for m in members:
        sheet = sheets.get(m.unit_id)
        score = sheet.appraised_total if sheet is not None and sheet.state in SCORED_STATES else None
        votes = counts.get(m.unit_id, 0)
        share = Decimal(votes) / ballots if ballots else None
        combined = None
        if score is not None or share is not None:
            combined = scoring.q2((score or Decimal(0)) * (1 - weight) + (share or Decimal(0)) * 100 * weight)
        out.append(
            Standing(
                m.unit,
                m.role,
                score,
                sheet.grade if sheet and score is not None else "",
                votes,
                share,
                combined,
                sheet_id=sheet.pk if sheet else None,
            )
        )
    out.sort(
        key=lambda s: (
            -(s.combined or Decimal(-1)),
            -(s.score or Decimal(-1)),
            -s.votes,
            vi_sort_key(s.unit.name),
        )
    )
    for n, s in enumerate(out, start=1):
        s.rank = n
    return out


def vote_tally_rows(vote: Vote) -> list[tuple[OrgUnit, int, Decimal | None]]:
    """The tally, most votes first, ties broken by score."""
    ranking = cluster_ranking(vote.cluster, vote=vote)
    return sorted(
        ((s.unit, s.votes, s.score) for s in ranking),
        key=lambda r: (-r[1], -(r[2] or Decimal(-1)), vi_sort_key(r[0].name)),
    )


def voted_units(vote: Vote) -> set[int]:
    return set(VoteReceipt.objects.filter(vote=vote).values_list("voter_id", flat=True))


def pacts_of(cluster: EmulationCluster) -> QuerySet[Pact]:
    return Pact.objects.filter(cluster=cluster)


# -- awards, registrations, initiatives ----------------------------------------------------------


def proposal_list(
    *, user: Any, year: int | None = None, form: str = "", state: str = ""
) -> QuerySet[AwardProposal]:
    qs = scoped(AwardProposal.objects.all(), user, unit="unit_id", ever=True)
    if year:
        qs = qs.filter(year=year)
    if form:
        qs = qs.filter(form=form)
    if state:
        qs = qs.filter(state=state)
    return qs.select_related("unit", "person", "decision").order_by("-year", "-proposed_on", "-id")


def proposal_get(*, user: Any, pk: int) -> AwardProposal:
    return get_scoped(
        AwardProposal.objects.select_related("unit", "person", "decision", "decision__issuer"),
        user,
        unit="unit_id",
        ever=True,
        pk=pk,
    )


def decision_list(*, user: Any) -> QuerySet[AwardDecision]:
    return scoped(AwardDecision.objects.all(), user, unit="issuer_id", ever=True).select_related("issuer")


def registration_list(*, user: Any, year: int | None = None) -> QuerySet[Registration]:
    qs = scoped(Registration.objects.all(), user, unit="unit_id", ever=True)
    if year:
        qs = qs.filter(year=year)
    return qs.select_related("unit", "person", "movement")


def initiative_list(*, user: Any, year: int | None = None, status: str = "") -> QuerySet[Initiative]:
    qs = scoped(Initiative.objects.all(), user, unit="unit_id", date="submitted_on", ever=True)
    if year:
        qs = qs.filter(submitted_on__year=year)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("unit", "person")


def pending_sheets(*, user: Any) -> QuerySet[ScoreSheet]:
    return sheet_list(user=user).filter(state__in=(SheetState.DRAFT, SheetState.SELF_SCORED))


# -- movements, registrations, the pages' lookups --------------------------------------------------


def movement_list(*, user: Any) -> QuerySet[Movement]:
    return scoped(Movement.objects.all(), user, unit="owner_id", ever=True).select_related("owner")


def movement_choices(*, user: Any) -> list[tuple[int, str]]:
    """The movements a form offers: those launched by a unit the user may see, newest first."""
    return [(m.pk, f"{m.name} ({m.starts_on:%Y})") for m in movement_list(user=user)[:200]]


def member_of(unit: OrgUnit, cccd: str, on: dt.date) -> Person | None:
    """The person with this CCCD who is (or was) a member of ``unit`` or of a union under it on
    ``on``; anybody else reads as nobody (a form must not reveal people outside its unit)."""
    digits = "".join(ch for ch in cccd if ch.isdigit())
    if not digits:
        return None
    ids = Membership.objects.filter(
        person__cccd=digits, cdcs_id__in=tree.in_subtree([unit.pk], on)
    ).values_list("person_id", flat=True)
    return Person.objects.filter(pk__in=ids).first()


def certificate_templates(*, user: Any) -> QuerySet[CertificateTemplate]:
    return scoped(CertificateTemplate.objects.all(), user, unit="owner_id", ever=True).select_related("owner")
