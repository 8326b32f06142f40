"""The conference detail and edit pages (issue 12): linked from the list, audited, scoped."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from congdoan.conferences import services
from congdoan.conferences.models import Conference
from congdoan.core.models import AuditEntry

pytestmark = pytest.mark.django_db
d = dt.date


def login(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def held(fed) -> Conference:  # type: ignore[no-untyped-def]
    return services.conference_create(
        actor=None, unit=fed.gl1, kind="workers", held_on=d(2025, 3, 10), employee_side=120
    )


def test_list_links_to_detail_and_detail_to_edit(fed, held) -> None:  # type: ignore[no-untyped-def]
    client = login(fed.kimlien)
    listing = client.get("/hoi-nghi/?year=2025").content.decode()
    assert f'href="/hoi-nghi/{held.pk}/"' in listing
    page = client.get(f"/hoi-nghi/{held.pk}/").content.decode()
    assert "Hội nghị người lao động" in page and "10/03/2025" in page and "120 người" in page
    assert f'href="/hoi-nghi/{held.pk}/sua/"' in page
    # Read-only and out-of-scope users: no edit link; the edit page is 404 with its reason.
    gialam = login(fed.gialam)
    assert f"/hoi-nghi/{held.pk}/sua/" not in gialam.get(f"/hoi-nghi/{held.pk}/").content.decode()
    response = gialam.get(f"/hoi-nghi/{held.pk}/sua/")
    assert response.status_code == 404 and "đã chấm dứt hoạt động" in response.content.decode()
    assert login(fed.cdcs).get(f"/hoi-nghi/{held.pk}/").status_code == 404


def test_edit_corrects_and_audits(fed, held) -> None:  # type: ignore[no-untyped-def]
    client = login(fed.kimlien)
    form = client.get(f"/hoi-nghi/{held.pk}/sua/")
    assert form.status_code == 200 and form.context["form"].initial["employee_side"] == 120
    data = {
        "kind": "workers",
        "held_on": "12/03/2025",
        "employer_side": "4",
        "employee_side": "135",
        "notes": "",
    }
    response = client.post(f"/hoi-nghi/{held.pk}/sua/", data)
    assert response.status_code == 302 and response["Location"] == f"/hoi-nghi/{held.pk}/"
    held.refresh_from_db()
    assert (held.held_on, held.employee_side, held.year) == (d(2025, 3, 12), 135, 2025)
    entry = AuditEntry.objects.filter(object_type="conferences.conference", action="update").latest("id")
    assert entry.before["employee_side"] == 120 and entry.after["employee_side"] == 135
    page = client.get(f"/hoi-nghi/{held.pk}/").content.decode()
    assert "Số người phía người lao động" in page and "135" in page


def test_edit_reports_every_error_and_changes_nothing(fed, held) -> None:  # type: ignore[no-untyped-def]
    client = login(fed.kimlien)
    data = {"kind": "dialogue_periodic", "held_on": "01/01/2099", "employer_side": "1", "employee_side": "1"}
    response = client.post(f"/hoi-nghi/{held.pk}/sua/", data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "held_on" in errors and "employee_side" in errors
    held.refresh_from_db()
    assert held.held_on == d(2025, 3, 10) and held.kind == "workers"


def test_edit_page_is_a_write(fed, held) -> None:  # type: ignore[no-untyped-def]
    assert login(fed.viewer).post(f"/hoi-nghi/{held.pk}/sua/", {}).status_code == 404
