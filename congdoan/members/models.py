"""People, their memberships of a CĐCS, workforce counts, and the log of access to personal data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from congdoan.core.text import fold, person_sort_key

from .query_marks import presorted_slice


class Gender(models.TextChoices):
    MALE = "M", "Nam"
    FEMALE = "F", "Nữ"


# Nationalities as people write them (ISO 3166 alpha-2 codes stored); others are shown by their code.
NATIONALITY_NAMES = {
    "VN": "Việt Nam",
    "CN": "Trung Quốc",
    "TW": "Đài Loan (Trung Quốc)",
    "KR": "Hàn Quốc",
    "JP": "Nhật Bản",
    "LA": "Lào",
    "KH": "Campuchia",
    "TH": "Thái Lan",
    "PH": "Philippines",
    "IN": "Ấn Độ",
    "SG": "Singapore",
    "MY": "Malaysia",
    "US": "Hoa Kỳ",
    "GB": "Vương quốc Anh",
    "FR": "Pháp",
    "DE": "Đức",
    "RU": "Liên bang Nga",
    "AU": "Australia",
}


class Person(models.Model):
    """A worker known to the union. CCCD, phone, birth date and address are personal data:
    masked in lists, shown in full only to roles that need them (see ``members.privacy``)."""

    full_name = models.CharField("họ và tên", max_length=120)
    birth_date = models.DateField("ngày sinh", null=True, blank=True)
    # The first admission to the union (on the member's card), often at an earlier employer: kept
    # apart from ``Membership.join_date``, the start of each spell in one CĐCS (which cannot precede
    # that CĐCS's founding). Empty for people stored before it was kept: the earliest membership.
    union_join_date = models.DateField("ngày vào công đoàn", null=True, blank=True)
    gender = models.CharField("giới tính", max_length=1, choices=Gender.choices)
    cccd = models.CharField("số CCCD", max_length=12, unique=True, null=True, blank=True)
    # An old 9-digit CMND number was accepted instead of a CCCD: flagged for follow-up.
    legacy_id = models.BooleanField("số CMND cũ (9 số)", default=False)
    phone = models.CharField("điện thoại", max_length=16, blank=True)
    email = models.EmailField("thư điện tử", blank=True)
    ethnicity = models.CharField("dân tộc", max_length=40, blank=True)
    education = models.CharField("trình độ", max_length=60, blank=True)
    job = models.CharField("nghề nghiệp, chức vụ", max_length=120, blank=True)
    address = models.CharField("địa chỉ", max_length=255, blank=True)
    nationality = models.CharField("quốc tịch", max_length=2, default="VN")
    contract_months = models.PositiveSmallIntegerField("thời hạn hợp đồng (tháng)", null=True, blank=True)
    # Folded name + ids for accent-insensitive search on any database, and the Vietnamese sort key.
    search_key = models.CharField(max_length=200, editable=False, default="")
    sort_key = models.CharField(max_length=200, editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "người lao động"
        verbose_name_plural = "người lao động"
        ordering = ["sort_key", "id"]
        indexes = [
            models.Index(fields=["search_key"], name="person_search_key_idx"),
            # The whole order of the lists (sort key, then id): a walk of the order needs no extra sort.
            # On PostgreSQL it also holds the search key (INCLUDE, members/0008): walks test names from
            # the index alone (``selectors.WALK``).
            models.Index(fields=["sort_key", "id"], name="person_sort_key_id_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.fill_keys()
        super().save(*args, **kwargs)

    @property
    def nationality_label(self) -> str:
        """ "Việt Nam" for VN: the country's name, the code only when it is not in the list."""
        return NATIONALITY_NAMES.get((self.nationality or "").upper(), self.nationality)

    def fill_keys(self) -> None:
        self.search_key = person_search_key(self.full_name)
        self.sort_key = person_sort_key(self.full_name)[:200]


def person_search_key(full_name: str) -> str:
    return fold(full_name)[:200]


