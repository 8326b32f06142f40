"""Demo members: realistic Vietnamese people for ``congdoan demo`` and the benchmarks in ``bench/``.

:class:`MemberFaker` makes one CSV row of the import format (``member_import.MEMBER_COLUMNS``, with
Vietnamese headers) per call, deterministically from a ``random.Random``: family names with roughly
their real shares (Nguyễn 38%, Trần 11%, Lê 9.5%, …), 2–4-word names by gender, 12% typed in capitals
or lower case; birth 1965–2004; a valid 12-digit CCCD consistent with gender and birth year (its
province code taken from the official list; 1% old 9-digit CMND); phones written in the usual ways;
90% with a union card number. ``bench/members_import_bench.py`` writes its files with it.

:func:`load_members` gives the demo federation (``congdoan.org.demo``) its members:

- ~100,000 people spread over the live CĐCS, in proportion (sub-linear) to the size of their
  employer — big FDI and state enterprises have hundreds of members, small administrative/public
  units (HCSN) and cooperatives a few dozen or fewer; join dates from 1995 (or the CĐCS's founding)
  to the end of 2025, so every year — 2024 and 2025 included — has admissions;
- loaded **through the real importer** (``import_members``, actor ``None`` = the system) from a
  CSV made in memory, so the demo exercises the pipeline users run;
- then a few hundred transfers and leavers (retirement, resignation, a few removals) through
  ``members.services``, as an officer would record them;
- workforce counts (workers, of whom women) for every CĐCS at the end of 2024 and 2025
  through ``services.workforce_set``, so that coverage (members / workers) is 60–95%.

Deterministic (``random.Random(SEED)``) and loaded once: :func:`members_loaded` is true as soon as
any membership exists, and everything is one transaction.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from django.db import transaction
from django.utils import timezone

from congdoan.core.text import fold

# Importable before ``django.setup()`` (the benchmarks generate their files first): models, services
# and the importer are imported inside the functions that need them.
PROVINCE_CODES_FILE = Path(__file__).parent / "data" / "cccd_province_codes.csv"  # = validation's

SEED = 1995
DEFAULT_MEMBERS = 100_000  # at scale 1.0
JOIN_FROM = dt.date(1995, 1, 1)
JOIN_UNTIL = dt.date(2025, 12, 31)  # the demo's members joined by the end of 2025
BENCH_JOIN_UNTIL = dt.date(2025, 6, 30)  # what the import bench's files were generated with
WORKFORCE_DAYS = [dt.date(2024, 12, 31), dt.date(2025, 12, 31)]
MIN_MEMBERS = 5  # a CĐCS needs at least 5 members to be founded
TRANSFERS = 250  # at 100,000 members; scaled with the number of members
LEAVERS = 300

HEADER = [
    "Mã CĐCS",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Số CCCD",
    "Số điện thoại",
    "Ngày vào công đoàn",
    "Số thẻ đoàn viên",
    "Dân tộc",
]

# Family names with roughly their share in Vietnam; middle and given names by gender.
FAMILY = [
    ("Nguyễn", 380), ("Trần", 110), ("Lê", 95), ("Phạm", 70), ("Hoàng", 30), ("Huỳnh", 20),
    ("Phan", 45), ("Vũ", 20), ("Võ", 19), ("Đặng", 21), ("Bùi", 20), ("Đỗ", 14), ("Hồ", 13),
    ("Ngô", 13), ("Dương", 10), ("Lý", 5), ("Đinh", 8), ("Đào", 6), ("Trịnh", 5), ("Mai", 4),
    ("Tạ", 3), ("Lương", 4), ("Hà", 4), ("Cao", 3), ("Tô", 2), ("Lâm", 3), ("Chu", 2), ("Kiều", 1),
]  # fmt: skip
MIDDLE = {
    "M": ["Văn", "Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Thanh", "Ngọc", "Công", "Xuân", "Đình",
          "Quốc", "Tiến", "Mạnh", "Anh"],
    "F": ["Thị", "Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Minh", "Phương", "Hồng", "Kim", "Thuỳ",
          "Bích", "Hoài", "Mỹ", "Khánh"],
}  # fmt: skip
GIVEN = {
    "M": ["Anh", "Bình", "Cường", "Dũng", "Đức", "Hải", "Hùng", "Huy", "Hoàng", "Khánh", "Long", "Minh",
          "Nam", "Phong", "Phúc", "Quân", "Sơn", "Tâm", "Thắng", "Thành", "Trung", "Tuấn", "Tùng", "Việt",
          "Vinh", "Hiếu", "Hòa", "Lâm", "Kiên", "Toàn"],
    "F": ["Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Huyền", "Lan", "Linh",
          "Loan", "Mai", "Nga", "Ngọc", "Nhung", "Oanh", "Phương", "Quỳnh", "Thảo", "Thủy", "Trang",
          "Tuyết", "Vân", "Yến", "Hoà", "Thuỷ", "Diệp", "Ly"],
}  # fmt: skip


def _unrepeated(word: str, options: list[str], taken: list[str]) -> str:
    """``word``, or the next of ``options`` after it that the name does not hold yet (accents aside:
    "Hòa"/"Hoà"), so no "Hoàng Anh Anh Anh"; the same random draws, so the rest of the demo is unchanged."""
    used = {fold(w) for w in taken}
    if fold(word) not in used:
        return word
    start = options.index(word)
    for step in range(1, len(options) + 1):
        candidate = options[(start + step) % len(options)]
        if fold(candidate) not in used:
            return candidate
    return word


ETHNICITY = [("Kinh", 85), ("Tày", 3), ("Thái", 2), ("Mường", 2), ("Hoa", 1), ("Khmer", 1), ("Nùng", 1)]

# Share of women among the members, by sector of the CĐCS (garment/electronics FDI, schools, health…).
FEMALE_SHARE = {"FDI": 0.68, "HCSN": 0.64, "DN_NHA_NUOC": 0.38, "DN_NGOAI_NHA_NUOC": 0.5, "HTX": 0.45}
# Size of a CĐCS without an employer on record (administrative/public units, nghiệp đoàn): workers.
NO_EMPLOYER_SIZE = {"HCSN": (15, 250), "KHAC": (20, 150)}
ENTERPRISE_SIZE = {"FDI": (150, 6000), "DN_NHA_NUOC": (80, 2500), "HTX": (8, 60)}
LEAVE_REASONS = [
    ("Nghỉ hưu", False, 40),
    ("Nghỉ việc, chấm dứt hợp đồng lao động", False, 35),
    ("Thôi việc theo nguyện vọng", False, 15),
    ("Chuyển công tác ra ngoài hệ thống công đoàn", False, 6),
    ("Tự ý bỏ sinh hoạt, không đóng đoàn phí 6 tháng liên tục (xóa tên)", True, 4),
]
TRANSFER_REASON = "Chuyển công tác, chuyển sinh hoạt công đoàn"


def province_list() -> list[str]:
    """The CCCD province codes in the order of the official list (the generator depends on it)."""
    lines = PROVINCE_CODES_FILE.read_text(encoding="utf-8").splitlines()[1:]
    return [line.split(",")[0] for line in lines if line]


class MemberFaker:
    """One member row (cells of :data:`HEADER`) per :meth:`row` call, drawn from ``rng``.

    Row ``i`` (0-based, unique per file) gets a unique CCCD (serial ``i`` mod 10⁶, the province
    shifting with each million: unique up to 63 million rows) and card number ``TD{i+1:08d}``.
    The order of the draws is fixed: files generated with the same seed stay byte-identical.
    """

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.provinces = province_list()
        self.families = [f for f, _ in FAMILY]
        self.family_weights = [w for _, w in FAMILY]
        self.ethnic = [e for e, _ in ETHNICITY]
        self.ethnic_weights = [w for _, w in ETHNICITY]

    def row(
        self,
        i: int,
        pick_cdcs: Callable[[], str],
        *,
        join_from: dt.date = JOIN_FROM,
        join_until: dt.date = BENCH_JOIN_UNTIL,
        female: float = 0.55,
    ) -> list[str]:
        """The cells of member ``i``; ``pick_cdcs()`` gives the CĐCS code (called once, in order).

        The join date is uniform between ``max(18th birthday, join_from)`` and ``join_until``.
        """
        rng = self.rng
        gender = "F" if rng.random() < female else "M"
        words = [rng.choices(self.families, self.family_weights)[0]]
        words.append(_unrepeated(rng.choice(MIDDLE[gender]), MIDDLE[gender], words))
        if rng.random() < 0.3:
            words.append(_unrepeated(rng.choice(MIDDLE[gender]), MIDDLE[gender], words))
        words.append(_unrepeated(rng.choice(GIVEN[gender]), GIVEN[gender], words))
        name = " ".join(words)
        style = rng.random()
        if style < 0.08:
            name = name.upper()
        elif style < 0.12:
            name = name.lower()
        birth = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randrange(365 * 40))
        earliest = max(dt.date(birth.year + 18, birth.month, min(birth.day, 28)), join_from)
        join = earliest + dt.timedelta(days=rng.randrange(max(1, (join_until - earliest).days)))
        serial, block = i % 1_000_000, i // 1_000_000
        province = self.provinces[(serial * 7919 + block) % len(self.provinces)]
        if rng.random() < 0.01:
            cccd = f"{i:09d}"  # an old 9-digit CMND
        else:
            digit = (0 if birth.year < 2000 else 2) + (1 if gender == "F" else 0)
            cccd = f"{province}{digit}{birth.year % 100:02d}{serial:06d}"
        r = rng.random()
        mobile = f"9{rng.randrange(10**8):08d}"
        if r < 0.6:
            phone = f"0{mobile}"
        elif r < 0.75:
            phone = f"+84 {mobile[:3]} {mobile[3:6]} {mobile[6:]}"
        elif r < 0.9:
            phone = f"0{mobile[:3]}.{mobile[3:6]}.{mobile[6:]}"
        else:
            phone = ""
        card = f"TD{i + 1:08d}" if rng.random() < 0.9 else ""
        birth_text = birth.strftime("%d/%m/%Y") if rng.random() < 0.9 else birth.isoformat()
        return [
            pick_cdcs(),
            name,
            birth_text,
            "Nữ" if gender == "F" else "Nam",
            cccd,
            phone,
            join.strftime("%d/%m/%Y"),
            card,
            rng.choices(self.ethnic, self.ethnic_weights)[0],
        ]


# -- the demo federation's members -----------------------------------------------------------------


class Writer(Protocol):
    def write(self, msg: str) -> Any: ...


@dataclass
class _Cdcs:
    pk: int
    code: str
    sector: str
    founded_on: dt.date
    weight: float
    coverage: float  # members / workers, 0.60–0.95
    female: float
    members: int = 0
    # Members at each WORKFORCE_DAYS day (all, women), after the planned transfers and leavers.
    on_day: list[list[int]] = field(default_factory=list)


@dataclass
class _Member:
    cdcs: _Cdcs
    cccd: str
    join: dt.date
    female: bool
    birth_year: int


def members_loaded() -> bool:
    from .models import Membership

    return Membership.objects.exists()


def _parse(text: str) -> dt.date:
    if "-" in text:
        return dt.date.fromisoformat(text)
    day, month, year = text.split("/")
    return dt.date(int(year), int(month), int(day))


def _units(rng: random.Random, until: dt.date) -> list[_Cdcs]:
    """The live CĐCS and nghiệp đoàn founded by ``until``, with a size weight, coverage and women share."""
    from congdoan.org.models import GRASSROOTS_TYPES, Employer, OrgUnit

    workforce: dict[int, int] = {}
    for cdcs_id, workers in (
        Employer.objects.filter(cdcs__isnull=False).order_by("id").values_list("cdcs_id", "workforce")
    ):
        workforce.setdefault(cdcs_id, workers)
    units = []
    for pk, code, sector, founded in (
        OrgUnit.objects.filter(type__in=GRASSROOTS_TYPES, dissolved_on__isnull=True)
        .order_by("code")
        .values_list("pk", "code", "sector", "founded_on")
    ):
        founded = founded or JOIN_FROM
        if founded > until - dt.timedelta(days=30):
            continue
        workers = workforce.get(pk) or 0
        if not workers:
            low, high = NO_EMPLOYER_SIZE.get(sector) or ENTERPRISE_SIZE.get(sector) or (10, 600)
            workers = int(low * (high / low) ** (rng.random() ** 1.5))
        coverage = rng.uniform(0.60, 0.95)
        female = min(0.9, max(0.1, FEMALE_SHARE.get(sector, 0.45) + rng.uniform(-0.12, 0.12)))
        # Sub-linear: a 6,000-worker factory has ~35x the members of a 50-person school, not 120x.
        units.append(_Cdcs(pk, code, sector, founded, (workers * coverage) ** 0.8, coverage, female))
    return units


def _allocate(units: list[_Cdcs], total: int) -> None:
    """``total`` members over ``units`` in proportion to their weight, at least MIN_MEMBERS each."""
    if not units:
        return
    floor = min(MIN_MEMBERS, total // len(units))
    factor = total / sum(u.weight for u in units)
    for _ in range(20):  # the floor takes some members: scale the rest until the total fits
        sizes = [max(floor, int(u.weight * factor)) for u in units]
        missing = total - sum(sizes)
        if missing >= 0:
            break
        factor *= (total + missing) / total
    for unit, size in zip(units, sizes, strict=True):
        unit.members = size
    # Rounding: the remainder goes to the biggest units, one each.
    missing = total - sum(sizes)
    for unit in sorted(units, key=lambda u: -u.weight)[: max(0, missing)]:
        unit.members += 1
    if missing < 0:  # only when total < MIN_MEMBERS * len(units) with floor 0: cannot happen
        raise AssertionError("allocation overshoot")


def _csv(units: list[_Cdcs], faker: MemberFaker, until: dt.date) -> tuple[bytes, list[_Member]]:
    buffer = io.StringIO()
    out = csv.writer(buffer)
    out.writerow(HEADER)
    people: list[_Member] = []
    i = 0
    for unit in units:
        join_from = max(JOIN_FROM, unit.founded_on)
        code = unit.code

        def pick(code: str = code) -> str:
            return code

        for _ in range(unit.members):
            row = faker.row(i, pick, join_from=join_from, join_until=until, female=unit.female)
            out.writerow(row)
            people.append(_Member(unit, row[4], _parse(row[6]), row[3] == "Nữ", _parse(row[2]).year))
            i += 1
    return buffer.getvalue().encode("utf-8-sig"), people


@dataclass
class _Plan:
    transfers: list[tuple[_Member, _Cdcs, dt.date]]
    leavers: list[tuple[_Member, dt.date, str, bool]]


def _day_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(max(1, (end - start).days + 1)))


def _plan(rng: random.Random, people: list[_Member], units: list[_Cdcs], until: dt.date) -> _Plan:
    """Who transfers where and who leaves, when (dates after joining, within 2023–2025)."""
    n = len(people)
    transfers: list[tuple[_Member, _Cdcs, dt.date]] = []
    leavers: list[tuple[_Member, dt.date, str, bool]] = []
    if n < 50 or len(units) < 2:
        return _Plan(transfers, leavers)
    n_transfers = round(TRANSFERS * n / DEFAULT_MEMBERS)
    n_leavers = round(LEAVERS * n / DEFAULT_MEMBERS)
    chosen = rng.sample(range(n), min(n // 10, n_transfers + n_leavers))
    for index in chosen[:n_transfers]:
        member = people[index]
        target = rng.choice(units)
        start = max(member.join + dt.timedelta(days=1), dt.date(2023, 1, 1), target.founded_on)
        if target is member.cdcs or start > until:
            continue
        transfers.append((member, target, _day_between(rng, start, until)))
    reasons = [r for r, _, w in LEAVE_REASONS for _ in range(w)]
    for index in chosen[n_transfers:]:
        member = people[index]
        start = max(member.join + dt.timedelta(days=1), dt.date(2023, 1, 1))
        if start > until:
            continue
        reason = rng.choice(reasons)
        if reason == "Nghỉ hưu" and member.birth_year > 1968:
            reason = "Nghỉ việc, chấm dứt hợp đồng lao động"
        removed = next(r for text, r, _ in LEAVE_REASONS if text == reason)
        leavers.append((member, _day_between(rng, start, until), reason, removed))
    return _Plan(transfers, leavers)


def _count_on_days(units: list[_Cdcs], people: list[_Member], plan: _Plan) -> None:
    """Members (and women) of each CĐCS on each workforce day, after the planned moves."""
    spells: list[tuple[_Cdcs, bool, dt.date, dt.date | None]] = []
    ended: dict[str, dt.date] = {}
    for member, target, day in plan.transfers:
        ended[member.cccd] = day
        spells.append((target, member.female, day, None))
    for member, day, _reason, _removed in plan.leavers:
        ended[member.cccd] = day
    spells += [(m.cdcs, m.female, m.join, ended.get(m.cccd)) for m in people]
    for unit in units:
        unit.on_day = [[0, 0] for _ in WORKFORCE_DAYS]
    for unit, female, start, end in spells:
        for k, day in enumerate(WORKFORCE_DAYS):
            if start <= day and (end is None or end > day):
                unit.on_day[k][0] += 1
                unit.on_day[k][1] += female


def load_members(
    total: int = DEFAULT_MEMBERS, *, stdout: Writer | None = None, today: dt.date | None = None
) -> dict[str, Any]:
    """Give the demo federation ``total`` members (see the module docstring); {} if any exist."""
    from congdoan.org.models import OrgUnit

    from . import services
    from .member_import import import_members
    from .models import Membership

    if members_loaded() or total <= 0:
        return {}
    started = time.monotonic()

    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(f"[{time.monotonic() - started:5.1f} giây] {message}\n")

    today = today or timezone.localdate()
    until = min(JOIN_UNTIL, today)
    rng = random.Random(SEED)
    units = _units(rng, until)
    _allocate(units, total)
    say(f"Tạo danh sách {total:,} đoàn viên mẫu cho {len(units):,} CĐCS…".replace(",", "."))
    data, people = _csv(units, MemberFaker(rng), until)
    plan = _plan(rng, people, units, until)
    _count_on_days(units, people, plan)
    with transaction.atomic():
        say("Nhập đoàn viên qua chức năng nhập tệp (import_members)…")
        source = io.BytesIO(data)
        source.name = "doan_vien_mau.csv"
        result = import_members(actor=None, source=source)
        if result.errors:
            details = "; ".join(f"dòng {e.row} {e.column}: {e.message}" for e in result.errors[:10])
            raise RuntimeError(f"Nhập đoàn viên mẫu thất bại ({len(result.errors)} lỗi): {details}")
        say(f"Chuyển sinh hoạt {len(plan.transfers)} và thôi sinh hoạt {len(plan.leavers)} đoàn viên…")
        cccds = [m.cccd for m, _t, _d in plan.transfers] + [m.cccd for m, *_rest in plan.leavers]
        active = {
            ms.person.cccd: ms
            for ms in Membership.objects.filter(person__cccd__in=cccds, status=Membership.Status.ACTIVE)
            .select_related("person", "cdcs")
            .order_by("id")
        }
        targets = {u.pk: u for u in OrgUnit.objects.filter(pk__in={t.pk for _m, t, _d in plan.transfers})}
        for member, target, day in plan.transfers:
            services.member_transfer(
                actor=None,
                membership=active[member.cccd],
                to=targets[target.pk],
                on=day,
                reason=TRANSFER_REASON,
            )
        for member, day, reason, removed in plan.leavers:
            services.member_leave(
                actor=None, membership=active[member.cccd], on=day, reason=reason, removed=removed
            )
        say("Ghi số lao động của từng CĐCS (cuối năm 2024 và 2025)…")
        counts = _workforce(rng, units, today)
    by_status = Counter(Membership.objects.values_list("status", flat=True))
    say(f"Xong: {result.created:,} đoàn viên.".replace(",", "."))
    return {
        "members": result.created,
        "cdcs": len(units),
        "transfers": len(plan.transfers),
        "leavers": len(plan.leavers),
        "workforce_counts": counts,
        "by_status": dict(by_status),
        "seconds": time.monotonic() - started,
    }


def _workforce(rng: random.Random, units: list[_Cdcs], today: dt.date) -> int:
    from congdoan.org.models import OrgUnit

    from . import services

    objects = OrgUnit.objects.in_bulk([u.pk for u in units])
    written = 0
    for unit in units:
        coverage = unit.coverage
        for k, day in enumerate(WORKFORCE_DAYS):
            members, women = unit.on_day[k]
            if day > today or members == 0 or day < unit.founded_on:
                continue
            # Coverage creeps up over the years as the CĐCS recruits.
            share = max(
                0.5, min(0.97, coverage - 0.03 * (len(WORKFORCE_DAYS) - 1 - k) + rng.uniform(-0.02, 0.02))
            )
            workers = max(members, math.ceil(members / share))
            women_workers = min(workers, max(women, round(women / share)))
            services.workforce_set(
                actor=None, cdcs=objects[unit.pk], as_of=day, workers=workers, women=women_workers
            )
            written += 1
    return written


# -- ``congdoan demo`` (registered in ``MembersConfig.ready``) --------------------------------------------


def _n(value: int) -> str:
    """1234 → 1.234 (Vietnamese thousands separator)."""
    return f"{value:,}".replace(",", ".")


def demo_command_arguments(parser: Any) -> None:
    """``congdoan demo --members N``."""
    parser.add_argument(
        "--members",
        type=int,
        default=None,
        help=(
            f"Số đoàn viên mẫu (mặc định {_n(DEFAULT_MEMBERS)} × hệ số quy mô; 0: không nạp); "
            "chỉ nạp khi chưa có đoàn viên nào."
        ),
    )


def demo_command_members(run: Any) -> dict[str, Any]:
    """The demo's members through the importer (``run``: a ``core.registry.DemoRun``)."""
    out = run.stdout
    members = run.options.get("members")
    if members is None:
        members = round(DEFAULT_MEMBERS * run.options["scale"])
    if members > 0 and members_loaded():
        out.write("Đoàn viên mẫu đã có sẵn, không nạp lại.")
        return {}
    if members <= 0:
        return {}
    out.write(f"Đang nạp {_n(members)} đoàn viên mẫu qua chức năng nhập tệp…")
    started = time.monotonic()
    loaded = load_members(members, stdout=out)
    out.write(
        f"Đã nạp {_n(loaded['members'])} đoàn viên vào {_n(loaded['cdcs'])} CĐCS "
        f"({loaded['transfers']} chuyển sinh hoạt, {loaded['leavers']} thôi sinh hoạt, "
        f"{_n(loaded['workforce_counts'])} số liệu lao động) "
        f"trong {time.monotonic() - started:.1f} giây."
    )
    return loaded
