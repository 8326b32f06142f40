"""The emulation demo: cluster no. 3 of 2024 with sheets at every stage, a closed vote and awards."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management.color import no_style

from congdoan.core.registry import DemoRun
from congdoan.emulation.demo import CLUSTER, demo_command_emulation
from congdoan.emulation.models import AwardProposal, ScoreSheet, Vote
from congdoan.emulation.selectors import cluster_ranking
from congdoan.org.demo import load_demo
from congdoan.org.models import EmulationCluster

pytestmark = pytest.mark.django_db


def test_demo_cluster_three(db: None) -> None:
    load_demo(scale=0.05)
    run = DemoRun(options={}, stdout=StringIO(), style=no_style())
    result = demo_command_emulation(run)
    assert result["sheets"] == 6
    cluster = EmulationCluster.objects.get(name=CLUSTER, year=2024)
    states = set(
        ScoreSheet.objects.filter(unit__in=cluster.members.all(), year=2024).values_list("state", flat=True)
    )
    assert states == {"draft", "self_scored", "appraised", "locked", "published"}
    vote = Vote.objects.get(cluster=cluster)
    assert vote.state == "closed" and vote.next_leader is not None
    ranking = cluster_ranking(cluster)
    assert ranking[0].unit == vote.next_leader and len(ranking) == 6
    assert AwardProposal.objects.filter(state="awarded").count() == 2
    assert demo_command_emulation(run) == {}  # loads once
