"""Key tasks (issue 16, part 1): handed down within the subtree only, deadlines after the start, status
steps with evidence, completion rolling up the dated tree, overdue lists, scope, audit, API, XLSX."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from rest_framework.test import APIClient

from congdoan.accounts.scope import OutOfScope
from congdoan.core.formatting import format_fraction_percent
from congdoan.core.models import AuditEntry
from congdoan.core.periods import parse_period
from congdoan.indicators import engine
from congdoan.indicators.models import Indicator
from congdoan.plans import selectors, services
from congdoan.plans.models import KeyTask, TaskStatus

pytestmark = pytest.mark.django_db
d = dt.date
TODAY = timezone.localdate()
YEAR = TODAY.year
START, END = d(YEAR, 1, 15), d(YEAR, 12, 31)


def login(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def hand(fed, n: int = 3, unit=None, deadline=END) -> list[KeyTask]:  # type: ignore[no-untyped-def]
    return services.task_hand_down(
        actor=fed.thanhpho,
        by=fed.hn,
        units=[unit or fed.kl],
        titles=[f"Nhiệm vụ số {i + 1}" for i in range(n)],
        start_on=START,
        deadline=deadline,
    )


def complete(fed, task: KeyTask, day: dt.date | None = None) -> KeyTask:  # type: ignore[no-untyped-def]
    return services.task_complete(
        actor=fed.kimlien, task=task, done_on=day or min(TODAY, task.deadline), evidence="Báo cáo số 12/BC"
    )


# -- services: the unhappy paths ---------------------------------------------------------------------


def test_deadline_before_start_is_refused_and_nothing_written(fed) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as refused:
        services.task_create(
            actor=fed.kimlien, unit=fed.kl, title="Tập huấn", start_on=d(YEAR, 3, 1), deadline=d(YEAR, 2, 1)
        )
    assert refused.value.message_dict["deadline"] == [
        f"Hạn hoàn thành 01/02/{YEAR} trước ngày bắt đầu 01/03/{YEAR}."
    ]
    assert (
        not KeyTask.objects.exists() and not AuditEntry.objects.filter(object_type="plans.keytask").exists()
    )


def test_every_problem_is_reported_together(fed) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as refused:
        services.task_hand_down(
            actor=fed.kimlien,
            by=fed.kl,
            units=[fed.gl2],
            titles=["  "],
            start_on=d(YEAR, 3, 1),
            deadline=d(YEAR, 2, 1),
        )
    errors = refused.value.message_dict
    assert set(errors) == {"deadline", "titles", "units"}
    assert errors["units"] == [
        f"«CĐCS Trường THCS Đặng Xá» không trực thuộc «Công đoàn phường Kim Liên» ngày 01/03/{YEAR}: "
        "chỉ giao nhiệm vụ cho đơn vị cấp dưới."
    ]
    assert not KeyTask.objects.exists()


def test_a_task_handed_outside_the_subtree_is_refused_all_or_none(fed) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as refused:
        services.task_hand_down(
            actor=fed.kimlien, by=fed.kl, units=[fed.gl1, fed.gl2], titles=["A"], start_on=START, deadline=END
        )
    assert "không trực thuộc «Công đoàn phường Kim Liên»" in refused.value.message_dict["units"][0]
    assert not KeyTask.objects.exists()  # GL1 (inside) did not get it either
    with pytest.raises(ValidationError, match="Không thể giao nhiệm vụ cho chính"):
        services.task_hand_down(
            actor=fed.kimlien, by=fed.kl, units=[fed.kl], titles=["A"], start_on=START, deadline=END
        )


def test_out_of_scope_writes_are_404(fed) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(OutOfScope):  # Kim Liên cannot hand down in the city's name
        services.task_hand_down(
            actor=fed.kimlien, by=fed.hn, units=[fed.kl], titles=["A"], start_on=START, deadline=END
        )
    with pytest.raises(OutOfScope):  # an ended unit's officer may only look
        services.task_create(
            actor=fed.gialam, unit=fed.gl, title="A", start_on=d(2025, 1, 2), deadline=d(2025, 2, 1)
        )
    task = hand(fed, 1, unit=fed.gl2)[0]
    with pytest.raises(OutOfScope):
        complete(fed, task)


def test_completion_needs_evidence_a_past_day_and_a_pending_task(fed) -> None:  # type: ignore[no-untyped-def]
    task = hand(fed, 1)[0]
    with pytest.raises(ValidationError) as refused:
        services.task_complete(
            actor=fed.kimlien, task=task, done_on=TODAY + dt.timedelta(days=2), evidence=""
        )
    errors = refused.value.message_dict
    assert errors["evidence"] == ["Cần minh chứng kết quả hoàn thành (nội dung hoặc tệp đính kèm)."]
    assert "ở tương lai" in errors["done_on"][0]
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN and task.done_on is None
    upload = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ValidationError, match="không đúng loại"):
        services.task_complete(actor=fed.kimlien, task=task, done_on=TODAY, evidence_file=upload)
    done = complete(fed, task)
    assert done.status == TaskStatus.DONE
    with pytest.raises(ValidationError, match="đang ở trạng thái «Hoàn thành»"):
        complete(fed, done)
    with pytest.raises(ValidationError, match="Cần ghi lý do hủy"):
        services.task_cancel(actor=fed.kimlien, task=hand(fed, 1)[0], reason=" ")


def test_steps_are_audited_with_the_state_before_and_after(fed, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path)
    task = hand(fed, 1)[0]
    services.task_start(actor=fed.kimlien, task=task)
    upload = SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 minh chung", content_type="application/pdf")
    services.task_complete(actor=fed.kimlien, task=task, done_on=TODAY, evidence="", evidence_file=upload)
    task.refresh_from_db()
    assert task.evidence_file.read() == b"%PDF-1.4 minh chung"
    services.task_reopen(actor=fed.kimlien, task=task)
    entries = list(
        AuditEntry.objects.filter(object_type="plans.keytask", object_id=str(task.pk)).order_by("pk")
    )
    assert [e.action for e in entries] == ["create", "update", "update", "update"]
    assert [(e.before or {}).get("status") for e in entries[1:]] == ["open", "in_progress", "done"]
    assert entries[2].after["status"] == "done" and entries[2].actor == fed.kimlien
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS and task.done_on is None


def test_update_checks_the_dates_and_audits_only_changes(fed) -> None:  # type: ignore[no-untyped-def]
    task = hand(fed, 1)[0]
    with pytest.raises(ValidationError, match="trước ngày bắt đầu"):
        services.task_update(actor=fed.kimlien, task=task, deadline=START - dt.timedelta(days=1))
    services.task_update(actor=fed.kimlien, task=task, owner="Phó Chủ tịch")
    entry = AuditEntry.objects.filter(object_type="plans.keytask").latest("pk")
    assert entry.after == {"owner": "Phó Chủ tịch"}


# -- completion, roll-up and overdue -------------------------------------------------------------------


def _figure(code: str, unit, period: str = str(YEAR)):  # type: ignore[no-untyped-def]
    return engine.value_of(indicator=Indicator.objects.get(code=code), period=parse_period(period), unit=unit)


def test_nineteen_of_twenty_one_roll_up_to_the_city(fed) -> None:  # type: ignore[no-untyped-def]
    tasks = hand(fed, 21)
    for task in tasks[:19]:
        complete(fed, task)
    services.task_cancel(actor=fed.thanhpho, task=hand(fed, 1)[0], reason="Không còn phù hợp")
    for unit in (fed.kl, fed.hn):
        assert _figure("NV_TONG", unit).value == 21
        assert _figure("NV_HOAN_THANH", unit).value == 19
        assert _figure("NV_CHUA_HOAN_THANH", unit).value == 2
    ratio = _figure("NV_TY_LE", fed.hn)
    assert format_fraction_percent(ratio.value, 2) == "90,48%"
    listed = selectors.task_narrow(selectors.task_list(user=fed.kimlien), unit=fed.kl)
    assert selectors.completion(listed, day=TODAY).sentence == "Hoàn thành 19/21 nhiệm vụ trọng tâm (90,48%)."
    # The records behind the open figure are exactly the two open tasks.
    units = engine.subtree_units(fed.hn.pk, END)
    assert set(selectors.tasks_open(units, d(YEAR, 1, 1), END)) == set(tasks[19:])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(states=st.lists(st.sampled_from(["open", "in_progress", "done", "cancelled"]), min_size=1, max_size=8))
def test_done_plus_open_is_the_total_and_the_batch_agrees(fed, states) -> None:  # type: ignore[no-untyped-def]
    KeyTask.objects.all().delete()
    for task, state in zip(hand(fed, len(states), unit=fed.gl1), states, strict=True):
        if state == "in_progress":
            services.task_start(actor=None, task=task)
        elif state == "done":
            complete(fed, task)
        elif state == "cancelled":
            services.task_cancel(actor=None, task=task, reason="x")
    from congdoan.plans.providers import _task_counts

    units = engine.subtree_units(fed.kl.pk, END)
    batch = _task_counts(units, d(YEAR, 1, 1), END)
    total = batch["plans_tasks"].get(fed.gl1.pk, 0)
    assert total == sum(1 for s in states if s != "cancelled")
    assert total == batch["plans_tasks_done"].get(fed.gl1.pk, 0) + batch["plans_tasks_open"].get(
        fed.gl1.pk, 0
    )
    assert selectors.tasks_done(units, d(YEAR, 1, 1), END).count() == states.count("done")


def test_overdue_list_and_page(fed) -> None:  # type: ignore[no-untyped-def]
    late = services.task_create(
        actor=fed.kimlien,
        unit=fed.kl,
        title="Báo cáo quý trễ hạn",
        start_on=d(2025, 8, 1),
        deadline=d(2025, 9, 30),
    )
    hand(fed, 1)
    assert list(selectors.overdue(user=fed.kimlien)) == [late]
    page = login(fed.kimlien).get("/nhiem-vu/qua-han/").content.decode()
    assert "Báo cáo quý trễ hạn" in page and "Nhiệm vụ số 1" not in page and "quá hạn" in page


# -- pages, scope, XLSX, API ----------------------------------------------------------------------------


def test_scope_on_pages_and_api(fed) -> None:  # type: ignore[no-untyped-def]
    mine = hand(fed, 1)[0]
    other = hand(fed, 1, unit=fed.gl2)[0]
    other.title = "Nhiệm vụ của GL2"
    other.save()
    kimlien = login(fed.kimlien)
    listing = kimlien.get("/nhiem-vu/").content.decode()
    assert "Nhiệm vụ số 1" in listing and "Nhiệm vụ của GL2" not in listing
    assert kimlien.get(f"/nhiem-vu/{other.pk}/").status_code == 404
    assert kimlien.get(f"/nhiem-vu/{mine.pk}/").status_code == 200
    api = APIClient()
    api.force_authenticate(fed.kimlien)
    assert [t["id"] for t in api.get("/api/v1/key-tasks/").json()["results"]] == [mine.pk]
    assert api.get(f"/api/v1/key-tasks/{other.pk}/").status_code == 404
    assert api.get(f"/api/v1/key-tasks/{mine.pk}/").json()["assigned_by"] == "HN"
    # The read-only officer of an ended unit gets no write page.
    assert login(fed.gialam).get("/nhiem-vu/giao/").status_code == 404


def test_hand_down_page_creates_one_task_per_line_and_shows_errors(fed) -> None:  # type: ignore[no-untyped-def]
    client = login(fed.thanhpho)
    data = {
        "by": "HN",
        "units": "KL",
        "titles": "Phát triển đoàn viên\nTổ chức Hội nghị người lao động\n",
        "source": "programme",
        "start_on": f"15/01/{YEAR}",
        "deadline": f"10/01/{YEAR}",
    }
    page = client.post("/nhiem-vu/giao/", data)
    assert page.status_code == 200 and "trước ngày bắt đầu" in page.content.decode()
    assert not KeyTask.objects.exists()
    data["deadline"] = f"31/12/{YEAR}"
    response = client.post("/nhiem-vu/giao/", data)
    assert response.status_code == 302
    assert sorted(
        KeyTask.objects.filter(unit=fed.kl, assigned_by=fed.hn).values_list("title", flat=True)
    ) == [
        "Phát triển đoàn viên",
        "Tổ chức Hội nghị người lao động",
    ]
    refused = login(fed.kimlien).post("/nhiem-vu/giao/", {**data, "by": "KL", "units": "GL2"})
    assert "Không tìm thấy đơn vị có mã «GL2» trong phạm vi của bạn." in refused.content.decode()


def test_complete_page_with_evidence_file(fed, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path)
    task = hand(fed, 1)[0]
    client = login(fed.kimlien)
    empty = client.post(f"/nhiem-vu/{task.pk}/trang-thai/complete/", {"done_on": TODAY.strftime("%d/%m/%Y")})
    assert "Cần minh chứng kết quả hoàn thành" in empty.content.decode()
    upload = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    response = client.post(
        f"/nhiem-vu/{task.pk}/trang-thai/complete/",
        {"done_on": TODAY.strftime("%d/%m/%Y"), "evidence": "Biên bản nghiệm thu", "evidence_file": upload},
    )
    assert response.status_code == 302
    page = client.get(f"/nhiem-vu/{task.pk}/").content.decode()
    assert "Biên bản nghiệm thu" in page and "Hoàn thành" in page
    download = client.get(f"/nhiem-vu/{task.pk}/minh-chung/")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 x"
    assert login(fed.cdcs).get(f"/nhiem-vu/{task.pk}/minh-chung/").status_code == 404
    assert login(fed.gialam).post(f"/nhiem-vu/{task.pk}/trang-thai/reopen/").status_code == 404


def test_xlsx_export_opens_with_the_filtered_rows(fed) -> None:  # type: ignore[no-untyped-def]
    tasks = hand(fed, 3)
    complete(fed, tasks[0])
    response = login(fed.kimlien).get("/nhiem-vu/?status=pending&xuat=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Nhiệm vụ", "Mã đơn vị", "Đơn vị thực hiện")
    assert sorted(r[0] for r in rows[1:]) == ["Nhiệm vụ số 2", "Nhiệm vụ số 3"]
    assert AuditEntry.objects.filter(object_type="export.key_tasks").exists()


def test_search_and_pagination(fed) -> None:  # type: ignore[no-untyped-def]
    hand(fed, 30)
    client = login(fed.kimlien)
    first = client.get("/nhiem-vu/").content.decode()
    assert "30 nhiệm vụ" in first and "page=2" in first and "Nhiệm vụ số 30<" not in first
    found = client.get("/nhiem-vu/?q=số 17").content.decode()
    assert "Nhiệm vụ số 17" in found and "Nhiệm vụ số 16" not in found
