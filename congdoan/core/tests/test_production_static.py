"""The README's production steps: `collectstatic` with whitenoise's compressed manifest storage, then
pages served with DEBUG off reference hashed static files that whitenoise serves.

A vendored file that points at a file we do not ship (a source map, a font) makes `collectstatic`
stop with MissingFileError, and then every page is a 500 in production.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage

from congdoan.conftest import Federation

pytestmark = pytest.mark.django_db

STATIC_URL_IN_PAGE = re.compile(r"""(?:href|src)="(/static/[^"]+)\"""")
VENDORED = [
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "vendor/bootstrap-icons/bootstrap-icons.min.css",
    "vendor/htmx/htmx.min.js",
    "vendor/chartjs/chart.umd.min.js",
]


class GzipOnlyManifestStorage(CompressedManifestStaticFilesStorage):
    """Production's storage, compressing with gzip only: brotli at its highest quality takes minutes
    on the API docs bundles on a busy machine, and the manifest step is the one that can break."""

    def create_compressor(self, **kwargs: object) -> Compressor:
        return Compressor(**{**kwargs, "use_brotli": False})  # type: ignore[arg-type]


@pytest.fixture
def production_static(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """Static files collected as in production (DEBUG off, whitenoise manifest) into a temp dir."""
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": f"{__name__}.GzipOnlyManifestStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    return settings.STATIC_ROOT


def _static_urls(html: str) -> list[str]:
    return STATIC_URL_IN_PAGE.findall(html)


def test_production_static_files_and_pages_work_with_debug_off(
    production_static: Path, fed: Federation
) -> None:
    for name in VENDORED:
        url = staticfiles_storage.url(name)
        # Hashed name (cacheable forever) and the compressed copy whitenoise serves.
        assert re.search(r"\.[0-9a-f]{12}\.(css|js)$", url), url
        hashed = production_static / url.removeprefix("/static/")
        assert hashed.exists() and Path(f"{hashed}.gz").exists()

    client = Client()
    login = client.get(reverse("login"))
    assert login.status_code == 200
    client.force_login(fed.kimlien)
    home = client.get(reverse("org:home"))
    assert home.status_code == 200
    urls = set(_static_urls(login.content.decode()) + _static_urls(home.content.decode()))
    assert any("bootstrap.min." in url for url in urls)
    for url in sorted(urls):
        assert re.search(r"\.[0-9a-f]{12}\.\w+$", url), f"{url} is not a hashed name"
        response = Client().get(url)  # served by whitenoise from the collected files
        assert response.status_code == 200, url
        response.close()
    # The icon font the icon stylesheet points at is collected and served too.
    css = (production_static / staticfiles_storage.url(VENDORED[2]).removeprefix("/static/")).read_text()
    font_urls = re.findall(r'url\("([^"]+)"\)', css)
    assert font_urls and all("woff2" in url for url in font_urls)
    for font in font_urls:
        font_path = (production_static / "vendor/bootstrap-icons" / font.split("?")[0]).resolve()
        assert font_path.exists(), font
