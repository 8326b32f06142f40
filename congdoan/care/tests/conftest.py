"""A Tết 2026 campaign of the city (HN) with allocations to Kim Liên (KL) and to GL2, on the
federation of ``congdoan/conftest.py`` (today: GL1 and DD1 sit under KL, GL2 under HN)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from congdoan.care import services
from congdoan.care.models import Campaign
from congdoan.conftest import Federation


def cccd(n: int, year: int = 90) -> str:
    """A valid CCCD of Hà Nội (001), a man born in 19<year>, serial ``n``."""
    return f"0010{year:02d}{n:06d}"


@dataclass
class CareSetup:
    fed: Federation
    campaign: Campaign


def make_campaign(fed: Federation, **overrides: Any) -> Campaign:
    fields: dict[str, Any] = {
        "code": "TET2026",
        "name": "Tết Sum vầy 2026",
        "kind": "tet_gift",
        "owner": fed.hn,
        "starts_on": dt.date(2026, 1, 1),
        "ends_on": dt.date(2026, 2, 28),
        "cap_per_person": 1_000_000,
        "allows_non_members": True,
        "approval_levels": 1,
        "funding": [services.Funding("union", 10_000_000)],
    }
    fields.update(overrides)
    return services.campaign_create(actor=None, **fields)


@pytest.fixture
def care(fed: Federation) -> CareSetup:
    campaign = make_campaign(fed)
    services.allocation_set(actor=None, campaign=campaign, unit=fed.kl, people=3, amount=1_500_000)
    services.allocation_set(actor=None, campaign=campaign, unit=fed.gl2, people=2, amount=1_000_000)
    return CareSetup(fed, campaign)


def propose(setup: CareSetup, unit: Any, n: int, amount: int = 500_000, actor: Any = None, **kw: Any) -> Any:
    given = services.CaseInput(
        unit=unit,
        amount=amount,
        cccd=kw.pop("cccd", cccd(n)),
        full_name=kw.pop("full_name", f"Nguyễn Văn {chr(65 + n % 26)}"),
        proposed_on=kw.pop("proposed_on", dt.date(2026, 1, 10)),
        **kw,
    )
    return services.case_propose(actor=actor, campaign=setup.campaign, given=given)
