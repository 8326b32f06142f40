"""Org units, their dated parent links, employers and emulation clusters.

Dates follow one rule everywhere: a range is ``[start, end)`` — ``valid_to`` and ``dissolved_on`` are
the first day the link or the unit no longer holds. A district federation that "ended on 30/6/2025"
has ``dissolved_on = 2025-06-30`` and its last day is 29/6/2025.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q

from congdoan.core.text import fold, vi_sort_key


class UnitType(models.TextChoices):
    TLD = "TLD", "Tổng Liên đoàn Lao động Việt Nam"
    LDLD_TINH = "LDLD_TINH", "LĐLĐ tỉnh, thành phố"
    CDN_TW = "CDN_TW", "Công đoàn ngành Trung ương"
    LDLD_HUYEN = "LDLD_HUYEN", "LĐLĐ quận, huyện, thị xã"
    CD_NGANH = "CD_NGANH", "Công đoàn ngành địa phương"
    CD_VIEN_CHUC = "CD_VIEN_CHUC", "Công đoàn viên chức"
    CD_KCN = "CD_KCN", "Công đoàn các khu công nghiệp"
    CD_TCT = "CD_TCT", "Công đoàn tổng công ty"
    CD_XA = "CD_XA", "Công đoàn xã, phường, đặc khu"
    CDCS = "CDCS", "Công đoàn cơ sở"
    NGHIEP_DOAN = "NGHIEP_DOAN", "Nghiệp đoàn"
    CDCS_TV = "CDCS_TV", "CĐCS thành viên"
    CD_BO_PHAN = "CD_BO_PHAN", "Công đoàn bộ phận"
    TO_CD = "TO_CD", "Tổ công đoàn"


# The charter's levels (domain.md §1.1); a parent must sit at a higher level (smaller number).
UNIT_LEVEL: dict[str, int] = {
    UnitType.TLD: 1,
    UnitType.LDLD_TINH: 2,
    UnitType.CDN_TW: 2,
    UnitType.LDLD_HUYEN: 3,
    UnitType.CD_NGANH: 3,
    UnitType.CD_VIEN_CHUC: 3,
    UnitType.CD_KCN: 3,
    UnitType.CD_TCT: 3,
    UnitType.CD_XA: 3,
    UnitType.CDCS: 4,
    UnitType.NGHIEP_DOAN: 4,
    UnitType.CDCS_TV: 5,
    UnitType.CD_BO_PHAN: 5,
    UnitType.TO_CD: 5,
}
GRASSROOTS_TYPES = (UnitType.CDCS, UnitType.NGHIEP_DOAN)


def alive_on(founded_on: dt.date | None, dissolved_on: dt.date | None, day: dt.date) -> bool:
    """Whether a unit lives on ``day``: founded by then (or always there), not yet ended (a unit is
    gone on its ``dissolved_on``). The one rule; ``alive_on_q`` says it in SQL."""
    return (founded_on is None or founded_on <= day) and (dissolved_on is None or dissolved_on > day)


def alive_on_q(day: dt.date) -> Q:
    """``alive_on`` as a filter on org units."""
    return (Q(founded_on__isnull=True) | Q(founded_on__lte=day)) & (
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=day)
    )


class Sector(models.TextChoices):
    HCSN = "HCSN", "Hành chính sự nghiệp"
    DN_NHA_NUOC = "DN_NHA_NUOC", "Doanh nghiệp nhà nước"
    DN_NGOAI_NHA_NUOC = "DN_NGOAI_NHA_NUOC", "Doanh nghiệp ngoài nhà nước"
    FDI = "FDI", "Doanh nghiệp có vốn đầu tư nước ngoài"
    HTX = "HTX", "Hợp tác xã"
    NGOAI_CONG_LAP = "NGOAI_CONG_LAP", "Đơn vị sự nghiệp ngoài công lập"
    TO_CHUC_NUOC_NGOAI = "TO_CHUC_NUOC_NGOAI", "Tổ chức nước ngoài"
    KHAC = "KHAC", "Khác"


class OrgUnit(models.Model):
    """A union organisation at any level: the city federation, a district federation, a CĐCS, ..."""

    code = models.CharField("mã đơn vị", max_length=32, unique=True)
    name = models.CharField("tên đơn vị", max_length=255)
    short_name = models.CharField("tên viết tắt", max_length=100, blank=True)
    type = models.CharField("loại đơn vị", max_length=16, choices=UnitType.choices)
    sector = models.CharField("khu vực", max_length=24, choices=Sector.choices, blank=True)
    address = models.CharField("địa chỉ", max_length=255, blank=True)
    phone = models.CharField("điện thoại", max_length=32, blank=True)
    email = models.EmailField("thư điện tử", blank=True)
    founded_on = models.DateField("ngày thành lập", null=True, blank=True)
    dissolved_on = models.DateField(
        "ngày chấm dứt hoạt động",
        null=True,
        blank=True,
        help_text="Ngày đầu tiên đơn vị không còn hoạt động (giải thể, hợp nhất).",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name="hợp nhất vào",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_units",
    )
    # Accent- and case-folded name and code, so "gia lam" finds "LĐLĐ huyện Gia Lâm" on any database.
    search_key = models.CharField(max_length=400, editable=False, db_index=True, default="")
    # Vietnamese collation key of the name (``core.text.vi_sort_key``): tables of units are ordered by it
    # without computing it again for each of a nation's 150,000 names on every request.
    sort_key = models.CharField(max_length=1024, editable=False, default="")  # 4 chars per letter + 2
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        ordering = ["code"]
        indexes = [models.Index(fields=["type", "sector"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(founded_on__isnull=True)
                | Q(dissolved_on__gt=models.F("founded_on")),
                name="orgunit_dissolved_after_founded",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.search_key = unit_search_key(self.code, self.name, self.short_name)
        self.sort_key = unit_sort_key(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("org:unit_detail", args=[self.code])

    @property
    def level(self) -> int:
        return UNIT_LEVEL[self.type]

    @property
    def is_grassroots(self) -> bool:
        return self.type in GRASSROOTS_TYPES

    @property
    def last_day(self) -> dt.date | None:
        return self.dissolved_on - dt.timedelta(days=1) if self.dissolved_on else None

    def is_alive_on(self, day: dt.date) -> bool:
        return alive_on(self.founded_on, self.dissolved_on, day)


def unit_search_key(code: str, name: str, short_name: str = "") -> str:
    return fold(" ".join(part for part in (code, name, short_name) if part))


def unit_sort_key(name: str) -> str:
    return vi_sort_key(name)


class OrgLink(models.Model):
    """``child`` sat under ``parent`` from ``valid_from`` until the day before ``valid_to``."""

    child = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="parent_links")
    parent = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="child_links")
    valid_from = models.DateField("từ ngày")
    valid_to = models.DateField("đến trước ngày", null=True, blank=True)
    reason = models.CharField("lý do", max_length=255, blank=True)

    class Meta:
        verbose_name = "quan hệ trực thuộc"
        verbose_name_plural = "quan hệ trực thuộc"
        ordering = ["child_id", "valid_from"]
        indexes = [
            # Covers the recursive step "children of X on D" without touching the table (bench/README.md).
            models.Index(
                fields=["parent", "valid_from", "valid_to", "child"], name="orglink_children_on_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="orglink_valid_range",
            ),
            models.UniqueConstraint(fields=["child", "valid_from"], name="orglink_one_start_per_day"),
        ]

    def __str__(self) -> str:
        end = f" – {self.valid_to:%d/%m/%Y}" if self.valid_to else ""
        return f"{self.child} → {self.parent} ({self.valid_from:%d/%m/%Y}{end})"


class Employer(models.Model):
    """An employer (doanh nghiệp / đơn vị sử dụng lao động) in a union's area.

    ``unit`` is the union responsible for it: the upper union of its area, or a CĐCS; ``cdcs`` is
    the grassroots union that represents its workers, if there is one (one CĐCS may cover several).
    """

    name = models.CharField("tên đơn vị sử dụng lao động", max_length=255)
    tax_code = models.CharField("mã số thuế", max_length=14, unique=True, null=True, blank=True)
    sector = models.CharField("khu vực", max_length=24, choices=Sector.choices)
    address = models.CharField("địa chỉ", max_length=255, blank=True)
    workforce = models.PositiveIntegerField("số lao động", default=0)
    pays_union_funding = models.BooleanField("đóng kinh phí công đoàn", default=False)
    unit = models.ForeignKey(
        OrgUnit, verbose_name="công đoàn quản lý", on_delete=models.PROTECT, related_name="managed_employers"
    )
    cdcs = models.ForeignKey(
        OrgUnit,
        verbose_name="công đoàn cơ sở",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employers",
    )
    search_key = models.CharField(max_length=400, editable=False, db_index=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "đơn vị sử dụng lao động"
        verbose_name_plural = "đơn vị sử dụng lao động"
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.search_key = fold(" ".join(p for p in (self.name, self.tax_code or "", self.address) if p))
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("org:employer_detail", args=[self.pk])


class EmulationCluster(models.Model):
    """A cụm/khối thi đua of one year, organised by a federation (``organiser``)."""

    name = models.CharField("tên cụm/khối", max_length=255)
    year = models.PositiveSmallIntegerField("năm")
    organiser = models.ForeignKey(
        OrgUnit, verbose_name="đơn vị tổ chức", on_delete=models.PROTECT, related_name="clusters"
    )
    members = models.ManyToManyField(OrgUnit, through="ClusterMember", related_name="cluster_memberships")

    class Meta:
        verbose_name = "cụm thi đua"
        verbose_name_plural = "cụm thi đua"
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organiser", "year", "name"], name="cluster_unique_name_year"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class ClusterMember(models.Model):
    class Role(models.TextChoices):
        LEADER = "leader", "Cụm trưởng"
        DEPUTY = "deputy", "Cụm phó"
        MEMBER = "member", "Thành viên"

    cluster = models.ForeignKey(EmulationCluster, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    role = models.CharField("vai trò", max_length=8, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        verbose_name = "thành viên cụm thi đua"
        verbose_name_plural = "thành viên cụm thi đua"
        constraints = [
            models.UniqueConstraint(fields=["cluster", "unit"], name="cluster_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.get_role_display()}"
