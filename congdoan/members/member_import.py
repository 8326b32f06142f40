"""``congdoan import members FILE``: people and their memberships from CSV/XLSX (architecture §5).

Columns ``cdcs_code,full_name,birth_date,gender,cccd,phone,join_date,card_number`` or their Vietnamese
headers ("Mã CĐCS", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Số điện thoại", "Ngày vào công
đoàn", "Số thẻ đoàn viên"); optional extra columns: "Dân tộc", "Trình độ", "Nghề nghiệp", "Địa chỉ",
email, "Quốc tịch", "Thời hạn hợp đồng (tháng)". ``phone`` and ``card_number`` columns may be left out.

All-or-nothing, idempotent, and bounded in memory whatever the size of the file:

The steps live in three modules: this one runs the job and matches rows to stored data;
:mod:`~congdoan.members.member_import_checks` checks each row; :mod:`~congdoan.members.member_import_writes`
inserts new rows fast.

1. **Check** (one streaming pass). Every row is checked with :mod:`congdoan.members.validation` —
   name, dates, CCCD structure and its consistency with gender and birth year (a 9-digit CMND is
   accepted and flagged ``legacy_id``), phone, eligibility — and its CĐCS must be a CĐCS/nghiệp đoàn
   in the actor's *writable* scope today. Every 5,000 rows the stored people, memberships and cards of
   those rows are looked up in a few ``__in`` queries (never the whole members table) and each row is
   classified: *created* (new person + membership, or a new membership of a known person), *updated*
   (the person's active membership in that CĐCS exists and some field differs) or *unchanged*. What
   the write needs is spooled to a temporary file, so memory holds one chunk plus the keys that
   detect duplicates inside the file (CCCD, card number, and name + birth date for rows without CCCD).
2. **Report**: every problem — capped at :data:`MAX_ERRORS` — with its row and column, in Vietnamese.
   Any error: nothing is written.
3. **Write** (one transaction): the spool is replayed in chunks — ``bulk_update`` of changed people
   and memberships, ``bulk_create`` of new people (ids come back on PostgreSQL and SQLite ≥ 3.35)
   then of their memberships — and one audit entry records the job (file, SHA-256, counts).

``join_date`` ("Ngày vào công đoàn") is the first admission to the union, as on the member's card —
often at an earlier employer. It fills ``Person.union_join_date`` (the earliest date known is kept);
the membership in the row's CĐCS starts on it, or on the CĐCS's founding if that came later. The
eligibility rules (age, nationality) apply to it.

Matching a row to stored data: by CCCD; a row without CCCD matches an active membership in the same
CĐCS by card number, else by folded name + birth date (people without a CCCD only). An empty cell
never erases stored data (a CĐCS's list often lacks phones); a CCCD is never changed by an import.
A CCCD whose person is active in another CĐCS is refused (that is a transfer), unless the setting
``MEMBERS_ONE_ACTIVE_MEMBERSHIP`` is off. A CCCD whose person is held outside the actor's writable
scope (current membership, or the last one for a person who left) is refused with
``services.MSG_HELD_ELSEWHERE``, which names nobody: such a person is never linked or changed
(docs/members-privacy.md). ``dry_run`` (the preview) does the check and the write, and rolls the
write back (``imports.reader.write_all_or_nothing``, as every importer): its counts are the real run's.
The write ends by updating the kept figures of the CĐCS it touched (``core.registry.records_changed``).
"""

from __future__ import annotations

import datetime as dt
import pickle
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.conf import settings
from django.db import IntegrityError, connection
from django.utils import timezone

from congdoan.accounts.permissions import is_global
from congdoan.accounts.scope import scope_for
from congdoan.core.audit import audit_log
from congdoan.core.models import AuditEntry
from congdoan.core.registry import records_changed
from congdoan.core.sql import refresh_statistics
from congdoan.imports.reader import (
    Column,
    ImportFailed,
    ImportResult,
    ProgressCallback,
    Row,
    RowError,
    Source,
    file_sha256,
    open_table,
    source_name,
    write_all_or_nothing,
)
from congdoan.org.models import GRASSROOTS_TYPES, OrgUnit

