"""Capped counts for searches: the member list page and ``/api/v1/members/`` show the exact number of
matches up to ``SEARCH_COUNT_CAP`` and "more than" above it.

Counting every match of a common name ("hương": 18,000 at 1M members) took 0.4–1.5 s on PostgreSQL;
counting to the cap reads at most ``SEARCH_COUNT_CAP + 1`` rows. The list page without a search counts
to ``LIST_COUNT_CAP``: exact for a district (50,000 members, ~50 ms), "more than 100,000" for a city,
whose exact count of 1,000,000 took ~100–125 ms of a ~150 ms page (the API's plain list stays exact).
"""

from __future__ import annotations

from functools import cached_property, partial
from typing import Any, cast

from django.core.paginator import Paginator
from django.db.models import QuerySet
from rest_framework.response import Response

from congdoan.core.pagination import PageNumberPagination

from . import selectors

SEARCH_COUNT_CAP = 1000
# The list page without a search: counting 100,001 memberships of a city takes ~20 ms (1,000,000: ~100 ms).
LIST_COUNT_CAP = 100_000


def capped_count(qs: QuerySet[Any], cap: int | None = None) -> tuple[int, bool]:
    """``(n, more)``: the number of rows of ``qs`` up to ``cap`` (default ``SEARCH_COUNT_CAP``), and
    whether there are more than ``cap`` (then ``n == cap``). A name search from ``membership_list``
    that read its matches to choose its plan is counted from them (``selectors.matches_seen``); a digit
    search's first people are counted first (``selectors.count_head``)."""
    cap = SEARCH_COUNT_CAP if cap is None else cap
    seen = selectors.matches_seen(qs)  # a name search read its matches already: no query
    if seen is not None and (seen[0] > cap or seen[1]):
        return (cap, True) if seen[0] > cap else (seen[0], False)
    head = selectors.count_head(qs)  # a part of the matches that may pass the cap alone, faster
    if head is not None and head.order_by()[: cap + 1].count() > cap:
        return cap, True
    n = qs.order_by()[: cap + 1].count()
    return (cap, True) if n > cap else (n, False)


class CappedPaginator(Paginator):
    """A paginator whose ``count`` stops at ``cap``: ``count_is_lower_bound`` tells when there are
    more rows (pages then go up to the cap). ``count_source``: the queryset to count, if another
    form of the same rows counts faster (``membership_list(for_count=True)``)."""

    def __init__(
        self,
        object_list: Any,
        per_page: int,
        orphans: int = 0,
        allow_empty_first_page: bool = True,
        *,
        cap: int | None = None,
        count_source: QuerySet[Any] | None = None,
    ) -> None:
        super().__init__(object_list, per_page, orphans, allow_empty_first_page)
        self.cap = SEARCH_COUNT_CAP if cap is None else cap
        self.count_source = count_source
        self.count_is_lower_bound = False

    @cached_property
    def count(self) -> int:
        source = self.object_list if self.count_source is None else self.count_source
        n, self.count_is_lower_bound = capped_count(cast(QuerySet[Any], source), self.cap)
        return n


class MemberSearchPagination(PageNumberPagination):
    """``PageNumberPagination`` whose ``count`` is capped at ``SEARCH_COUNT_CAP`` when the request
    searches (``?search=``): then the answer also has ``count_is_lower_bound`` — ``true`` when there
    are more matches than ``count`` (pages stop there: narrow the search). Without a search the count
    is exact and ``count_is_lower_bound`` is ``false``. The view may give a faster queryset to count
    (``get_count_queryset``)."""

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        paginator: Any = Paginator
        if request.query_params.get("search", "").strip():
            count_queryset = getattr(view, "get_count_queryset", None)
            source = None
            # A name search that read its matches counts as listed (``capped_count``): no second search.
            if count_queryset is not None and selectors.matches_seen(queryset) is None:
                source = count_queryset()
            paginator = partial(CappedPaginator, count_source=source)
        self.django_paginator_class = paginator
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        paginator = self.page.paginator if self.page is not None else None
        response.data["count_is_lower_bound"] = bool(getattr(paginator, "count_is_lower_bound", False))
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count_is_lower_bound"] = {
            "type": "boolean",
            "description": (
                f"true: there are more than `count` matches (a search counts to {SEARCH_COUNT_CAP:,}"
                " only; pages stop there)"
            ),
            "example": False,
        }
        return response
