"""Collective labour agreements (thỏa ước lao động tập thể) and the configurable grading rules.

Dates: ``effective_on`` and ``expires_on`` are both days on which the agreement holds (``expires_on``
is its last day: "có hiệu lực đến hết ngày ..."). An agreement re-signed or amended before it expires
is ``superseded_on`` the first day of its successor, so on any day at most one agreement of a chain
holds. "Valid on D" is therefore ``effective_on <= D <= expires_on and not (superseded_on <= D)``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models
from django.db.models import Q

from congdoan.org.models import Employer, OrgUnit, Sector

# The sectors whose grassroots unions are "CĐCS doanh nghiệp" (they bargain with an employer and hold
# the Hội nghị người lao động); public bodies (HCSN) hold the Hội nghị CB,CC,VC instead.
ENTERPRISE_SECTORS: tuple[str, ...] = (
    Sector.DN_NHA_NUOC,
    Sector.DN_NGOAI_NHA_NUOC,
    Sector.FDI,
    Sector.HTX,
)


class AgreementScope(models.TextChoices):
    ENTERPRISE = "enterprise", "Doanh nghiệp"
    MULTI = "multi", "Nhiều doanh nghiệp"
    SECTOR = "sector", "Ngành"


class AgreementKind(models.TextChoices):
    NEW = "new", "Ký mới"
    RESIGNED = "resigned", "Ký lại"
    AMENDED = "amended", "Sửa đổi, bổ sung"


class Grade(models.TextChoices):
    A = "A", "Loại A"
    B = "B", "Loại B"
    C = "C", "Loại C"
    D = "D", "Loại D"


class FavourableClause(models.TextChoices):
    """Clauses more favourable to workers than the law (what grading looks at)."""

    WAGES = "wages", "Tiền lương"
    BONUS = "bonus", "Thưởng"
    INITIATIVE = "initiative", "Sáng kiến"
    HOURS = "hours", "Thời giờ làm việc, nghỉ ngơi"
    SHIFT_MEAL = "shift_meal", "Bữa ăn ca"
    OSH = "osh", "An toàn, vệ sinh lao động"
    WELFARE = "welfare", "Phúc lợi"
    OTHER = "other", "Khác"


def valid_on_q(day: dt.date, prefix: str = "") -> Q:
    """Agreements holding on ``day`` (``prefix``: the path to the agreement, e.g. ``"agreements__"``)."""
    return Q(**{f"{prefix}effective_on__lte": day, f"{prefix}expires_on__gte": day}) & (
        Q(**{f"{prefix}superseded_on__isnull": True}) | Q(**{f"{prefix}superseded_on__gt": day})
    )


class CollectiveAgreement(models.Model):
    number = models.CharField("số văn bản", max_length=64, blank=True)
    cdcs = models.ForeignKey(
        OrgUnit, verbose_name="công đoàn cơ sở", on_delete=models.PROTECT, related_name="agreements"
    )
    employers = models.ManyToManyField(
        Employer, verbose_name="đơn vị sử dụng lao động", related_name="agreements"
    )
    scope = models.CharField(
        "phạm vi", max_length=16, choices=AgreementScope.choices, default=AgreementScope.ENTERPRISE
    )
    kind = models.CharField("hình thức", max_length=16, choices=AgreementKind.choices)
    signed_on = models.DateField("ngày ký")
    effective_on = models.DateField("có hiệu lực từ ngày")
    expires_on = models.DateField("có hiệu lực đến hết ngày")
    superseded_on = models.DateField(
        "hết hiệu lực từ ngày (được thay thế)",
        null=True,
        blank=True,
        help_text="Ngày có hiệu lực của thỏa ước ký lại hoặc sửa đổi, bổ sung thay thế thỏa ước này.",
    )
    grade = models.CharField("xếp loại", max_length=1, choices=Grade.choices, blank=True, default="")
    approval_share = models.DecimalField(
        "tỷ lệ người lao động biểu quyết tán thành", max_digits=5, decimal_places=4
    )
    favourable_clauses = models.JSONField(
        "nội dung có lợi hơn quy định của pháp luật", default=list, blank=True
    )
    signed_file = models.FileField("bản thỏa ước đã ký (PDF)", upload_to="thoa-uoc/%Y/", blank=True)
    renewal_of = models.ForeignKey(
        "self",
        verbose_name="ký lại, sửa đổi từ thỏa ước",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewals",
    )
    notes = models.TextField("ghi chú", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "thỏa ước lao động tập thể"
        verbose_name_plural = "thỏa ước lao động tập thể"
        ordering = ["-signed_on", "-id"]
        indexes = [
            models.Index(fields=["cdcs", "signed_on"], name="agreement_cdcs_signed_idx"),
            models.Index(fields=["signed_on", "kind"], name="agreement_signed_kind_idx"),
            models.Index(fields=["expires_on", "effective_on"], name="agreement_validity_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_on__gte=models.F("signed_on")), name="agreement_effective_after_signed"
            ),
            models.CheckConstraint(
                condition=Q(expires_on__gt=models.F("effective_on")), name="agreement_expires_after_effective"
            ),
            models.CheckConstraint(
                condition=Q(approval_share__gt=Decimal("0.5")) & Q(approval_share__lte=1),
                name="agreement_approval_majority",
            ),
            models.UniqueConstraint(fields=["renewal_of"], name="agreement_one_successor"),
        ]

    def __str__(self) -> str:
        label = self.number or self.get_kind_display()
        return f"Thỏa ước {label} – {self.cdcs.name} ({self.signed_on:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("bargaining:agreement_detail", args=[self.pk])

    @property
    def last_day(self) -> dt.date:
        """The last day it holds: its expiry, or the day before its successor took over."""
        if self.superseded_on is not None:
            return min(self.expires_on, self.superseded_on - dt.timedelta(days=1))
        return self.expires_on

    def is_valid_on(self, day: dt.date) -> bool:
        return self.effective_on <= day <= self.last_day

    def favourable_labels(self) -> list[str]:
        labels = dict(FavourableClause.choices)
        return [str(labels.get(code, code)) for code in self.favourable_clauses or []]


class GradingRule(models.Model):
    """The grading criteria in force for agreements signed in ``year`` (domain.md §4: unconfirmed, so
    configurable). A grade applies when the agreement has at least ``min_favourable_clauses`` clauses
    more favourable than the law; the best grade that applies is suggested. A year without rules
    uses the latest earlier year that has them."""

    year = models.PositiveSmallIntegerField("áp dụng từ năm")
    grade = models.CharField("xếp loại", max_length=1, choices=Grade.choices)
    min_favourable_clauses = models.PositiveSmallIntegerField("số nội dung có lợi tối thiểu")
    description = models.TextField("tiêu chí", blank=True)

    class Meta:
        verbose_name = "tiêu chí xếp loại thỏa ước"
        verbose_name_plural = "tiêu chí xếp loại thỏa ước"
        ordering = ["-year", "grade"]
        constraints = [models.UniqueConstraint(fields=["year", "grade"], name="grading_rule_once")]

    def __str__(self) -> str:
        return f"{self.year} – loại {self.grade}: từ {self.min_favourable_clauses} nội dung có lợi"
