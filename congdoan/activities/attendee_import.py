"""``congdoan import attendees FILE``: attendee lists of recorded activities.

Columns (Vietnamese headers accepted): ``activity_id,full_name`` and, optionally,
``cccd,gender,workplace``. ``activity_id`` is the number shown on the activity's page ("Mã hoạt
động"); the activity must be one the importer may change. Every problem is reported with its row and
column and nothing is stored unless the whole file is good; a person already on the list (same name
and CCCD) is unchanged, so importing the same file twice changes nothing. An activity's list may not
grow past its recorded participants (lượt).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from congdoan.accounts.permissions import scope_q
from congdoan.core.registry import Importer
from congdoan.imports.reader import Cell, Column, ImportResult, ProgressCallback, Source, cell_text
from congdoan.imports.steps import columns_line, finish_import, read_rows

from .models import Activity, Attendee, Gender

KIND = "attendees"
COLUMNS = [
    Column("activity_id", "Mã hoạt động", aliases=("Hoạt động", "ID hoạt động")),
    Column("full_name", "Họ và tên", aliases=("Họ tên", "Tên")),
    Column("cccd", "Số CCCD", required=False, aliases=("CCCD", "Số căn cước", "CCCD/CMND")),
    Column("gender", "Giới tính", required=False, aliases=("Nam/Nữ", "Giới")),
    Column("workplace", "Nơi làm việc", required=False, aliases=("Đơn vị công tác", "Doanh nghiệp")),
]
HEADER = columns_line(COLUMNS)
GENDERS = {"nam": Gender.MALE, "m": Gender.MALE, "nữ": Gender.FEMALE, "nu": Gender.FEMALE, "f": Gender.FEMALE}


def _activity_id(value: Cell) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = cell_text(value)
    return int(text) if text.isdigit() and len(text) <= 18 else None


def import_attendees(
    *,
    actor: Any,
    path_or_file: Source,
    sheet: str | int | None = None,
    dry_run: bool = False,
    progress: ProgressCallback | None = None,
) -> ImportResult:
    read = read_rows(path_or_file, COLUMNS, sheet=sheet, dry_run=dry_run, progress=progress)
    if read.failed:
        return read.result
    result, rows, errors = read.result, read.rows, read.errors

    ids = {i for i in (_activity_id(r.get("activity_id")) for r in rows) if i is not None}
    activities = Activity.objects.filter(pk__in=ids)
    if actor is not None:
        activities = activities.filter(scope_q(actor, unit="unit_id", writable=True))
    found = {a.pk: a for a in activities}
    existing = set(
        Attendee.objects.filter(activity_id__in=found).values_list("activity_id", "full_name", "cccd")
    )
    listed = Counter(Attendee.objects.filter(activity_id__in=found).values_list("activity_id", flat=True))
    seen: set[tuple[int, str, str]] = set()
    new: list[Attendee] = []
    for row in rows:
        pk = _activity_id(row.get("activity_id"))
        activity = found.get(pk) if pk is not None else None
        if activity is None:
            raw = cell_text(row.get("activity_id"))
            errors.append(
                row.error("activity_id", f"Không tìm thấy hoạt động «{raw}» trong phạm vi được quyền nhập.")
            )
            continue
        name = " ".join(cell_text(row.get("full_name")).split())
        problems = []
        if not name:
            problems.append(("full_name", "Chưa có họ và tên."))
        cccd = cell_text(row.get("cccd")).replace(" ", "")
        if cccd and not (cccd.isdigit() and len(cccd) in (9, 12)):
            problems.append(("cccd", f"Số CCCD «{cccd}» phải gồm 12 chữ số (hoặc CMND 9 chữ số)."))
        raw_gender = cell_text(row.get("gender")).lower()
        gender = GENDERS.get(raw_gender, "") if raw_gender else ""
        if raw_gender and not gender:
            problems.append(("gender", f"Giới tính «{raw_gender}» không hợp lệ (Nam hoặc Nữ)."))
        if problems:
            errors.extend(row.error(key, message) for key, message in problems)
            continue
        key = (activity.pk, name, cccd)
        if key in existing:
            result.unchanged += 1
            continue
        if key in seen:
            errors.append(row.error("full_name", f"«{name}» đã có ở một dòng phía trên."))
            continue
        seen.add(key)
        listed[activity.pk] += 1
        if listed[activity.pk] > activity.participants:
            errors.append(
                row.error(
                    "activity_id",
                    f"Danh sách hoạt động «{activity.title}» vượt quá số lượt tham gia đã ghi nhận "
                    f"({activity.participants}).",
                )
            )
            continue
        new.append(
            Attendee(
                activity=activity,
                full_name=name[:120],
                cccd=cccd,
                gender=gender,
                workplace=cell_text(row.get("workplace"))[:255],
            )
        )

    def write() -> None:
        Attendee.objects.bulk_create(new, batch_size=2000)
        result.created = len(new)

    return finish_import(result, errors, write, actor=actor, kind=KIND, dry_run=dry_run)


IMPORTER = Importer(
    kind=KIND,
    label="Danh sách người tham gia hoạt động",
    help="Nhập danh sách người tham gia một hoạt động (tập huấn, khám sức khỏe …) đã ghi nhận.",
    columns=HEADER,
    run=import_attendees,
    order=91,
)
