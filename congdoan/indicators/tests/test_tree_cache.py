"""A big tree is kept in the process under the org tree's version (``engine._tree``, PostgreSQL): every
change of a unit or link — committed or rolled back — gives a version never seen before, so a kept tree
(and the units it shows) is never taken for another."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction

from congdoan.conftest import Federation
from congdoan.core.periods import parse_period
from congdoan.indicators import engine
from congdoan.indicators.models import Indicator
from congdoan.org import services as org_services
from congdoan.org import tree
from congdoan.org.models import OrgLink, OrgUnit

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps no tree (no version)"),
]
d = dt.date


class Undo(Exception):
    pass


def test_version_changes_with_every_link_change_and_is_never_given_twice(fed: Federation) -> None:
    seen = {tree.version()}
    org_services.unit_move(actor=None, unit=fed.gl2, new_parent=fed.kl, on=d(2026, 1, 1))
    assert tree.version() not in seen
    seen.add(tree.version())
    with pytest.raises(Undo), transaction.atomic():
        OrgLink.objects.filter(child=fed.gl2).update(reason="thử")
        inside = tree.version()
        assert inside not in seen
        raise Undo
    assert tree.version() in seen  # rolled back: the version before it
    OrgLink.objects.filter(child=fed.gl2).update(reason="đổi")
    assert tree.version() not in seen | {inside}  # the number given inside the rollback is not reused


def test_a_kept_tree_follows_every_change_of_the_links(fed: Federation, monkeypatch) -> None:
    monkeypatch.setattr(engine, "_BIG_TREE", 0)  # every tree is kept
    monkeypatch.setattr(engine, "_TREES", tree.KeptByVersion(4))
    indicator = Indicator.objects.get(code="CDCS_TONG")
    period = parse_period("2026")

    def table() -> dict[str, object]:
        column = engine.rollup(indicator=indicator, period=period, root=fed.hn, depth=None)
        return {f.unit.code: f.value for f in column}

    before = table()
    assert engine._TREES and table() == before  # read again from the kept tree
    assert before["KL"] == 2

    with pytest.raises(Undo), transaction.atomic():  # a move seen inside its transaction, then undone
        org_services.unit_move(actor=None, unit=fed.gl2, new_parent=fed.kl, on=d(2026, 1, 1))
        assert table()["KL"] == 3
        raise Undo
    assert table() == before

    org_services.unit_move(actor=None, unit=fed.gl2, new_parent=fed.kl, on=d(2026, 1, 1))
    after = table()
    assert after["KL"] == 3 and after["HN"] == before["HN"]
    assert len(engine._TREES) <= engine._TREES.size

    OrgUnit.objects.filter(pk=fed.kl.pk).update(name="Công đoàn phường Kim Liên (mới)")  # a unit's change
    column = engine.rollup(indicator=indicator, period=period, root=fed.hn, depth=None)
    assert {f.unit.code: f.unit.name for f in column}["KL"] == "Công đoàn phường Kim Liên (mới)"


def test_tables_from_one_kept_tree_keep_their_own_reading(fed: Federation, monkeypatch) -> None:
    monkeypatch.setattr(engine, "_BIG_TREE", 0)
    monkeypatch.setattr(engine, "_TREES", tree.KeptByVersion(4))
    start, end = d(2026, 1, 1), d(2026, 12, 31)
    first = engine._tree([fed.hn], start, end, limit=1)
    first.kept.add(1)
    second = engine._tree([fed.hn], start, end, limit=1)
    assert second is not first and second.kept == set() and second.kept_at is None
    assert second.anchors is first.anchors  # what is derived from the units is shared
