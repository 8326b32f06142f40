"""``tree.subtree_id_list``: a subtree kept in the process under the org version (PostgreSQL) is never
taken for another — after a move, inside a transaction that rolls back, and after it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction

from congdoan.conftest import Federation
from congdoan.org import services, tree

pytestmark = pytest.mark.django_db
d = dt.date


class Undo(Exception):
    pass


def test_the_kept_subtree_follows_every_move(fed: Federation, monkeypatch) -> None:
    monkeypatch.setattr(tree, "SUBTREES", tree.KeptByVersion(256))
    on = d(2026, 6, 1)
    before = set(tree.subtree_id_list(fed.kl.pk, on))
    assert before == tree.subtree_ids(fed.kl.pk, on) and fed.gl2.pk not in before
    if connection.vendor == "postgresql":
        assert len(tree.SUBTREES)  # kept

    with pytest.raises(Undo), transaction.atomic():
        services.unit_move(actor=None, unit=fed.gl2, new_parent=fed.kl, on=d(2026, 1, 1))
        assert fed.gl2.pk in tree.subtree_id_list(fed.kl.pk, on)
        raise Undo
    assert set(tree.subtree_id_list(fed.kl.pk, on)) == before

    services.unit_move(actor=None, unit=fed.gl2, new_parent=fed.kl, on=d(2026, 1, 1))
    assert set(tree.subtree_id_list(fed.kl.pk, on)) == before | {fed.gl2.pk}
    assert len(tree.SUBTREES) <= tree.SUBTREES.size
