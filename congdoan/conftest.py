"""Shared fixtures: a small dated federation built through the services, and users scoped to it.

HN  LĐLĐ thành phố Hà Nội (LDLD_TINH)
├── GL  LĐLĐ huyện Gia Lâm (LDLD_HUYEN), ended 30/06/2025 → its CĐCS pass to HN
│   ├── GL1  CĐCS Công ty May Gia Lâm   → moved to KL on 01/08/2025
│   └── GL2  CĐCS Trường THCS Đặng Xá   (stays directly under HN)
├── DD  LĐLĐ quận Đống Đa (LDLD_HUYEN), ended 30/06/2025 → its CĐCS pass to HN
│   └── DD1  CĐCS Bệnh viện Đống Đa      → moved to KL on 01/08/2025
└── KL  Công đoàn phường Kim Liên (CD_XA), founded 01/07/2025
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

from congdoan.accounts.models import Role, RoleAssignment, User
from congdoan.org import services
from congdoan.org.models import OrgUnit

PASSWORD = "Congdoan@2025"


@dataclass
class Federation:
    hn: OrgUnit
    gl: OrgUnit
    gl1: OrgUnit
    gl2: OrgUnit
    dd: OrgUnit
    dd1: OrgUnit
    kl: OrgUnit
    thanhpho: User
    gialam: User
    kimlien: User
    cdcs: User
    viewer: User
    admin: User


def make_user(username: str, unit: OrgUnit | None, role: str, superuser: bool = False) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, is_superuser=superuser, is_staff=superuser
    )
    if unit is not None:
        RoleAssignment.objects.create(user=user, unit=unit, role=role)
    return user


def build_federation() -> Federation:
    d = dt.date
    create = services.unit_create
    hn = create(
        actor=None,
        code="HN",
        name="LĐLĐ thành phố Hà Nội",
        type="LDLD_TINH",
        parent=None,
        valid_from=d(2000, 1, 1),
        founded_on=d(2000, 1, 1),
    )
    gl = create(
        actor=None,
        code="GL",
        name="LĐLĐ huyện Gia Lâm",
        type="LDLD_HUYEN",
        parent=hn,
        valid_from=d(2000, 1, 1),
        founded_on=d(2000, 1, 1),
    )
    dd = create(
        actor=None,
        code="DD",
        name="LĐLĐ quận Đống Đa",
        type="LDLD_HUYEN",
        parent=hn,
        valid_from=d(2000, 1, 1),
        founded_on=d(2000, 1, 1),
    )
    gl1 = create(
        actor=None,
        code="GL1",
        name="CĐCS Công ty May Gia Lâm",
        type="CDCS",
        parent=gl,
        sector="DN_NGOAI_NHA_NUOC",
        valid_from=d(2010, 3, 1),
        founded_on=d(2010, 3, 1),
    )
    gl2 = create(
        actor=None,
        code="GL2",
        name="CĐCS Trường THCS Đặng Xá",
        type="CDCS",
        parent=gl,
        sector="HCSN",
        valid_from=d(2012, 9, 1),
        founded_on=d(2012, 9, 1),
    )
    dd1 = create(
        actor=None,
        code="DD1",
        name="CĐCS Bệnh viện Đống Đa",
        type="CDCS",
        parent=dd,
        sector="HCSN",
        valid_from=d(2005, 1, 1),
        founded_on=d(2005, 1, 1),
    )
    services.unit_dissolve(actor=None, unit=gl, on=d(2025, 6, 30), children_to=hn)
    services.unit_dissolve(actor=None, unit=dd, on=d(2025, 6, 30), children_to=hn)
    kl = create(
        actor=None,
        code="KL",
        name="Công đoàn phường Kim Liên",
        type="CD_XA",
        parent=hn,
        valid_from=d(2025, 7, 1),
        founded_on=d(2025, 7, 1),
    )
    services.unit_move(actor=None, unit=gl1, new_parent=kl, on=d(2025, 8, 1))
    services.unit_move(actor=None, unit=dd1, new_parent=kl, on=d(2025, 8, 1))
    for unit in (gl, dd, gl1, gl2, dd1, kl, hn):
        unit.refresh_from_db()
    return Federation(
        hn=hn,
        gl=gl,
        gl1=gl1,
        gl2=gl2,
        dd=dd,
        dd1=dd1,
        kl=kl,
        thanhpho=make_user("thanhpho", hn, Role.FEDERATION_OFFICER),
        gialam=make_user("gialam", gl, Role.OFFICER),
        kimlien=make_user("kimlien", kl, Role.OFFICER),
        cdcs=make_user("cdcs", dd1, Role.CDCS_OFFICER),
        viewer=make_user("viewer", hn, Role.VIEWER),
        admin=make_user("admin", None, Role.ADMINISTRATOR, superuser=True),
    )


@pytest.fixture(autouse=True)
def _test_settings(settings) -> None:  # type: ignore[no-untyped-def]
    """Background tasks run at enqueue time (no worker process); passwords hash fast."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def fed(db: None) -> Federation:
    return build_federation()


# -- browser tests ---------------------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(os.environ.get("CONGDOAN_SCREENSHOTS", "/tmp/congdoan-screenshots"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",  # this machine's network is closed: no background calls
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def page() -> Iterator[Any]:
    """A Playwright page in Debian's headless Chromium (installed by `make test`, never downloaded).

    Without Chromium the browser tests skip on a developer machine but fail in CI."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is missing in CI (make system-deps installs it)")
        pytest.skip("Debian's chromium is not installed (/usr/bin/chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls here stay synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
        new_page = context.new_page()
        new_page.set_default_timeout(30_000)
        yield new_page
        context.close()
        browser.close()
        # While Playwright's loop runs, Django keeps this thread's connections in a separate (async)
        # slot: close them here, inside it, or PostgreSQL refuses to drop the test database at the end.
        connections.close_all()
    connections.close_all()
