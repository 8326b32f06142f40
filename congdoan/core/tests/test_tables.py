"""django-tables2 signatures are read once per function (``core.tables``), with the same answer."""

from __future__ import annotations

from typing import Any

from django_tables2 import utils

from congdoan.core.tables import cached_signatures


class Renders:
    def render_x(self, value: Any, record: Any) -> str:
        return f"{value}{record}"

    def render_any(self, **kwargs: Any) -> str:
        return ""


def test_signatures_are_cached_and_unchanged() -> None:
    cached_signatures()  # installed by CoreConfig.ready; a second call changes nothing
    assert getattr(utils.signature, "congdoan_cached", False)
    a, b = Renders(), Renders()
    first = utils.signature(a.render_x)
    assert first == (("value", "record"), None)
    assert utils.signature(b.render_x) is first  # the same function: from the cache
    assert utils.signature(a.render_any) == ((), "kwargs")
    assert utils.signature(Renders.render_x) == (("self", "value", "record"), None)  # unbound: self kept

    def plain(record: Any, table: Any = None) -> None: ...

    assert utils.call_with_appropriate(lambda value: value * 2, {"value": 3, "record": None}) == 6
    assert utils.signature(plain) == (("record", "table"), None)
