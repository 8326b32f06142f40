"""Two officers correcting the same agreement: the second save must not silently undo the first's."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from congdoan.bargaining import services
from congdoan.bargaining.models import CollectiveAgreement
from congdoan.core.concurrency import version_of

from .conftest import agree

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_stale_edit_form_is_refused(emp) -> None:
    fed = emp.fed
    agreement = agree(fed.gl1, [emp.may1], dt.date(2025, 9, 1))
    url = reverse("bargaining:agreement_edit", args=[agreement.pk])
    first, second = _client(fed.kimlien), _client(fed.thanhpho)

    def form(client: Client) -> dict[str, object]:
        page = client.get(url).content.decode()
        version = re.search(r'name="version" value="([^"]*)"', page)
        assert version, "the edit form carries the agreement's version"
        return {
            "kind": "new",
            "scope": "enterprise",
            "employers": [emp.may1.pk],
            "signed_on": "01/09/2025",
            "expires_on": "31/08/2027",
            "approval_share": "80",
            "version": html.unescape(version.group(1)),
        }

    form_1, form_2 = form(first), form(second)
    assert first.post(url, {**form_1, "grade": "A"}).status_code == 302
    refused = second.post(url, {**form_2, "notes": "Bổ sung phụ lục"})
    assert refused.status_code == 200
    assert "Thỏa ước đã được người khác sửa lúc" in html.unescape(refused.content.decode())
    agreement.refresh_from_db()
    assert (agreement.grade, agreement.notes) == ("A", "")
    assert second.post(url, {**form(second), "grade": "A", "notes": "Bổ sung phụ lục"}).status_code == 302
    agreement.refresh_from_db()
    assert (agreement.grade, agreement.notes) == ("A", "Bổ sung phụ lục")


def test_service_refuses_a_stale_version(emp) -> None:
    agreement = agree(emp.fed.gl1, [emp.may1], dt.date(2025, 9, 1))
    shown = version_of(agreement)
    services.agreement_update(actor=None, agreement=agreement, expected_version=shown, grade="B")
    with pytest.raises(ValidationError, match="Thỏa ước đã được người khác sửa lúc"):
        services.agreement_update(actor=None, agreement=agreement, expected_version=shown, grade="C")
    assert CollectiveAgreement.objects.get(pk=agreement.pk).grade == "B"
