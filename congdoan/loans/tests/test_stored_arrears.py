"""The stored arrears: every loan's days past due recomputed as of a day in the background (a run with
its progress, the CLI, the worker's recovery), kept by later movements, and read by the loan list."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from congdoan.accounts.scope import OutOfScope
from congdoan.loans import selectors, services
from congdoan.loans.models import ArrearsRun, Loan

from .conftest import Book, disbursed_project

d = dt.date
LATE_DAY = d(2026, 3, 22)  # nothing repaid since 05/01: every loan 45 days past due


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def stored() -> dict[int, tuple[dt.date | None, int, int]]:
    return {
        pk: (on, days, left)
        for pk, on, days, left in Loan.objects.values_list(
            "pk", "arrears_on", "days_past_due", "outstanding_on"
        )
    }


def test_a_run_stores_every_loans_arrears_chunk_by_chunk(book: Book, monkeypatch: pytest.MonkeyPatch) -> None:
    project = disbursed_project(book)
    loans = list(project.loans.order_by("id"))
    services.repayment_post(
        actor=book.fed.kimlien,
        loan=loans[0],
        amount=loans[0].instalments.get(number=1).total,
        paid_on=d(2026, 2, 5),
    )  # on time for February: 17 days late on 22/03 (the March instalment, due 05/03)
    monkeypatch.setattr(services, "ARREARS_CHUNK", 2)  # 5 loans: three chunks
    seen: list[tuple[int, int]] = []
    run = services.arrears_recompute_request(
        actor=book.fed.thanhpho,
        on=LATE_DAY,
        background=False,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen == [(2, 5), (4, 5), (5, 5)]
    assert run.status == ArrearsRun.Status.DONE and (run.done, run.total, run.late) == (5, 5, 5)
    assert run.progress == 100 and not run.in_progress
    expected = {r.loan_id: r for r in selectors.arrears(Loan.objects.all(), LATE_DAY)}
    for pk, (on, days, left) in stored().items():
        assert on == LATE_DAY and (days, left) == (expected[pk].days, expected[pk].outstanding)
    assert stored()[loans[0].pk][1] == 17 and stored()[loans[1].pk][1] == 45


def test_the_background_task_runs_through_the_queue(book: Book) -> None:
    """Queued for the worker (here the immediate backend runs it at once), with the task's id kept."""
    disbursed_project(book)
    run = services.arrears_recompute_request(actor=book.fed.thanhpho, on=LATE_DAY)
    assert run.task_id and run.status == ArrearsRun.Status.DONE and run.late == 5
    assert set(Loan.objects.values_list("days_past_due", flat=True)) == {45}


def test_bad_requests_are_refused_and_nothing_is_stored(book: Book) -> None:
    disbursed_project(book)
    with pytest.raises(ValidationError) as exc:
        services.arrears_recompute_request(actor=None, on=timezone.localdate() + dt.timedelta(days=1))
    assert "ở tương lai" in " ".join(exc.value.messages)
    with pytest.raises(OutOfScope):  # a district officer does not own the city fund
        services.arrears_recompute_request(actor=book.fed.kimlien, on=LATE_DAY)
    ArrearsRun.objects.create(on=LATE_DAY, status=ArrearsRun.Status.RUNNING, total=5)
    with pytest.raises(ValidationError) as exc:
        services.arrears_recompute_request(actor=None, on=LATE_DAY)
    assert "chưa xong" in " ".join(exc.value.messages)
    assert ArrearsRun.objects.count() == 1
    assert all(on is None for on, _, _ in stored().values())


def test_a_failure_is_recorded_on_the_run(book: Book, monkeypatch: pytest.MonkeyPatch) -> None:
    disbursed_project(book)

    def broken(ids: list[int], on: dt.date) -> int:
        raise RuntimeError("mất kết nối")

    monkeypatch.setattr(services, "arrears_store", broken)
    run = services.arrears_recompute_request(actor=None, on=LATE_DAY, background=False)
    assert run.status == ArrearsRun.Status.FAILED and "mất kết nối" in run.error
    with pytest.raises(CommandError):  # the next request is accepted: the failed run is over
        call_command("loans", "recompute-arrears", "--on", "2026-03-22", stdout=StringIO())


