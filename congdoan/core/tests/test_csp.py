"""Content-Security-Policy: scripts from our own files or with the request's nonce, nothing inline."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from congdoan.conftest import Federation

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
INLINE_HANDLER = re.compile(r"""<[^>]*\son[a-z]+\s*=""", re.IGNORECASE)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>")


@pytest.mark.django_db
def test_pages_carry_a_policy_and_inline_scripts_its_nonce(fed: Federation) -> None:
    client = Client()
    login = client.get(reverse("login"))
    assert "script-src 'self' 'nonce-" in login["Content-Security-Policy"]
    client.force_login(fed.thanhpho)
    page = client.get(reverse("org:tree"))  # has an inline script
    policy = page["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)  # type: ignore[union-attr]
    assert "unsafe-inline" not in policy.split("script-src", 1)[1].split(";", 1)[0]
    inline = [
        attrs
        for attrs in SCRIPT_TAG.findall(page.content.decode())
        if "src=" not in attrs and "application/json" not in attrs
    ]
    assert inline and all(f'nonce="{nonce}"' in attrs for attrs in inline)
    # A fresh nonce on every response.
    assert client.get(reverse("org:tree"))["Content-Security-Policy"] != policy


def test_no_template_has_an_inline_event_handler() -> None:
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if INLINE_HANDLER.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