def active_on_q(day: dt.date) -> Q:
    """Memberships held on ``day``: begun by then and not ended (one ending on D is over on D).
    The one rule; ``members.selectors.active_on`` applies it to CĐCS."""
    return Q(join_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gt=day))


class MembershipQuerySet(models.QuerySet["Membership"]):
    def __getitem__(self, k: Any) -> Any:
        """A page of a search sorted from its matches reads only its own rows (``presorted_slice``):
        sorting the 4,854 matches of "thanh hoa" in a city again for each page took ~20 ms."""
        if isinstance(k, slice) and self._result_cache is None:
            page = presorted_slice(self, k)
            if page is not None:
                return page
        return super().__getitem__(k)


class Membership(models.Model):
    """One spell of membership of a person in a CĐCS, from ``join_date`` until ``end_date``. The
    person's first admission to the union is ``Person.union_join_date``."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Đang sinh hoạt"
        TRANSFERRED = "transferred", "Đã chuyển sinh hoạt"
        LEFT = "left", "Thôi sinh hoạt"
        REMOVED = "removed", "Khai trừ, xóa tên"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    cdcs = models.ForeignKey(
        "org.OrgUnit", verbose_name="công đoàn cơ sở", on_delete=models.PROTECT, related_name="memberships"
    )
    join_date = models.DateField("ngày bắt đầu sinh hoạt")
    card_number = models.CharField("số thẻ đoàn viên", max_length=20, unique=True, null=True, blank=True)
    status = models.CharField("tình trạng", max_length=12, choices=Status.choices, default=Status.ACTIVE)
    end_date = models.DateField("ngày kết thúc", null=True, blank=True)
    end_reason = models.CharField("lý do", max_length=255, blank=True)
    transferred_from = models.OneToOneField(
        "self",
        verbose_name="chuyển từ",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="transferred_to",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "sinh hoạt đoàn viên"
        verbose_name_plural = "sinh hoạt đoàn viên"
        ordering = ["-join_date", "-id"]
        indexes = [
            models.Index(fields=["cdcs", "status"]),
            models.Index(fields=["person", "status"]),
            models.Index(fields=["join_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("join_date")),
                name="membership_end_after_join",
            ),
            models.CheckConstraint(
                condition=Q(status="active", end_date__isnull=True) | ~Q(status="active"),
                name="membership_active_has_no_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.cdcs}"


class WorkforceCount(models.Model):
    """How many people a CĐCS's employer(s) employ on a date (for coverage = members / workers)."""

    cdcs = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, related_name="workforce_counts")
    as_of = models.DateField("tính đến ngày")
    workers = models.PositiveIntegerField("số lao động")
    women = models.PositiveIntegerField("trong đó nữ", default=0)

    class Meta:
        verbose_name = "số lao động"
        verbose_name_plural = "số lao động"
        ordering = ["-as_of"]
        constraints = [
            models.UniqueConstraint(fields=["cdcs", "as_of"], name="workforce_once_per_day"),
            models.CheckConstraint(
                condition=Q(women__lte=models.F("workers")), name="workforce_women_le_workers"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cdcs}: {self.workers} ({self.as_of:%d/%m/%Y})"


class AccessLog(models.Model):
    """Who saw personal data in full, or exported it (Vietnamese personal-data law: keep a record)."""

    class Action(models.TextChoices):
        VIEW = "view", "Xem đầy đủ"
        EXPORT = "export", "Xuất dữ liệu"
        API = "api", "Truy cập API"
        # A search by digits of a CCCD or phone: it tests personal data even when the list is masked.
        SEARCH = "search", "Tìm theo số CCCD/điện thoại"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=8, choices=Action.choices)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    unit = models.ForeignKey(
        "org.OrgUnit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    detail = models.CharField(max_length=255, blank=True)
    rows = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "nhật ký truy cập dữ liệu cá nhân"
        verbose_name_plural = "nhật ký truy cập dữ liệu cá nhân"
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.user} {self.get_action_display()}"