def test_movements_dated_up_to_the_stored_day_keep_the_stored_figures(book: Book) -> None:
    loans = list(disbursed_project(book).loans.order_by("id"))
    services.arrears_recompute_request(actor=None, on=LATE_DAY, background=False)
    loan = Loan.objects.get(pk=loans[0].pk)
    owed_feb = sum(i.outstanding for i in loan.instalments.filter(due_on__lte=d(2026, 3, 5)))
    services.repayment_post(
        actor=book.fed.kimlien, loan=loan, amount=owed_feb + 40_000, paid_on=d(2026, 3, 20)
    )
    assert stored()[loan.pk][:2] == (LATE_DAY, 0)  # paid up to March: current on 22/03
    services.loan_write_off(actor=book.fed.thanhpho, loan=Loan.objects.get(pk=loans[1].pk), on=d(2026, 3, 21))
    assert stored()[loans[1].pk] == (LATE_DAY, 0, 0)  # ended before the day: nothing outstanding
    new = services.loan_reschedule(
        actor=book.fed.thanhpho, loan=Loan.objects.get(pk=loans[2].pk), on=d(2026, 3, 21), term=12
    )
    assert stored()[loans[2].pk] == (LATE_DAY, 0, 0)
    assert stored()[new.pk] == (LATE_DAY, 0, new.amount)  # its first instalment falls due in April
    later = timezone.localdate()
    services.repayment_post(
        actor=book.fed.kimlien, loan=Loan.objects.get(pk=loans[3].pk), amount=10_000, paid_on=later
    )
    assert stored()[loans[3].pk][:2] == (LATE_DAY, 45)  # after the stored day: the figures as of it stand


def test_the_loan_list_shows_and_filters_the_stored_days(book: Book) -> None:
    loans = list(disbursed_project(book).loans.order_by("id"))
    client = login(book.fed.kimlien)
    page = client.get(reverse("loans:list")).content.decode()
    assert "45 ngày" not in page
    services.repayment_post(
        actor=book.fed.kimlien,
        loan=loans[0],
        amount=sum(i.outstanding for i in loans[0].instalments.all()),
        paid_on=d(2026, 3, 1),
    )
    call_command("loans", "recompute-arrears", "--on", "2026-03-22", stdout=StringIO())
    page = client.get(reverse("loans:list")).content.decode()
    assert page.count("45 ngày") == 4 and "(22/03/2026)" in page
    late = client.get(reverse("loans:list") + "?bucket=b31_90")
    assert late.context["total"] == 4 and loans[0].pk not in {
        ln.pk for ln in late.context["page"].object_list
    }
    assert client.get(reverse("loans:list") + "?bucket=b1_30").context["total"] == 0
    assert client.get(reverse("loans:list") + "?bucket=khong-co").context["total"] == 5  # ignored
    assert Loan.objects.get(pk=loans[0].pk).days_past_due == 0  # paid ahead (all but its late fee)


def test_the_pages_start_a_run_and_show_its_progress(book: Book) -> None:
    disbursed_project(book)
    district = login(book.fed.kimlien)
    page = district.get(reverse("loans:arrears") + "?on=2026-03-22").content.decode()
    assert "Tính lại cho mọi khoản vay" not in page
    assert district.post(reverse("loans:arrears_recompute"), {"on": "2026-03-22"}).status_code == 404
    city = login(book.fed.thanhpho)
    assert "Tính lại cho mọi khoản vay" in city.get(reverse("loans:arrears")).content.decode()
    response = city.post(reverse("loans:arrears_recompute"), {"on": "2026-03-22"})
    run = ArrearsRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("loans:arrears_run", args=[run.pk])
    shown = city.get(response["Location"]).content.decode()
    assert "Đã tính lại 5 khoản vay đến ngày 22/03/2026: 5 khoản quá hạn" in shown
    partial = city.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert partial.startswith('<div id="arrears-run"') and "hx-trigger" not in partial  # done: no polling
    assert district.get(response["Location"]).status_code == 404
    again = city.post(reverse("loans:arrears_recompute"), {"on": "2099-01-01"}, follow=True).content.decode()
    assert "ở tương lai" in again


def test_cli_recompute_and_recovery_of_a_lost_run(book: Book, settings: Any) -> None:
    disbursed_project(book)
    out = StringIO()
    call_command("loans", "recompute-arrears", "--on", "2026-03-22", stdout=out)
    assert "Đã tính lại 5 khoản vay đến ngày 22/03/2026: 5 khoản quá hạn." in out.getvalue()
    with pytest.raises(CommandError, match="không hợp lệ"):
        call_command("loans", "recompute-arrears", "--on", "22/03/2026", stdout=StringIO())
    # On the real queue a run waits for the worker; a worker that died leaves it: the recovery fails it.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    out = StringIO()
    call_command("loans", "recompute-arrears", "--on", "2026-03-23", "--background", stdout=out)
    run = ArrearsRun.objects.order_by("-id").first()
    assert run is not None and run.status == ArrearsRun.Status.QUEUED and "hàng đợi" in out.getvalue()
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(pk=run.task_id).update(status="FAILED")
    assert services.arrears_recover() == [run.pk]
    run.refresh_from_db()
    assert run.status == ArrearsRun.Status.FAILED and "hãy tính lại" in run.error
