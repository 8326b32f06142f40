"""The dated tree: "subtree of U as of D" against a brute-force reconstruction of the history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congdoan.org import services, tree
from congdoan.org.models import OrgLink, OrgUnit

START = dt.date(2000, 1, 1)


def brute_subtree(parent_on: dict[int, int | None], root: int) -> set[int]:
    found = {root}
    changed = True
    while changed:
        changed = False
        for child, parent in parent_on.items():
            if parent in found and child not in found:
                found.add(child)
                changed = True
    return found


def parents_from_history(history: list[tuple[dt.date, int, int]], initial: dict[int, int], day: dt.date):
    """Replay the accepted moves up to ``day`` (independent of how links are stored)."""
    parent = dict(initial)
    for when, child, new_parent in history:
        if when <= day:
            parent[child] = new_parent
    return parent


trees = st.integers(min_value=2, max_value=12).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(st.integers(min_value=0, max_value=n - 1), min_size=n - 1, max_size=n - 1),
        st.lists(
            st.tuples(
                st.integers(min_value=1, max_value=3000),  # day offset of the move
                st.integers(min_value=1, max_value=n - 1),  # unit moved
                st.integers(min_value=0, max_value=n - 1),  # new parent
            ),
            max_size=12,
        ),
        st.lists(st.integers(min_value=0, max_value=3500), min_size=1, max_size=5),
    )
)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=trees)
def test_subtree_as_of_matches_brute_force(case) -> None:
    """For random trees and dated moves, the CTE's subtree equals a replay of the accepted moves."""
    n, parent_picks, moves, query_offsets = case
    with transaction.atomic():
        # Units below the root nest freely: the property is about dates, not the charter's levels.
        units = [
            services.unit_create(actor=None, code="R", name="Gốc", type="TLD", parent=None, valid_from=START)
        ]
        initial: dict[int, int] = {}
        for i in range(1, n):
            parent = units[parent_picks[i - 1] % i]
            unit = OrgUnit.objects.create(code=f"U{i}", name=f"Đơn vị {i}", type="CDCS")
            OrgLink.objects.create(child=unit, parent=parent, valid_from=START)
            units.append(unit)
            initial[unit.pk] = parent.pk
        history: list[tuple[dt.date, int, int]] = []
        for offset, child_i, parent_i in sorted(moves):
            when = START + dt.timedelta(days=offset)
            child, new_parent = units[child_i], units[parent_i]
            try:
                with transaction.atomic():
                    _move_any_level(child, new_parent, when)
            except ValidationError:
                continue
            history.append((when, child.pk, new_parent.pk))
        for offset in query_offsets:
            day = START + dt.timedelta(days=offset)
            parent_on = parents_from_history(history, initial, day)
            for root in units:
                assert tree.subtree_ids(root.pk, day) == brute_subtree(parent_on, root.pk)
        transaction.set_rollback(True)


def _move_any_level(child: OrgUnit, new_parent: OrgUnit, when: dt.date) -> None:
    """unit_move without the charter-level rule (the property is about dates, not unit types)."""
    if new_parent.pk in tree.subtree_ids(child.pk, when):
        raise ValidationError("cycle")
    link = services.current_link(child, when)
    if link is not None and link.parent_id == new_parent.pk:
        raise ValidationError("same parent")
    services._relink(child, new_parent, when, "test")


@pytest.mark.django_db
def test_ever_in_subtree_needs_overlapping_links(fed) -> None:
    """A CĐCS that joined Kim Liên after Gia Lâm ended is Gia Lâm's history, not its present."""
    gl_ever = set(
        OrgUnit.objects.filter(id__in=tree.ever_in_subtree(fed.gl.pk, None, None)).values_list(
            "code", flat=True
        )
    )
    assert gl_ever == {"GL", "GL1", "GL2"}
    kl_ever = set(
        OrgUnit.objects.filter(id__in=tree.ever_in_subtree(fed.kl.pk, None, None)).values_list(
            "code", flat=True
        )
    )
    assert kl_ever == {"KL", "GL1", "DD1"}
    # Kim Liên's window before it existed holds nothing but itself.
    kl_before = set(
        OrgUnit.objects.filter(id__in=tree.ever_in_subtree(fed.kl.pk, None, dt.date(2025, 7, 1))).values_list(
            "code", flat=True
        )
    )
    assert kl_before == {"KL"}


@pytest.mark.django_db
def test_tree_rows_and_ancestors(fed) -> None:
    rows = tree.tree_rows([fed.hn.pk], dt.date(2024, 12, 31))
    depth = {uid: d for uid, _, d in rows}
    assert depth[fed.hn.pk] == 0 and depth[fed.gl.pk] == 1 and depth[fed.gl1.pk] == 2
    assert fed.kl.pk not in depth
    assert tree.ancestor_ids(fed.gl1.pk, dt.date(2024, 12, 31)) == [fed.gl.pk, fed.hn.pk]
    assert tree.ancestor_ids(fed.gl1.pk, dt.date(2025, 7, 15)) == [fed.hn.pk]
    assert tree.ancestor_ids(fed.gl1.pk, dt.date(2025, 8, 1)) == [fed.kl.pk, fed.hn.pk]