from .member_import_checks import CdcsUnit, CleanRow, Names, RowChecker
from .member_import_writes import BATCH, Inserter, OrmInserter, RawInserter, batches
from .models import Membership, Person
from .services import MSG_HELD_ELSEWHERE, SOURCE, holding_cdcs_ids

__all__ = ["MAX_ERRORS", "MEMBER_COLUMNS", "import_members"]

_Names = Names  # the name checker, under the name the tests and benches import

MEMBER_COLUMNS = [
    Column("cdcs_code", "Mã CĐCS", aliases=("Mã công đoàn cơ sở", "Mã CĐ cơ sở", "Mã CĐCS/NĐ")),
    Column("full_name", "Họ và tên", aliases=("Họ tên", "Họ và tên đoàn viên")),
    Column("birth_date", "Ngày sinh", aliases=("Ngày tháng năm sinh", "Ngày, tháng, năm sinh")),
    Column("gender", "Giới tính", aliases=("Nam/Nữ", "Nam, nữ")),
    Column(
        "cccd",
        "Số CCCD",
        aliases=("CCCD", "Số CMND/CCCD", "Số CCCD/CMND", "CMND/CCCD", "CCCD/CMND", "Số định danh cá nhân"),
    ),
    Column("phone", "Số điện thoại", required=False, aliases=("Điện thoại", "SĐT", "Số ĐT")),
    Column(
        "join_date", "Ngày vào công đoàn", aliases=("Ngày kết nạp", "Ngày vào CĐ", "Ngày kết nạp đoàn viên")
    ),
    Column("card_number", "Số thẻ đoàn viên", required=False, aliases=("Số thẻ", "Số thẻ ĐV", "Số thẻ CĐ")),
    Column("ethnicity", "Dân tộc", required=False),
    Column("education", "Trình độ", required=False, aliases=("Trình độ chuyên môn", "Trình độ học vấn")),
    Column("job", "Nghề nghiệp", required=False, aliases=("Nghề nghiệp, chức vụ", "Chức vụ", "Công việc")),
    Column("address", "Địa chỉ", required=False, aliases=("Nơi ở", "Nơi ở hiện nay", "Địa chỉ thường trú")),
    Column("email", "Email", required=False, aliases=("E-mail", "Thư điện tử")),
    Column("nationality", "Quốc tịch", required=False),
    Column(
        "contract_months",
        "Thời hạn hợp đồng (tháng)",
        required=False,
        aliases=("Thời hạn hợp đồng", "Thời hạn HĐLĐ (tháng)", "Thời hạn HĐLĐ"),
    ),
]

# Insert new rows with executemany / COPY (False: with bulk_create, as the ORM does it).
RAW_WRITES = True
CHUNK = 5_000  # rows looked up together (one __in query per kind) and spooled together
MAX_ERRORS = 1_000
_PERSON_COLS = (
    "id",
    "cccd",
    "full_name",
    "birth_date",
    "union_join_date",
    "gender",
    "legacy_id",
    "phone",
    "email",
    "ethnicity",
    "education",
    "job",
    "address",
    "nationality",
    "contract_months",
)
_ACTIVE = Membership.Status.ACTIVE


