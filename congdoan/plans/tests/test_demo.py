"""The demo's key tasks and recommendations (``congdoan demo``, orders 62 and 63): every demo user sees
some, Kim Liên has the issue's 19/21, and a second load changes nothing."""

from __future__ import annotations

import pytest

from congdoan.accounts.models import User
from congdoan.org.demo import KIMLIEN_CODE, load_demo
from congdoan.org.models import OrgUnit
from congdoan.plans import selectors as plan_selectors
from congdoan.plans.demo import load_plans
from congdoan.plans.models import KeyTask, TaskStatus
from congdoan.recommendations import selectors as rec_selectors
from congdoan.recommendations.demo import load_recommendations
from congdoan.recommendations.models import Recommendation

pytestmark = pytest.mark.django_db


def test_every_demo_user_sees_tasks_and_recommendations_and_a_second_load_changes_nothing(db) -> None:  # type: ignore[no-untyped-def]
    load_demo(scale=0.05)
    plans, recs = load_plans(), load_recommendations()
    assert plans["tasks"] == KeyTask.objects.count() > 21
    assert recs["recommendations"] == Recommendation.objects.count() > 0 and recs["answered"] > 0
    kimlien = OrgUnit.objects.get(code=KIMLIEN_CODE)
    handed = KeyTask.objects.filter(unit=kimlien, assigned_by__code="HN")
    assert handed.count() == 21 and handed.filter(status=TaskStatus.DONE).count() == 19
    for username in ("thanhpho", "kimlien", "cdcs", "gialam", "admin"):
        user = User.objects.get(username=username)
        assert plan_selectors.task_list(user=user).exists(), username
        assert rec_selectors.rec_list(user=user).exists(), username
    assert load_plans() == {} and load_recommendations() == {}
