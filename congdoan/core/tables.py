"""django-tables2, made cheaper per cell.

``django_tables2.utils.call_with_appropriate`` asks ``inspect.signature`` of a column's ``render_*``
method (or ``linkify``/``attrs`` callable) for **every cell**: 5,280 signatures for a page of 100
members, ~1.9 ms per row (a third of the member list's time at 100 rows, issue 18). A function's
signature never changes, so ``cached_signatures`` answers from a cache keyed by the function
(the underlying function of a bound method, whose ``self`` is dropped either way).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

_SIGNATURES: dict[tuple[Any, bool], tuple[tuple[str, ...], str | None]] = {}
_MAX = 4096


def cached_signatures() -> None:
    """Install the cache in ``django_tables2.utils`` (idempotent; called by ``CoreConfig.ready``)."""
    from django_tables2 import utils

    if getattr(utils.signature, "congdoan_cached", False):
        return
    uncached: Callable[[Any], tuple[tuple[str, ...], str | None]] = utils.signature

    @functools.wraps(uncached)
    def signature(fn: Any) -> tuple[tuple[str, ...], str | None]:
        key = (getattr(fn, "__func__", fn), hasattr(fn, "__self__"))
        try:
            return _SIGNATURES[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable callable: not cached
            return uncached(fn)
        found = uncached(fn)
        if len(_SIGNATURES) < _MAX:
            _SIGNATURES[key] = found
        return found

    signature.congdoan_cached = True  # type: ignore[attr-defined]
    utils.signature = signature
