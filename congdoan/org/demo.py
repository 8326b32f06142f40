"""The demo federation: LĐLĐ thành phố Hà Nội before and after the 2025 restructuring (domain.md §1.3).

``load_demo`` builds it through the org services (actor ``None``, the system), deterministically
(``random.Random(2025)``), inside one transaction:

- TLĐ → HN; HN's 40 level-3 unions (30 LĐLĐ quận/huyện/thị xã, 7 sectoral unions, CĐ Viên chức,
  CĐ Cơ quan LĐLĐ TP, CĐ các KCN-KCX) founded 01/01/1990, plus 3 corporation unions that survive 2025;
- about 3,000 CĐCS (× ``scale``) and a few nghiệp đoàn, each placed in an old district and locality,
  with employers for most enterprise CĐCS and some employers without a CĐCS (the organising pipeline);
- the 2024 emulation clusters;
- 15/06/2025: CĐCS of administrative agencies under CĐ Viên chức end (Công văn 4133/TLĐ-ToC);
- 30/06/2025: the 40 level-3 unions end, their CĐCS pass to HN;
- 01/07/2025: ward/commune unions and Công đoàn Khu công nghệ cao và các KCN Hà Nội are set up;
- 01/08/2025: most CĐCS move to the union of their locality (some stay directly under HN);
- demo users with dated role assignments.

The place data (districts before 2025, some of their old wards/communes, the new wards), the name
pools, key dates, unit codes and demo accounts are in :mod:`congdoan.org.demo_data`.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.contrib.auth.hashers import make_password
from django.db import transaction

from congdoan.accounts.models import Role, RoleAssignment, User
from congdoan.core.formatting import format_number
from congdoan.core.registry import DemoRun
from congdoan.core.text import fold

from . import services
from .demo_data import (
    BRANDS,
    BUSINESSES,
    CITY_AGENCIES,
    CITY_CODE,
    CITY_HOSPITALS,
    CITY_PUBLIC_UNITS,
    CITY_UNIONS,
    CLUSTER_YEAR,
    CLUSTERS,
    COLLEGES,
    COOPERATIVES,
    CORPORATION_UNIONS,
    DEMO_USERS,
    DISTRICT_TOTAL,
    DISTRICT_WEIGHT,
    DISTRICTS,
    END_LEVEL3,
    ENTERPRISE_SECTORS,
    FOREIGN,
    FOREIGN_BUSINESS,
    INDUSTRIAL_ZONES,
    KIMLIEN_CODE,
    MOVE_DAY,
    NEW_IZ_CODE,
    NEW_IZ_NAME,
    NEW_LOCAL_UNIONS,
    NEW_UNITS,
    NGHIEP_DOAN,
    OLD,
    ROOT_CODE,
    SECTOR_CLUSTERS,
    STATE_COMPANIES,
    TCT_CDCS,
    URBAN,
    VC_STOP,
)
from .demo_data import (
    GIALAM_CODE as GIALAM_CODE,  # re-exported: tests import it from here
)
from .models import Employer, EmulationCluster, OrgUnit, Sector, UnitType

# Printed by `congdoan demo`; long enough for the password policy (AUTH_PASSWORD_VALIDATORS).
DEMO_PASSWORD = "DungThu@2025"
SEED = 2025


def district_code(name: str) -> str:
    """``Gia Lâm`` → ``HN-GIALAM``."""
    return "HN-" + fold(name).replace(" ", "").upper()


def tax_code_check_digit(first9: str) -> int | None:
    """The 10th digit of a Vietnamese tax code, or None if these 9 digits cannot form one."""
    weights = (31, 29, 23, 19, 17, 13, 7, 5, 3)
    check = 10 - sum(int(d) * w for d, w in zip(first9, weights, strict=True)) % 11
    return None if check == 10 else check


class Writer(Protocol):
    def write(self, msg: str) -> Any: ...


# -- building ----------------------------------------------------------------------------------


@dataclass
class _Cdcs:
    unit: OrgUnit
    district: str
    locality: str
    parent_code: str


@dataclass
class _Builder:
    rng: random.Random
    scale: float
    out: Writer | None
    units: dict[str, OrgUnit] = field(default_factory=dict)
    cdcs: list[_Cdcs] = field(default_factory=list)
    used_names: set[str] = field(default_factory=set)
    used_tax: set[str] = field(default_factory=set)
    seq: Counter = field(default_factory=Counter)
    employers: int = 0
    started: float = field(default_factory=time.monotonic)

    def say(self, message: str) -> None:
        if self.out is not None:
            self.out.write(f"[{time.monotonic() - self.started:5.1f} giây] {message}\n")

    def scaled(self, n: int, minimum: int = 1) -> int:
        return max(minimum, round(n * self.scale))

    def create(
        self, code: str, name: str, type_: str, parent: OrgUnit | None, on: dt.date, **kw: Any
    ) -> OrgUnit:
        unit = services.unit_create(
            actor=None, code=code, name=name, type=type_, parent=parent, valid_from=on, founded_on=on, **kw
        )
        self.units[code] = unit
        return unit

    def founding_day(self) -> dt.date:
        # Grassroots unions founded over 35 years, more of them recently.
        span = (dt.date(2024, 12, 31) - dt.date(1990, 6, 1)).days
        return dt.date(1990, 6, 1) + dt.timedelta(days=int(span * self.rng.random() ** 0.7))

    def tax_code(self) -> str:
        while True:
            first9 = "01" + "".join(str(self.rng.randrange(10)) for _ in range(7))
            check = tax_code_check_digit(first9)
            code = f"{first9}{check}"
            if check is not None and code not in self.used_tax:
                self.used_tax.add(code)
                return code

    def unique(self, make: Any) -> str | None:
        for _ in range(30):
            name = make()
            if name not in self.used_names:
                self.used_names.add(name)
                return name
        return None

    # -- names --
    def company(self, sector: str, district: str, locality: str) -> str:
        rng = self.rng

        def make() -> str:
            if sector == Sector.FDI:
                return f"Công ty TNHH {rng.choice(FOREIGN_BUSINESS)} {rng.choice(FOREIGN)} Việt Nam"
            if sector == Sector.DN_NHA_NUOC:
                return rng.choice(STATE_COMPANIES).format(b=rng.choice([district, locality, *BRANDS[:20]]))
            if sector == Sector.HTX:
                return rng.choice(COOPERATIVES).format(l=locality, b=rng.choice(BRANDS))
            form = rng.choice(["TNHH", "TNHH", "Cổ phần", "TNHH MTV"])
            brand = rng.choice([*BRANDS, locality]) if rng.random() < 0.8 else district
            return f"Công ty {form} {rng.choice(BUSINESSES)} {brand}"

        name = self.unique(make)
        while name is None:  # pool exhausted: number the name
            self.seq["company"] += 1
            name = self.unique(lambda: f"{make()} {self.seq['company']}")
        return name

    def public_unit(self, district: str, kind: str, locality: str) -> str | None:
        rng = self.rng
        area = f"{kind} {district}"
        options = [
            f"Trường Mầm non {locality}",
            f"Trường Tiểu học {locality}",
            f"Trường THCS {locality}",
            f"Trường Mầm non {locality} B",
            f"Trường Tiểu học {locality} B",
            f"Trung tâm Y tế {area}",
            f"Bệnh viện Đa khoa {district}",
            f"Trung tâm Văn hóa - Thông tin {area}",
            f"Ban Quản lý dự án đầu tư xây dựng {area}",
            f"Trung tâm Giáo dục nghề nghiệp - GDTX {area}",
        ]
        return self.unique(lambda: rng.choice(options))

    def public_in_place(
        self, options: Callable[[str, str, str], list[str]]
    ) -> tuple[str | None, tuple[str, str, str]]:
        """A not yet used name from ``options(district, kind, locality)``, trying several places."""
        place = self.place()
        for _ in range(20):
            name = self.unique(lambda p=place: self.rng.choice(options(*p)))
            if name is not None:
                return name, place
            place = self.place()
        return None, place

    def add_cdcs(
        self,
        parent: OrgUnit,
        name: str,
        sector: str,
        district: str,
        locality: str,
        type_: str = UnitType.CDCS,
        employer: bool = True,
    ) -> OrgUnit:
        self.seq[parent.code] += 1
        code = f"{parent.code}-{self.seq[parent.code]:04d}"
        prefix = "CĐCS " if type_ == UnitType.CDCS else ""
        on = self.founding_day()
        unit = self.create(
            code, prefix + name, type_, parent, on, sector=sector, address=f"{locality}, {district}, Hà Nội"
        )
        self.cdcs.append(_Cdcs(unit, district, locality, parent.code))
        if employer and sector in ENTERPRISE_SECTORS and self.rng.random() < 0.9:
            self.employer(name, sector, unit, unit, district, locality, pays=self.rng.random() < 0.85)
        return unit

    def employer(
        self,
        name: str,
        sector: str,
        unit: OrgUnit,
        cdcs: OrgUnit | None,
        district: str,
        locality: str,
        pays: bool,
    ) -> Employer:
        rng = self.rng
        ranges: dict[str, tuple[int, int]] = {
            Sector.FDI: (150, 6000),
            Sector.DN_NHA_NUOC: (80, 2500),
            Sector.HTX: (8, 60),
        }
        low, high = ranges.get(sector, (10, 600))
        workforce = int(low * (high / low) ** (rng.random() ** 1.5))
        self.employers += 1
        return services.employer_create(
            actor=None,
            name=name,
            tax_code=self.tax_code(),
            sector=sector,
            workforce=workforce,
            pays_union_funding=pays,
            unit=unit,
            cdcs=cdcs,
            address=f"{locality}, {district}, Hà Nội",
        )

    def pick_sector(self, weights: Mapping[Any, int]) -> str:
        sectors = list(weights)
        return self.rng.choices(sectors, weights=[weights[s] for s in sectors])[0]

    def place(self, districts: list[str] | None = None, urban_bias: float = 0.7) -> tuple[str, str, str]:
        """A (district, kind, locality), inner districts more likely."""
        rng = self.rng
        pool = [d for d in DISTRICTS if districts is None or d[0] in districts]
        if districts is None:
            urban = [d for d in pool if d[0] in URBAN]
            pool = urban if rng.random() < urban_bias else pool
        name, kind, localities = rng.choice(pool)
        return name, kind, rng.choice(localities)


def _district_unit_cdcs(b: _Builder) -> None:
    total_weight = sum(DISTRICT_WEIGHT.get(name, 2) for name, _, _ in DISTRICTS)
    mix = {Sector.HCSN: 38, Sector.DN_NGOAI_NHA_NUOC: 45, Sector.DN_NHA_NUOC: 6, Sector.FDI: 5, Sector.HTX: 6}
    for name, kind, localities in DISTRICTS:
        parent = b.units[district_code(name)]
        n = b.scaled(DISTRICT_TOTAL * DISTRICT_WEIGHT.get(name, 2) // total_weight, minimum=2)
        for i in range(n):
            # The first CĐCS of each district sits in its first (central) locality.
            locality = localities[0] if i == 0 else b.rng.choice(localities)
            sector = b.pick_sector(mix)
            unit_name = b.public_unit(name, kind, locality) if sector == Sector.HCSN else None
            if unit_name is None:
                if sector == Sector.HCSN:
                    sector = Sector.DN_NGOAI_NHA_NUOC
                unit_name = b.company(sector, name, locality)
            b.add_cdcs(parent, unit_name, sector, name, locality)


def _city_union_cdcs(b: _Builder) -> None:
    rng = b.rng
    for code, _name, _short, _type, n in CITY_UNIONS:
        parent = b.units[code]
        for i in range(b.scaled(n)):
            district, kind, locality = b.place()
            sector: str = Sector.HCSN
            unit_name: str | None = None
            if code == "HN-GIAODUC":
                if i < len(COLLEGES) and rng.random() < 0.3:
                    unit_name = b.unique(lambda i=i: COLLEGES[i])
                else:
                    unit_name, (district, kind, locality) = b.public_in_place(
                        lambda d, k, lo: [f"Trường THPT {lo}", f"Trường THPT {d}"]
                    )
            elif code == "HN-YTE":
                unit_name, (district, kind, locality) = b.public_in_place(
                    lambda d, k, lo: [
                        *CITY_HOSPITALS,
                        f"Trung tâm Y tế {k} {d}",
                        f"Bệnh viện Đa khoa {d}",
                        f"Phòng khám Đa khoa khu vực {lo}",
                    ]
                )
            elif code == "HN-VIENCHUC":
                unit_name = b.unique(lambda: rng.choice(CITY_AGENCIES + CITY_PUBLIC_UNITS))
            elif code == "HN-COQUAN":
                unit_name = b.unique(
                    lambda: rng.choice(
                        [
                            "Cơ quan Liên đoàn Lao động thành phố Hà Nội",
                            "Báo Lao động Thủ đô",
                            "Nhà văn hóa Lao động Hà Nội",
                            "Trường Trung cấp nghề Công đoàn Hà Nội",
                            "Nhà khách Công đoàn Hà Nội",
                        ]
                    )
                )
            elif code == "HN-KCN":
                zone, district = rng.choice(INDUSTRIAL_ZONES)
                locality = zone
                sector = b.pick_sector({Sector.FDI: 75, Sector.DN_NGOAI_NHA_NUOC: 25})
                unit_name = b.company(sector, district, district)
            else:
                sector = b.pick_sector(
                    {Sector.DN_NGOAI_NHA_NUOC: 60, Sector.DN_NHA_NUOC: 25, Sector.FDI: 10, Sector.HTX: 5}
                )
                if code == "HN-DETMAY":
                    sector = Sector.FDI if rng.random() < 0.3 else Sector.DN_NGOAI_NHA_NUOC
                    unit_name = b.unique(
                        lambda d=district, lo=locality: (
                            f"Công ty {rng.choice(['TNHH', 'Cổ phần'])} "
                            f"{rng.choice(['May', 'Dệt may', 'May mặc'])} {rng.choice([*BRANDS, lo, d])}"
                        )
                    )
                elif code == "HN-NNPTNT":
                    sector = Sector.HTX if rng.random() < 0.3 else sector
            if unit_name is None:
                if sector == Sector.HCSN:
                    sector = Sector.DN_NGOAI_NHA_NUOC
                unit_name = b.company(sector, district, locality)
            b.add_cdcs(parent, unit_name, sector, district, locality)
    for code, _name, _short, n in CORPORATION_UNIONS:
        parent = b.units[code]
        names = TCT_CDCS[code][: b.scaled(n)]
        for unit_name in names:
            district, _kind, locality = b.place(urban_bias=1.0)
            b.add_cdcs(parent, unit_name, Sector.DN_NHA_NUOC, district, locality)


def _pipeline_employers(b: _Builder) -> list[tuple[Employer, str, str]]:
    """Employers without a CĐCS, attached to their district union (the organising pipeline)."""
    out = []
    for _ in range(b.scaled(300, minimum=3)):
        district, _kind, locality = b.place(urban_bias=0.5)
        sector = b.pick_sector({Sector.DN_NGOAI_NHA_NUOC: 80, Sector.FDI: 10, Sector.HTX: 10})
        name = b.company(sector, district, locality)
        employer = b.employer(
            name,
            sector,
            b.units[district_code(district)],
            None,
            district,
            locality,
            pays=b.rng.random() < 0.3,
        )
        out.append((employer, district, locality))
    return out


def _successor_map() -> tuple[dict[tuple[str, str], str], dict[str, str]]:
    by_locality: dict[tuple[str, str], str] = {}
    by_district: dict[str, str] = {}
    for code, _name, district, localities in NEW_LOCAL_UNIONS:
        if localities:
            for loc in localities:
                by_locality[(district, loc)] = code
        else:
            by_district[district] = code
    return by_locality, by_district


def _cluster(b: _Builder, name: str, codes: list[str], leader: str, deputy: str) -> EmulationCluster:
    return services.cluster_create(
        actor=None,
        name=name,
        year=CLUSTER_YEAR,
        organiser=b.units[CITY_CODE],
        members=[b.units[c] for c in codes],
        leader=b.units[leader],
        deputy=b.units[deputy],
    )


def _restructure(b: _Builder, pipeline: list[tuple[Employer, str, str]]) -> None:
    rng = b.rng
    hn = b.units[CITY_CODE]
    # 15/6/2025: administrative agencies stop collecting dues; their CĐCS end.
    for item in b.cdcs:
        if item.parent_code == "HN-VIENCHUC" and item.unit.name.removeprefix("CĐCS ") in CITY_AGENCIES:
            if rng.random() < 0.7:
                services.unit_dissolve(
                    actor=None,
                    unit=item.unit,
                    on=VC_STOP,
                    reason="Dừng thu đoàn phí, kinh phí công đoàn theo Công văn 4133/TLĐ-ToC",
                )
    b.say("Chấm dứt hoạt động 40 công đoàn cấp trên trực tiếp cơ sở (30/06/2025)…")
    level3 = [district_code(name) for name, _, _ in DISTRICTS] + [c[0] for c in CITY_UNIONS]
    for code in level3:
        unit = b.units[code]
        services.unit_dissolve(
            actor=None,
            unit=unit,
            on=END_LEVEL3,
            children_to=hn,
            reason="Chấm dứt hoạt động theo Đề án sắp xếp tổ chức công đoàn; CĐCS chuyển về LĐLĐ Thành phố",
        )
        unit.refresh_from_db()
    b.say("Thành lập công đoàn xã, phường và Công đoàn Khu công nghệ cao và các KCN (01/07/2025)…")
    for code, name, _district, _locs in NEW_LOCAL_UNIONS:
        b.create(code, name, UnitType.CD_XA, hn, NEW_UNITS, short_name=name.removeprefix("Công đoàn "))
    iz = b.create(
        NEW_IZ_CODE, NEW_IZ_NAME, UnitType.CD_KCN, hn, NEW_UNITS, short_name="CĐ Khu CNC và các KCN"
    )
    by_locality, by_district = _successor_map()
    b.say("Chuyển CĐCS về công đoàn xã, phường theo địa bàn (01/08/2025)…")
    first_in_kimlien = False
    moves: dict[str, tuple[OrgUnit, list[OrgUnit]]] = {}
    for item in b.cdcs:
        unit = item.unit
        if not unit.is_alive_on(MOVE_DAY) or item.parent_code.startswith("HN-TCT-"):
            continue
        if item.parent_code == "HN-KCN":
            target = iz
        else:
            new_code = by_locality.get((item.district, item.locality)) or by_district.get(item.district)
            # Some CĐCS stay directly under LĐLĐ TP (large units, or no qualifying ward/commune union);
            # the first one of Kim Liên always moves, so its officers have a CĐCS at any scale.
            keep_first = new_code == KIMLIEN_CODE and not first_in_kimlien
            if new_code is None or (rng.random() < 0.08 and not keep_first):
                continue
            first_in_kimlien = first_in_kimlien or new_code == KIMLIEN_CODE
            target = b.units[new_code]
        moves.setdefault(target.code, (target, []))[1].append(unit)
    for target, units in moves.values():
        services.units_move(
            actor=None,
            units=units,
            new_parent=target,
            on=MOVE_DAY,
            reason=f"Bàn giao về {target.name} theo địa bàn",
        )
    # Employers without a CĐCS follow their area to the new union (or LĐLĐ TP).
    for employer, district, locality in pipeline:
        code = by_locality.get((district, locality)) or by_district.get(district) or CITY_CODE
        services.employer_update(actor=None, employer=employer, unit=b.units[code])


def _users(b: _Builder) -> None:
    kimlien = b.units[KIMLIEN_CODE]
    cdcs_unit = (
        OrgUnit.objects.filter(
            type=UnitType.CDCS,
            parent_links__parent=kimlien,
            parent_links__valid_to__isnull=True,
        )
        .order_by("code")
        .first()
    )
    password = make_password(DEMO_PASSWORD)
    for username, full_name, role, code in DEMO_USERS:
        user = User.objects.filter(username=username).first() or User(username=username)
        user.full_name = full_name
        user.is_superuser = user.is_staff = role == Role.ADMINISTRATOR
        user.password = password  # one hash for the shared demo password (set_password: slow)
        user.save()
        unit = b.units.get(code) if code else (cdcs_unit if role == Role.CDCS_OFFICER else None)
        if unit is not None:
            RoleAssignment.objects.get_or_create(
                user=user, unit=unit, role=role, defaults={"valid_from": dt.date(2000, 1, 1)}
            )


def demo_loaded() -> bool:
    return OrgUnit.objects.filter(code=CITY_CODE).exists()


def load_demo(scale: float = 1.0, stdout: Writer | None = None) -> dict[str, Any]:
    """Build the demo federation unless unit ``HN`` exists; returns counts (empty if already loaded)."""
    if demo_loaded():
        return {}
    b = _Builder(rng=random.Random(SEED), scale=scale, out=stdout)
    b.used_names.update(name for names in TCT_CDCS.values() for name in names)
    with transaction.atomic():
        root = OrgUnit.objects.filter(code=ROOT_CODE).first() or b.create(
            ROOT_CODE,
            "Tổng Liên đoàn Lao động Việt Nam",
            UnitType.TLD,
            None,
            dt.date(1929, 7, 28),
            short_name="Tổng LĐLĐ Việt Nam",
        )
        b.units[ROOT_CODE] = root
        hn = b.create(
            CITY_CODE,
            "Liên đoàn Lao động thành phố Hà Nội",
            UnitType.LDLD_TINH,
            root,
            OLD,
            short_name="LĐLĐ TP Hà Nội",
            address="Số 1 phố Lý Thái Tổ, Hoàn Kiếm, Hà Nội",
        )
        b.say("Tạo 40 công đoàn cấp trên trực tiếp cơ sở và công đoàn tổng công ty…")
        for name, kind, _ in DISTRICTS:
            b.create(
                district_code(name), f"LĐLĐ {kind} {name}", UnitType.LDLD_HUYEN, hn, OLD, short_name=name
            )
        for code, name, short, type_, _n in CITY_UNIONS:
            b.create(code, name, type_, hn, OLD, short_name=short)
        for code, name, short, _n in CORPORATION_UNIONS:
            b.create(code, name, UnitType.CD_TCT, hn, OLD, short_name=short, sector=Sector.DN_NHA_NUOC)
        b.say("Tạo công đoàn cơ sở, nghiệp đoàn và đơn vị sử dụng lao động…")
        _district_unit_cdcs(b)
        _city_union_cdcs(b)
        for name, district, locality in NGHIEP_DOAN:
            b.add_cdcs(
                b.units[district_code(district)],
                name,
                Sector.KHAC,
                district,
                locality,
                type_=UnitType.NGHIEP_DOAN,
                employer=False,
            )
        pipeline = _pipeline_employers(b)
        b.say("Tạo cụm thi đua năm 2024…")
        for name, members, leader, deputy in CLUSTERS:
            _cluster(
                b, name, [district_code(m) for m in members], district_code(leader), district_code(deputy)
            )
        for name, codes, leader, deputy in SECTOR_CLUSTERS:
            _cluster(b, name, codes, leader, deputy)
        _restructure(b, pipeline)
        b.say("Tạo tài khoản dùng thử…")
        _users(b)
    counts = demo_counts()
    b.say(f"Xong: {sum(counts['units'].values())} đơn vị, {counts['employers']} đơn vị sử dụng lao động.")
    return counts


def demo_counts() -> dict[str, Any]:
    """Units by type, employers and clusters currently in the database."""
    return {
        "units": Counter(OrgUnit.objects.values_list("type", flat=True)),
        "employers": Employer.objects.count(),
        "employers_without_cdcs": Employer.objects.filter(cdcs__isnull=True).count(),
        "clusters": EmulationCluster.objects.count(),
        "kimlien_cdcs": OrgUnit.objects.filter(
            parent_links__parent__code=KIMLIEN_CODE, parent_links__valid_to__isnull=True
        ).count(),
    }


def demo_logins() -> list[dict[str, str]]:
    """The demo accounts as they are in the database: username, full name, role and unit, for printing."""
    rows = []
    for username, _full_name, role, _code in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        assignment = (
            RoleAssignment.objects.filter(user=user).select_related("unit").order_by("valid_from").first()
        )
        if user.is_superuser:
            role_label, unit_label = Role.ADMINISTRATOR.label, "Toàn hệ thống"
        elif assignment is not None:
            role_label, unit_label = assignment.get_role_display(), assignment.unit.name
            if assignment.unit.dissolved_on:
                unit_label += (
                    f" (đã chấm dứt hoạt động từ {assignment.unit.dissolved_on:%d/%m/%Y}: chỉ xem lịch sử)"
                )
        else:
            role_label, unit_label = Role(role).label, ""
        rows.append(
            {"username": username, "full_name": user.full_name, "role": role_label, "unit": unit_label}
        )
    return rows


# -- ``congdoan demo`` (registered in ``OrgConfig.ready``) ----------------------------------------------


def demo_command_units(run: DemoRun) -> dict[str, Any]:
    """The federation's tree, employers, clusters and demo accounts, with the command's lines."""
    out = run.stdout
    if demo_loaded():
        out.write("Dữ liệu mẫu đã có sẵn, không nạp lại.")
        return {}
    out.write("Đang nạp dữ liệu mẫu LĐLĐ thành phố Hà Nội…")
    started = time.monotonic()
    counts = load_demo(scale=run.options["scale"], stdout=out)
    units, employers = format_number(sum(counts["units"].values())), format_number(counts["employers"])
    out.write(
        f"Đã nạp {units} đơn vị, {employers} đơn vị sử dụng lao động, "
        f"{counts['clusters']} cụm thi đua trong {time.monotonic() - started:.1f} giây."
    )
    return counts


def demo_command_logins(run: DemoRun) -> None:
    """The demo accounts, printed last (after every app has loaded its data)."""
    out = run.stdout
    out.write("")
    out.write(run.style.SUCCESS("Tài khoản dùng thử") + f" (mật khẩu chung: {DEMO_PASSWORD})")
    for row in demo_logins():
        out.write(f"  {row['username']:<10} {row['full_name']} — {row['role']}")
        if row["unit"]:
            out.write(f"  {'':<10} Đơn vị: {row['unit']}")
    out.write("")
