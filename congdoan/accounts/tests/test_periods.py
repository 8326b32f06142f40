"""One period rule (issue 12): the reporting year pages open on, and the choice kept while navigating."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from congdoan.accounts.models import User
from congdoan.accounts.periods import SESSION_KEY, default_year, year_choices
from congdoan.conftest import Federation
from congdoan.core.periods import current_reporting_year


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (dt.date(2026, 1, 5), 2025),
        (dt.date(2026, 3, 31), 2025),
        (dt.date(2026, 4, 1), 2026),
        (dt.date(2026, 12, 4), 2026),
    ],
)
def test_reporting_year_closes_on_31_march(day: dt.date, year: int) -> None:
    assert current_reporting_year(day) == year


def test_reporting_year_closing_day_is_a_setting(settings) -> None:  # type: ignore[no-untyped-def]
    settings.REPORTING_YEAR_CLOSES = "12-31"
    assert current_reporting_year(dt.date(2026, 12, 4)) == 2025
    settings.REPORTING_YEAR_CLOSES = "01-01"
    assert current_reporting_year(dt.date(2026, 1, 2)) == 2026
    settings.REPORTING_YEAR_CLOSES = "nonsense"  # a bad setting falls back to 31 March
    assert current_reporting_year(dt.date(2026, 2, 1)) == 2025


def test_default_year_of_a_read_only_user_is_that_of_its_last_day(fed: Federation) -> None:
    today = timezone.localdate()
    assert default_year(fed.thanhpho) == current_reporting_year(today)
    assert default_year(fed.gialam) == current_reporting_year(dt.date(2025, 6, 29))


def test_year_choices_always_hold_the_selected_year() -> None:
    this_year = timezone.localdate().year
    years = year_choices(2010, years=[2024])
    assert years == sorted(years, reverse=True)
    assert {2010, 2024, this_year, this_year - 1} <= set(years)


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_pages_agree_on_the_default_and_remember_the_choice(fed: Federation) -> None:
    client = _client(fed.thanhpho)
    default = default_year(fed.thanhpho)
    response = client.get("/bao-cao/HN/")
    assert response.context["period_code"] == str(default)
    response = client.get("/cum-thi-dua/")
    assert response.context["year"] == default
    # A year picked on the cluster list is the one the report and the indicators open on next.
    response = client.get("/cum-thi-dua/?nam=2024")
    assert response.context["year"] == 2024 and client.session[SESSION_KEY] == "2024"
    assert client.get("/bao-cao/HN/").context["period_code"] == "2024"
    assert client.get("/chi-tieu/").context["period"].code == "2024"
    assert client.get("/hoi-nghi/don-vi/").context["year"] == 2024
    # A half picked on the indicators is kept as is; pages of years show its year.
    client.get("/chi-tieu/?period=2025S1")
    assert client.get("/bao-cao/HN/").context["period_code"] == "2025S1"
    assert client.get("/cum-thi-dua/").context["year"] == 2025
    # A bad code is shown with its error, not remembered.
    client.get("/bao-cao/HN/?period=20x5")
    assert client.session[SESSION_KEY] == "2025S1"


def test_cluster_list_offers_a_year_switch_to_every_user(fed: Federation) -> None:
    for user in (fed.kimlien, fed.cdcs, fed.gialam):
        response = _client(user).get("/cum-thi-dua/")
        assert response.status_code == 200
        years = response.context["years"]
        assert len(years) >= 5 and response.context["year"] in years
        assert b'href="?nam=' in response.content
