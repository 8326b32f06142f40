"""The agreement form (issue 12): every error at once, employers as real checkboxes, the one CĐCS chosen."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from congdoan.bargaining.models import CollectiveAgreement

pytestmark = pytest.mark.django_db


def login(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_a_missing_employer_hides_no_other_error(emp) -> None:  # type: ignore[no-untyped-def]
    url = reverse("bargaining:agreement_create") + "?cdcs=GL1"
    form = {
        "kind": "new",
        "scope": "enterprise",
        "signed_on": "01/09/2025",
        "effective_on": "01/08/2025",  # before the signing day
        "expires_on": "31/08/2026",
        "approval_share": "40",
    }
    errors = login(emp.fed.kimlien).post(url, form).context["form"].errors
    assert errors["employers"] == ["Chưa chọn đơn vị sử dụng lao động."]
    assert any("trước ngày ký" in e for e in errors["effective_on"])
    assert errors["approval_share"]
    # A date that does not parse: the form's error, and still the service's checks of the rest.
    errors = login(emp.fed.kimlien).post(url, {**form, "effective_on": "", "signed_on": "32/13/2025"})
    found = errors.context["form"].errors
    assert {"signed_on", "employers"} <= set(found)
    assert CollectiveAgreement.objects.count() == 0


def test_employers_render_as_labelled_checkboxes(emp) -> None:  # type: ignore[no-untyped-def]
    page = login(emp.fed.kimlien).get(reverse("bargaining:agreement_create") + "?cdcs=GL1").content.decode()
    assert f'type="checkbox" name="employers" value="{emp.may1.pk}" class="form-check-input"' in page
    assert "<legend" in page and "Đơn vị sử dụng lao động" in page
    assert 'class="form-control" id="id_employers' not in page


def test_agreement_form_preselects_the_only_cdcs(emp) -> None:  # type: ignore[no-untyped-def]
    response = login(emp.fed.cdcs).get(reverse("bargaining:agreement_create"))
    assert response.status_code == 200 and response.context["cdcs"] == emp.fed.dd1
