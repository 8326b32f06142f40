"""Demo targets: 2024 chỉ tiêu handed to the district federations, through the services.

Each district gets a target near what it then achieved (between 80 % and 130 % of it), so the demo's
dashboards and cluster comparison show a realistic spread of "đạt x %".
"""

from __future__ import annotations

import random
from decimal import Decimal

from django.db import transaction

from congdoan.core.periods import parse_period
from congdoan.core.registry import DemoRun
from congdoan.org.models import OrgUnit, UnitType

from . import engine, services
from .models import Indicator, Target

DEMO_TARGETS = ("DV_KET_NAP", "CDCS_THANH_LAP", "TU_KY_MOI", "HN_NLD")


@transaction.atomic
def load_targets() -> int:
    """Targets for 2024; does nothing when any target exists."""
    if Target.objects.exists():
        return 0
    rng = random.Random(2024)
    period = parse_period("2024")
    districts = list(OrgUnit.objects.filter(type=UnitType.LDLD_HUYEN).order_by("code"))
    made = 0
    for indicator in Indicator.objects.filter(code__in=DEMO_TARGETS).order_by("code"):
        for unit in districts:
            value = engine.value_of(indicator=indicator, period=period, unit=unit).value or Decimal(0)
            target = max(1, round(value / Decimal(str(rng.uniform(0.8, 1.3)))))
            services.target_set(actor=None, unit=unit, indicator=indicator, period=period.code, value=target)
            made += 1
    return made


def demo_command_catalogue(run: DemoRun) -> int:
    """The shipped catalogue (a data migration) is back even after a test flush."""
    return services.load_standard_catalogue()
