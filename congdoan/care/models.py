"""Care (chăm lo): campaigns of support, the cases paid under them, Mái ấm Công đoàn houses and member
welfare deals (domain.md §7). Money is integer đồng, never float.

A case is the one record of a person supported in a campaign: proposed by a unit, approved level by
level along the campaign's chain, then paid once (cash, bank transfer or in kind). A paid case is never
edited: a correction is a :class:`Reversal`, which nets the payment to zero and frees the person for a
corrected case. One live case per CCCD per campaign is enforced by the services and by the database.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from congdoan.members.models import Person
from congdoan.org.models import OrgUnit


class CampaignKind(models.TextChoices):
    HARDSHIP = "hardship", "Trợ cấp khó khăn"
    TET_GIFT = "tet_gift", "Quà Tết"
    TET_TICKET = "tet_ticket", "Vé xe, tàu, máy bay về quê đón Tết"
    HOUSE = "house", "Mái ấm Công đoàn (xây mới, sửa chữa)"
    ILLNESS = "illness", "Ốm đau, tai nạn, hiếu hỷ"
    EMERGENCY = "emergency", "Hỗ trợ khẩn cấp"
    IN_KIND = "in_kind", "Tặng hiện vật"


class Campaign(models.Model):
    """A care programme or round (chương trình, đợt chăm lo) run by a unit of any level."""

    code = models.CharField("mã", max_length=40, unique=True)
    name = models.CharField("tên chương trình", max_length=200)
    kind = models.CharField("loại", max_length=16, choices=CampaignKind.choices)
    owner = models.ForeignKey(
        OrgUnit, verbose_name="đơn vị tổ chức", on_delete=models.PROTECT, related_name="+"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="thuộc chương trình",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    starts_on = models.DateField("từ ngày")
    ends_on = models.DateField("đến ngày")
    # Per-person caps (0 = none): one case per person per campaign, and the sum over the calendar year.
    cap_per_person = models.BigIntegerField("mức tối đa mỗi người (đồng)", default=0)
    cap_per_year = models.BigIntegerField("mức tối đa mỗi người trong năm (đồng)", default=0)
    allows_non_members = models.BooleanField("hỗ trợ cả người lao động chưa là đoàn viên", default=False)
    approval_levels = models.PositiveSmallIntegerField("số cấp duyệt", default=1)
    eligibility = models.TextField("đối tượng, tiêu chí", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "chương trình chăm lo"
        verbose_name_plural = "chương trình chăm lo"
        ordering = ["-starts_on", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="care_campaign_dates"
            ),
            models.CheckConstraint(condition=Q(approval_levels__gte=1), name="care_campaign_levels"),
            models.CheckConstraint(condition=Q(cap_per_person__gte=0, cap_per_year__gte=0), name="care_caps"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("care:campaign_detail", args=[self.pk])


class FundingKind(models.TextChoices):
    UNION = "union", "Kinh phí công đoàn"
    SOCIAL = "social", "Xã hội hóa"
    EMPLOYER = "employer", "Người sử dụng lao động đóng góp"


class FundingSource(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="funding")
    kind = models.CharField("nguồn", max_length=12, choices=FundingKind.choices)
    contributor = models.CharField("đơn vị đóng góp", max_length=200, blank=True)
    amount = models.BigIntegerField("số tiền (đồng)")

    class Meta:
        verbose_name = "nguồn kinh phí"
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="care_funding_positive")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.amount}"


class Allocation(models.Model):
    """A quota handed down to a unit: at most ``people`` cases and ``amount`` đồng in its subtree."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="allocations")
    unit = models.ForeignKey(OrgUnit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="+")
    people = models.PositiveIntegerField("số suất")
    amount = models.BigIntegerField("số tiền (đồng)")

    class Meta:
        verbose_name = "phân bổ"
        ordering = ["campaign", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="care_allocation_once"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="care_allocation_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.people} suất"


class CaseState(models.TextChoices):
    PROPOSED = "proposed", "Đề xuất"
    APPROVED = "approved", "Đã duyệt"
    PAID = "paid", "Đã chi"
    REJECTED = "rejected", "Không duyệt"
    REVERSED = "reversed", "Đã hoàn (điều chỉnh)"


LIVE_STATES = (CaseState.PROPOSED, CaseState.APPROVED, CaseState.PAID)


class Case(models.Model):
    """A person supported in a campaign (hồ sơ hỗ trợ): a member (``person``) or, where the campaign
    allows it, a non-member worker (name, CCCD, employer). ``cccd`` is the normalised CCCD either way."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="chương trình", on_delete=models.PROTECT, related_name="cases"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name="đơn vị đề xuất", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        Person, verbose_name="đoàn viên", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    full_name = models.CharField("họ và tên", max_length=120)
    cccd = models.CharField("số CCCD", max_length=12)
    employer_name = models.CharField("nơi làm việc", max_length=200, blank=True)
    amount = models.BigIntegerField("số tiền (đồng)")
    reason = models.CharField("hoàn cảnh, lý do", max_length=255, blank=True)
    state = models.CharField(
        "trạng thái", max_length=10, choices=CaseState.choices, default=CaseState.PROPOSED
    )
    approved_levels = models.PositiveSmallIntegerField("số cấp đã duyệt", default=0)
    proposed_on = models.DateField("ngày đề xuất")
    paid_on = models.DateField("ngày chi", null=True, blank=True)
    bank_account = models.CharField("số tài khoản", max_length=20, blank=True)
    bank_name = models.CharField("ngân hàng", max_length=80, blank=True)
    search_key = models.CharField(max_length=200, editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "hồ sơ hỗ trợ"
        verbose_name_plural = "hồ sơ hỗ trợ"
        ordering = ["-proposed_on", "-id"]
        indexes = [
            models.Index(fields=["campaign", "state"], name="care_case_campaign_state"),
            models.Index(fields=["unit", "paid_on"], name="care_case_unit_paid"),
            models.Index(fields=["cccd"], name="care_case_cccd"),
        ]
        constraints = [
            # A person is never paid twice in one campaign: one live case per CCCD.
            models.UniqueConstraint(
                fields=["campaign", "cccd"],
                condition=Q(state__in=["proposed", "approved", "paid"]),
                name="care_case_once_per_campaign",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="care_case_amount_positive"),
            models.CheckConstraint(
                condition=~Q(state="paid") | Q(paid_on__isnull=False), name="care_case_paid_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} – {self.campaign}"


class CaseApproval(models.Model):
    """One level of the chain approving (or rejecting) a case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="approvals")
    level = models.PositiveSmallIntegerField("cấp")
    unit = models.ForeignKey(OrgUnit, verbose_name="đơn vị duyệt", on_delete=models.PROTECT, related_name="+")
    approved = models.BooleanField("đồng ý", default=True)
    decided_on = models.DateField("ngày duyệt")

    class Meta:
        verbose_name = "duyệt hồ sơ"
        constraints = [models.UniqueConstraint(fields=["case", "level"], name="care_approval_level_once")]

    def __str__(self) -> str:
        return f"Cấp {self.level}: {self.unit_id}"


