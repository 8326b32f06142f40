"""What a serving process does once, after Django is set up and before its first request.

``settle()`` loads the URLconf (which imports every view, form and table) and then freezes what is
alive (``gc.freeze``): Python's cyclic collector no longer walks Django's ~200,000 start-up objects.
Without it, every few dozen requests a full collection walked them all, ~80 ms inside one request —
the slowest 5 % of member searches in the bench (issue 18; ``bench/members_search_bench.py`` sets up
its process the same way). With ``gunicorn --preload`` the frozen objects are also left unwritten, so
the forked workers keep sharing their memory pages.
"""

from __future__ import annotations

import gc

from django.urls import get_resolver


def settle() -> None:
    get_resolver().url_patterns  # noqa: B018 — imports the views, as a first request would
    gc.collect()
    gc.freeze()
