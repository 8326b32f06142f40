"""The demo of the three field-work apps on the demo federation (small scale): every demo user sees
activities, the loaders load once, and the records obey the services' rules."""

from __future__ import annotations

import pytest
from django.db.models import F

from congdoan.accounts.models import User
from congdoan.activities import selectors as activity_selectors
from congdoan.activities.demo import load_activities
from congdoan.activities.models import Activity
from congdoan.disputes.demo import load_disputes
from congdoan.disputes.models import Dispute, SentimentNote
from congdoan.inspections import selectors as inspection_selectors
from congdoan.inspections.demo import load_inspections
from congdoan.inspections.models import Inspection
from congdoan.org.demo import load_demo

pytestmark = pytest.mark.django_db


def test_every_demo_user_sees_field_work_and_a_second_load_adds_nothing(db: None) -> None:
    load_demo(scale=0.05)
    assert load_activities()["activities"] > 0
    assert load_inspections()["inspections"] > 0
    counts = load_disputes()
    assert counts["notes"] > 0
    users = list(User.objects.filter(role_assignments__isnull=False).distinct())
    assert {"thanhpho", "kimlien", "gialam", "cdcs"} <= {u.username for u in users}
    for user in users:
        assert activity_selectors.activity_list(user=user).exists(), user.username
    for username in ("thanhpho", "kimlien"):
        assert inspection_selectors.inspection_list(user=User.objects.get(username=username)).exists()
    before = (
        Activity.objects.count(),
        Inspection.objects.count(),
        Dispute.objects.count(),
        SentimentNote.objects.count(),
    )
    assert load_activities() == {} and load_inspections() == {} and load_disputes() == {}
    after = (
        Activity.objects.count(),
        Inspection.objects.count(),
        Dispute.objects.count(),
        SentimentNote.objects.count(),
    )
    assert before == after
    assert not Activity.objects.filter(women__gt=F("participants")).exists()