class PaymentMethod(models.TextChoices):
    CASH = "cash", "Tiền mặt (danh sách ký nhận)"
    BANK = "bank", "Chuyển khoản"
    IN_KIND = "in_kind", "Hiện vật"


class Payment(models.Model):
    """How a case was paid (one per case)."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="payment")
    method = models.CharField("hình thức", max_length=8, choices=PaymentMethod.choices)
    paid_on = models.DateField("ngày chi")
    amount = models.BigIntegerField("số tiền (đồng)")
    bank_account = models.CharField("số tài khoản", max_length=20, blank=True)
    bank_name = models.CharField("ngân hàng", max_length=80, blank=True)
    items = models.CharField("hiện vật, số lượng", max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "chi trả"
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="care_payment_positive")]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.amount} đ"


class Reversal(models.Model):
    """The correction of a paid case: ``amount`` is the negative of what was paid."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="reversal")
    amount = models.BigIntegerField("số tiền hoàn (đồng)")
    reversed_on = models.DateField("ngày điều chỉnh")
    reason = models.CharField("lý do", max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "điều chỉnh (hoàn)"
        constraints = [models.CheckConstraint(condition=Q(amount__lt=0), name="care_reversal_negative")]

    def __str__(self) -> str:
        return f"Hoàn {self.amount} đ"


class CaseDocument(models.Model):
    """A photo or scan attached to a case (JPEG, PNG or PDF, checked by content)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    name = models.CharField("tên tệp", max_length=200)
    content_type = models.CharField(max_length=40)
    data = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class House(models.Model):
    """A Mái ấm Công đoàn house built or repaired for a member."""

    unit = models.ForeignKey(OrgUnit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="+")
    campaign = models.ForeignKey(
        Campaign,
        verbose_name="chương trình",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    beneficiary = models.CharField("người được hỗ trợ", max_length=120)
    repair = models.BooleanField("sửa chữa (không phải xây mới)", default=False)
    amount = models.BigIntegerField("số tiền hỗ trợ (đồng)")
    contributors = models.CharField("đơn vị đóng góp", max_length=255, blank=True)
    started_on = models.DateField("ngày khởi công")
    handed_over_on = models.DateField("ngày bàn giao", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Mái ấm Công đoàn"
        verbose_name_plural = "Mái ấm Công đoàn"
        ordering = ["-started_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="care_house_amount")]

    def __str__(self) -> str:
        return f"Mái ấm Công đoàn – {self.beneficiary}"


class WelfareDeal(models.Model):
    """A member welfare agreement with a business (Phúc lợi đoàn viên)."""

    unit = models.ForeignKey(OrgUnit, verbose_name="đơn vị ký", on_delete=models.PROTECT, related_name="+")
    partner = models.CharField("đối tác", max_length=200)
    offer = models.CharField("ưu đãi", max_length=255)
    discount_percent = models.PositiveSmallIntegerField("giảm giá (%)", null=True, blank=True)
    signed_on = models.DateField("ngày ký")
    valid_until = models.DateField("hiệu lực đến", null=True, blank=True)
    how_to_claim = models.TextField("cách nhận ưu đãi", blank=True)
    search_key = models.CharField(max_length=400, editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "thỏa thuận phúc lợi đoàn viên"
        verbose_name_plural = "thỏa thuận phúc lợi đoàn viên"
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(discount_percent__isnull=True) | Q(discount_percent__lte=100),
                name="care_deal_pct",
            )
        ]

    def __str__(self) -> str:
        return self.partner
