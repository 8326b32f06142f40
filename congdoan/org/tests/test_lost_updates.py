"""Two officers editing the same unit: the second save must not silently undo the first's."""

from __future__ import annotations

import html
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from congdoan.core.concurrency import version_of
from congdoan.core.models import AuditEntry
from congdoan.org import services
from congdoan.org.models import OrgUnit

pytestmark = pytest.mark.django_db
URL = reverse("org:unit_edit", args=["GL2"])


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form(client: Client) -> dict[str, str]:
    """The edit form as the browser would post it back (the visible fields and the hidden version)."""
    page = client.get(URL).content.decode()
    version = re.search(r'name="version" value="([^"]*)"', page)
    assert version, "the edit form carries the unit's version"
    return {
        "name": "CĐCS Trường THCS Đặng Xá",
        "type": "CDCS",
        "sector": "HCSN",
        "founded_on": "01/09/2012",
        "phone": "",
        "version": html.unescape(version.group(1)),
    }


def test_second_save_of_a_stale_form_is_refused_and_changes_nothing(fed) -> None:
    first, second = _client(fed.thanhpho), _client(fed.admin)
    form_1, form_2 = _form(first), _form(second)  # both open the page
    saved = first.post(URL, {**form_1, "name": "CĐCS Trường THCS Đặng Xá (mới)"})
    assert saved.status_code == 302
    refused = second.post(URL, {**form_2, "phone": "0243 876 5432"})
    assert refused.status_code == 200
    text = html.unescape(refused.content.decode())
    assert re.search(
        r"Đơn vị đã được người khác sửa lúc \d\d:\d\d ngày \d\d/\d\d/\d{4}; hãy tải lại trang", text
    )
    unit = OrgUnit.objects.get(code="GL2")
    assert unit.name == "CĐCS Trường THCS Đặng Xá (mới)" and unit.phone == ""  # the first change stays
    assert AuditEntry.objects.filter(object_id="GL2", action="update").count() == 1
    # After reloading, the second officer sees the new name and can save on top of it.
    again = _form(second)
    again["name"] = "CĐCS Trường THCS Đặng Xá (mới)"
    assert second.post(URL, {**again, "phone": "0243 876 5432"}).status_code == 302
    unit.refresh_from_db()
    assert (unit.name, unit.phone) == ("CĐCS Trường THCS Đặng Xá (mới)", "0243 876 5432")


def test_service_checks_the_version_inside_its_transaction(fed) -> None:
    unit = OrgUnit.objects.get(code="GL2")
    shown = version_of(unit)
    services.unit_update(actor=fed.thanhpho, unit=unit, expected_version=shown, address="Đặng Xá")
    stale = OrgUnit.objects.get(code="GL2")
    with pytest.raises(ValidationError, match="Đơn vị đã được người khác sửa lúc"):
        services.unit_update(actor=fed.admin, unit=stale, expected_version=shown, address="Gia Lâm")
    assert OrgUnit.objects.get(code="GL2").address == "Đặng Xá"
    # Callers without a form (CLI, imports) pass no version; a stale copy then still does not put
    # back fields it did not change, because the service works on the locked, current row.
    stale.address = "bản cũ"
    services.unit_update(actor=None, unit=stale, phone="0243 000 000")
    unit.refresh_from_db()
    assert (unit.address, unit.phone) == ("Đặng Xá", "0243 000 000")