class _MemberImport:
    def __init__(self, actor: Any, file_name: str, spool: IO[bytes]) -> None:
        self.actor = actor
        self.file_name = file_name
        self.today = timezone.localdate()
        self.one_active = bool(getattr(settings, "MEMBERS_ONE_ACTIVE_MEMBERSHIP", True))
        self.errors: list[RowError] = []
        self.error_count = 0
        self.units = self._load_units()
        # People held outside the actor's writable scope are never linked or changed (services.
        # MSG_HELD_ELSEWHERE); the system and administrators hold everyone.
        self.holds_everyone = actor is None or scope_for(actor, self.today).is_global
        self.writable_ids = {unit.id for unit in self.units.values()}
        self.checker = RowChecker(self.units, self.today, self.add_error)
        # People without a CCCD in the file matched through their card: person id → row.
        self.card_claims: dict[int, int] = {}
        self.headers: dict[str, str] = {}  # column key → header as written in the file
        self.chunk: list[CleanRow] = []
        self.spool = spool
        self.spooled = 0
        self.rows = 0
        self.created = self.updated = self.unchanged = 0

    # -- errors ----------------------------------------------------------------------------------
    def add_error(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(error)

    def error_list(self) -> list[RowError]:
        errors = sorted(self.errors, key=lambda e: e.row)
        extra = self.error_count - len(errors)
        if extra > 0:
            errors.append(RowError(0, "", f"... và {extra} lỗi khác."))
        return errors

    # -- units -------------------------------------------------------------------------------------
    def _load_units(self) -> dict[str, CdcsUnit]:
        """Code → CĐCS/nghiệp đoàn the actor may write to today (all of them for the system)."""
        qs = OrgUnit.objects.filter(type__in=GRASSROOTS_TYPES)
        if self.actor is not None:
            qs = qs.filter(scope_for(self.actor, self.today).writable_q(self.today))
        return {
            code: CdcsUnit(pk, code, name, founded, dissolved)
            for pk, code, name, founded, dissolved in qs.values_list(
                "pk", "code", "name", "founded_on", "dissolved_on"
            )
        }

    # -- 1. check each row (member_import_checks) ---------------------------------------------------
    def check(self, row: Row) -> None:
        self.rows += 1
        clean = self.checker.check(row)
        if clean is None:
            return
        self.chunk.append(clean)
        if len(self.chunk) >= CHUNK:
            self.flush()

    # -- 1b. match a chunk against stored data --------------------------------------------------------
    def flush(self) -> None:
        chunk, self.chunk = self.chunk, []
        if not chunk:
            return
        people: dict[int, dict[str, Any]] = {}  # person id → stored fields
        by_cccd: dict[str, int] = {}
        cccds = [c.cccd for c in chunk if c.cccd]
        if cccds:
            for values in Person.objects.filter(cccd__in=cccds).values(*_PERSON_COLS):
                people[values["id"]] = values
                by_cccd[values["cccd"]] = values["id"]
        # Cards: who holds them (any status: the number is unique across all memberships).
        # card → (membership id, person id, status, CĐCS id, the holder's CCCD)
        holders: dict[str, tuple[int, int, str, int, str | None]] = {}
        cards = [c.card for c in chunk if c.card]
        if cards:
            for mid, pid, status, cdcs_id, card, holder_cccd in Membership.objects.filter(
                card_number__in=cards
            ).values_list("id", "person_id", "status", "cdcs_id", "card_number", "person__cccd"):
                holders[str(card)] = (mid, pid, status, cdcs_id, holder_cccd)
        # Rows without CCCD: a card held by an active membership in the same CĐCS, else name + birth.
        target: dict[int, int] = {}  # row number → person id (rows without CCCD matched to a person)
        by_name: list[CleanRow] = []
        for c in chunk:
            if c.cccd is None:
                held = holders.get(c.card) if c.card else None
                if held is not None and held[2] == _ACTIVE and held[3] == c.cdcs_id:
                    target[c.number] = held[1]
                elif held is None:
                    by_name.append(c)
        if by_name:
            keys = {(c.cdcs_id, c.search_key, c.birth_date): c for c in by_name}
            found = (
                Membership.objects.filter(
                    status=_ACTIVE,
                    cdcs_id__in={c.cdcs_id for c in by_name},
                    person__search_key__in={c.search_key for c in by_name},
                    person__cccd__isnull=True,
                )
                .order_by("id")
                .values_list("cdcs_id", "person__search_key", "person__birth_date", "person_id")
            )
            for cdcs_id, skey, birth, found_pid in found:
                match = keys.get((cdcs_id, skey, birth)) if birth is not None else None
                if match is not None and match.number not in target:
                    target[match.number] = found_pid
        missing = [pid for pid in target.values() if pid not in people]
        if missing:
            for values in Person.objects.filter(pk__in=missing).values(*_PERSON_COLS):
                people[values["id"]] = values
        # Active memberships of every person concerned.
        actives: dict[int, list[tuple[int, int, dt.date, str | None, str]]] = {}
        if people:
            for mid, pid, cdcs_id, join, card, cdcs_name in Membership.objects.filter(
                person_id__in=list(people), status=_ACTIVE
            ).values_list("id", "person_id", "cdcs_id", "join_date", "card_number", "cdcs__name"):
                actives.setdefault(pid, []).append((mid, cdcs_id, join, card, cdcs_name))
        holding = {} if self.holds_everyone or not people else holding_cdcs_ids(list(people))
        records: list[tuple[Any, ...]] = []
        for c in chunk:
            row_pid = by_cccd.get(c.cccd) if c.cccd else target.get(c.number)
            if row_pid and not self.holds_everyone and not (holding.get(row_pid) or {0}) <= self.writable_ids:
                self._error(c, "cccd", MSG_HELD_ELSEWHERE)  # neither named nor changed
                continue
            record = self.classify(
                c, people.get(row_pid) if row_pid else None, actives.get(row_pid or 0, []), holders
            )
            if record is not None and not self.error_count:
                records.append(record)
        if records and not self.error_count:
            pickle.dump(records, self.spool, protocol=pickle.HIGHEST_PROTOCOL)
            self.spooled += len(records)

    def classify(
        self,
        c: CleanRow,
        person: dict[str, Any] | None,
        actives: list[tuple[int, int, dt.date, str | None, str]],
        holders: dict[str, tuple[int, int, str, int, str | None]],
    ) -> tuple[Any, ...] | None:
        """The write for one row: ``("new", ...)``, ``("join", ...)``, ``("upd", ...)`` or None."""
        pid = person["id"] if person else None
        if pid is not None and c.cccd is None and person and person["cccd"]:
            # Matched through the card to someone whose CCCD is on another row of this file?
            first = self.checker.cccds.get(int(person["cccd"]))
            if first is not None:
                self._error(
                    c, "card_number", f"Số thẻ đoàn viên «{c.card}» là của người có số CCCD ở dòng {first}."
                )
                return None
            self.card_claims[pid] = c.number
        elif pid is not None and c.cccd is not None and pid in self.card_claims:
            first = self.card_claims[pid]
            self._error(
                c, "cccd", f"Người có số CCCD {c.cccd} đã được nhập ở dòng {first} (qua số thẻ đoàn viên)."
            )
            return None
        same = next((a for a in actives if a[1] == c.cdcs_id), None)
        if same is None and actives and self.one_active:
            assert person is not None
            cdcs_name = actives[0][4]
            self._error(
                c,
                "cccd",
                f"{person['full_name']} (CCCD {c.cccd}) đang sinh hoạt tại {cdcs_name} — dùng chức năng "
                "chuyển sinh hoạt.",
            )
            return None
        if c.card is not None:
            held = holders.get(c.card)
            if held is not None and (same is None or held[0] != same[0]):
                if held[1] == pid:
                    message = (
                        f"Số thẻ đoàn viên «{c.card}» đang gắn với một lần sinh hoạt khác của người này."
                    )
                else:
                    message = f"Số thẻ đoàn viên «{c.card}» đã được cấp cho người khác."
                self._error(c, "card_number", message)
                return None
        if person is None:
            self.created += 1
            return (
                "new",
                c.full_name,
                c.birth_date,
                c.gender,
                c.cccd,
                c.legacy,
                c.phone,
                c.extra,
                c.search_key,
                c.sort_key,
                c.cdcs_id,
                c.join_date,
                c.card,
            )
        assert pid is not None
        changes = self._person_changes(c, person)
        if same is None:
            self.created += 1
            return ("join", pid, changes, c.cdcs_id, c.join_date, c.card)
        mid, _, join, card, _ = same
        mchanges: dict[str, Any] = {}
        if join != c.join_date:
            mchanges["join_date"] = c.join_date
        if c.card is not None and card != c.card:
            mchanges["card_number"] = c.card
        if not changes and not mchanges:
            self.unchanged += 1
            return None
        self.updated += 1
        return ("upd", pid, changes, mid, mchanges)

    def _error(self, c: CleanRow, key: str, message: str) -> None:
        self.add_error(RowError(c.number, self.headers.get(key, key), message))

    @staticmethod
    def _person_changes(c: CleanRow, stored: dict[str, Any]) -> dict[str, Any]:
        new: dict[str, Any] = {"full_name": c.full_name, "birth_date": c.birth_date, "gender": c.gender}
        if c.cccd is not None:
            new["legacy_id"] = c.legacy
        if c.phone:
            new["phone"] = c.phone
        new.update(c.extra)
        # The earliest admission known is kept: a later date in a file (a new employer's list) is not
        # the first one, and a re-run changes nothing.
        union = new.pop("union_join_date", None)
        changes = {k: v for k, v in new.items() if stored[k] != v}
        if union is not None and (stored["union_join_date"] is None or union < stored["union_join_date"]):
            changes["union_join_date"] = union
        if "full_name" in changes:
            changes["search_key"] = c.search_key
            changes["sort_key"] = c.sort_key
        return changes

    # -- 3. write ----------------------------------------------------------------------------------------
    def records(self) -> Iterator[list[tuple[Any, ...]]]:
        self.spool.seek(0)
        while True:
            try:
                yield pickle.load(self.spool)
            except EOFError:
                return

    def write(self, progress: ProgressCallback | None) -> None:
        now = timezone.now()
        inserter = RawInserter if RAW_WRITES and connection.vendor in RawInserter.VENDORS else OrmInserter
        self.people_inserter: Inserter = inserter(Person, now)
        self.membership_inserter: Inserter = inserter(Membership, now)
        done = 0
        total = self.spooled
        # The CĐCS and the earliest date the import touched: the kept figures (``indicators.leaf``) are
        # recomputed for them once, at the end, in the import's transaction.
        self.touched: set[int] = set()
        self.earliest: dt.date | None = None
        for records in self.records():
            for batch in batches(records, BATCH):
                self._write_batch(batch, now)
                done += len(batch)
                if progress is not None:
                    progress(done, total)
        if self.touched:
            records_changed(SOURCE, self.touched, [self.earliest])

    def _touch(self, spells: Iterable[tuple[int, dt.date]]) -> None:
        for cdcs_id, day in spells:
            self.touched.add(cdcs_id)
            if self.earliest is None or day < self.earliest:
                self.earliest = day

    def _write_batch(self, batch: list[tuple[Any, ...]], now: dt.datetime) -> None:
        person_updates: dict[tuple[str, ...], list[Person]] = {}
        membership_updates: dict[tuple[str, ...], list[Membership]] = {}
        new_people: list[dict[str, Any]] = []
        # person_id: a stored person's id, or -1 - (index in new_people) until that one has its id.
        new_memberships: list[dict[str, Any]] = []
        for record in batch:
            kind = record[0]
            if kind == "new":
                (_, name, birth, gender, cccd, legacy, phone, extra, skey, sort, cdcs_id, join, card) = record
                new_memberships.append(
                    {
                        "person_id": -1 - len(new_people),
                        "cdcs_id": cdcs_id,
                        "join_date": join,
                        "card_number": card,
                    }
                )
                new_people.append(
                    {
                        "full_name": name,
                        "birth_date": birth,
                        "gender": gender,
                        "cccd": cccd,
                        "legacy_id": legacy,
                        "phone": phone,
                        "search_key": skey,
                        "sort_key": sort,
                        **extra,
                    }
                )
                continue
            pid, changes = record[1], record[2]
            if changes:
                fields = (*sorted(changes), "updated_at")
                person_updates.setdefault(fields, []).append(Person(pk=pid, updated_at=now, **changes))
            if kind == "join":
                _, _, _, cdcs_id, join, card = record
                new_memberships.append(
                    {"person_id": pid, "cdcs_id": cdcs_id, "join_date": join, "card_number": card}
                )
            elif record[4]:
                mchanges = record[4]
                membership_updates.setdefault(tuple(sorted(mchanges)), []).append(
                    Membership(pk=record[3], **mchanges)
                )
        regendered = [p.pk for fields, people in person_updates.items() if "gender" in fields for p in people]
        if regendered:
            self._touch(
                Membership.objects.filter(person_id__in=regendered).values_list("cdcs_id", "join_date")
            )
        redated = [m for fields, ms in membership_updates.items() if "join_date" in fields for m in ms]
        if redated:  # the old dates (then the new ones below)
            old = dict(Membership.objects.filter(pk__in=[m.pk for m in redated]).values_list("pk", "cdcs_id"))
            self._touch(Membership.objects.filter(pk__in=list(old)).values_list("cdcs_id", "join_date"))
            self._touch((old[m.pk], m.join_date) for m in redated)
        for fields, people in person_updates.items():
            Person.objects.bulk_update(people, list(fields))
        for fields, memberships in membership_updates.items():
            Membership.objects.bulk_update(memberships, list(fields))
        self._touch((m["cdcs_id"], m["join_date"]) for m in new_memberships)
        if new_people:
            ids = self.people_inserter.insert(new_people, returning=True)
            for m in new_memberships:
                if m["person_id"] < 0:
                    m["person_id"] = ids[-1 - m["person_id"]]
        if new_memberships:
            self.membership_inserter.insert(new_memberships)

    def audit(self, result: ImportResult, sheet_name: str) -> None:
        unit = None
        if self.actor is not None and not is_global(self.actor):
            scope = scope_for(self.actor, self.today)
            if scope.roots:
                unit = OrgUnit.objects.filter(pk=scope.roots[0].unit_id).first()
        audit_log(
            actor=self.actor,
            action=AuditEntry.Action.IMPORT,
            object_type="import.members",
            object_id=result.sha256[:16],
            object_repr=self.file_name[:255],
            unit=unit,
            after={
                "file": self.file_name,
                "sheet": sheet_name,
                "sha256": result.sha256,
                "rows": self.rows,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
            },
        )


def import_members(
    *,
    actor: Any,
    source: Source | None = None,
    path_or_file: Source | None = None,
    sheet: str | int | None = None,
    dry_run: bool = False,
    progress: ProgressCallback | None = None,
) -> ImportResult:
    """Import members from a CSV/XLSX/XLS/ODS file (``source``: a path or a binary file object;
    ``path_or_file`` is the same, the keyword ``congdoan import`` passes).

    Returns the counts, or — when anything is wrong — every error (up to :data:`MAX_ERRORS`) with
    its row and column, in which case nothing was stored. ``dry_run`` checks and classifies every
    row, then writes and rolls back (the preview). ``actor`` None is the system (an operator at the console).
    ``progress(done, total)`` is called while checking, then again from 0 while writing; if it has
    a ``label`` attribute (``ProgressBar``), that is set to "Đang ghi" for the second pass.
    """
    src = source if source is not None else path_or_file
    if src is None:
        raise TypeError("import_members() needs source")
    name = source_name(src)
    result = ImportResult(dry_run=dry_run, file_name=name)
    with tempfile.TemporaryFile(prefix="congdoan-members-") as spool:
        job = _MemberImport(actor, name, spool)
        try:
            table = open_table(src, MEMBER_COLUMNS, sheet=sheet)  # checks the size first
            job.headers = table.headers
            for row in table.rows(progress):
                job.check(row)
            job.flush()
            result.sha256 = file_sha256(src)  # after reading: a file object is rewound
        except ImportFailed as exc:
            for error in exc.errors:
                job.add_error(error)
            result.errors = job.error_list()
            return result
        if job.error_count:
            result.errors = job.error_list()
            return result
        result.created, result.updated, result.unchanged = job.created, job.updated, job.unchanged
        if progress is not None and hasattr(progress, "label"):
            setattr(progress, "label", "Đang ghi")  # noqa: B010 - any callable may carry a label
        try:
            # A dry run writes too, and rolls back: what only the database checks is checked.
            write_all_or_nothing(
                lambda: job.write(progress),
                dry_run=dry_run,
                audit=lambda: job.audit(result, table.sheet_name),
            )
        except IntegrityError:
            result.created = result.updated = result.unchanged = 0
            result.errors = [
                RowError(0, "", "Dữ liệu đoàn viên vừa bị thay đổi trong khi nhập; chưa lưu gì, hãy thử lại.")
            ]
            return result
    if not dry_run:
        refresh_statistics(
            [Person._meta.db_table, Membership._meta.db_table], result.created + result.updated
        )
    return result
