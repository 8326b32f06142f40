"""Fixtures of the emulation tests: two live district federations under the city of ``fed`` with a
CĐCS each, their officers, a cluster of 2025 and members admitted for the computed criterion."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from congdoan.accounts.models import Role, User
from congdoan.conftest import Federation, make_user
from congdoan.org import services as org_services
from congdoan.org.models import EmulationCluster, OrgUnit

d = dt.date
YEAR = 2025


@dataclass
class Emu:
    fed: Federation
    bv: OrgUnit  # LĐLĐ huyện Ba Vì
    pt: OrgUnit  # LĐLĐ huyện Phúc Thọ
    bv1: OrgUnit  # a CĐCS of Ba Vì
    pt1: OrgUnit  # a CĐCS of Phúc Thọ
    bavi: User
    phuctho: User
    bv1_user: User
    cluster: EmulationCluster


def unit(code: str, name: str, type_: str, parent: OrgUnit) -> OrgUnit:
    return org_services.unit_create(
        actor=None,
        code=code,
        name=name,
        type=type_,
        parent=parent,
        valid_from=d(2010, 1, 1),
        founded_on=d(2010, 1, 1),
    )


def build_emu(fed: Federation) -> Emu:
    bv = unit("BV", "LĐLĐ huyện Ba Vì", "LDLD_HUYEN", fed.hn)
    pt = unit("PT", "LĐLĐ huyện Phúc Thọ", "LDLD_HUYEN", fed.hn)
    bv1 = unit("BV1", "CĐCS Trường THPT Ba Vì", "CDCS", bv)
    pt1 = unit("PT1", "CĐCS Công ty Phúc Thọ", "CDCS", pt)
    cluster = org_services.cluster_create(
        actor=None,
        name="Cụm thi đua số 4",
        year=YEAR,
        organiser=fed.hn,
        members=[bv, pt, fed.kl],
        leader=bv,
        deputy=pt,
    )
    return Emu(
        fed=fed,
        bv=bv,
        pt=pt,
        bv1=bv1,
        pt1=pt1,
        bavi=make_user("bavi", bv, Role.OFFICER),
        phuctho=make_user("phuctho", pt, Role.OFFICER),
        bv1_user=make_user("bv1", bv1, Role.CDCS_OFFICER),
        cluster=cluster,
    )


@pytest.fixture
def emu(fed: Federation) -> Emu:
    return build_emu(fed)


def full_points(sheet: Any, share: Decimal = Decimal(1)) -> dict[int, Decimal]:
    """Points for every entered criterion: ``share`` of its maximum."""
    from congdoan.emulation import scoring

    return {
        line.criterion_id: scoring.q2(line.criterion.max_points * share)
        for line in sheet.lines.select_related("criterion")
        if not line.criterion.computed
    }
