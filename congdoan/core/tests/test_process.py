"""A serving process (``congdoan.wsgi``, ``congdoan.asgi``) is settled before its first request: its
views are imported and its start-up objects frozen out of the cyclic collector's walks.

Run in a fresh interpreter: freezing the test process itself would change what other tests see.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

PROBE = """
import gc, sys
import {module}
frozen = gc.get_freeze_count()
print(frozen, "congdoan.members.views" in sys.modules, len(gc.get_objects()) < frozen)
"""


def _run(code: str) -> list[str]:
    """What ``code`` prints in a fresh interpreter with the project's settings, split into words."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "congdoan.settings"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return done.stdout.split()


@pytest.mark.parametrize("module", ["congdoan.wsgi", "congdoan.asgi"])
def test_serving_process_imports_its_views_and_freezes_its_start_up_objects(module: str) -> None:
    out = _run(PROBE.format(module=module))
    frozen, views_loaded, mostly_frozen = int(out[0]), out[1] == "True", out[2] == "True"
    assert views_loaded
    assert frozen > 10_000  # Django, the apps and the URLconf
    assert mostly_frozen  # what the collector still walks is less than what it no longer does


def test_a_plain_django_process_is_not_frozen() -> None:
    """The probe tells the difference: ``django.setup()`` alone freezes nothing."""
    assert _run("import django, gc; django.setup(); print(gc.get_freeze_count())") == ["0"]
