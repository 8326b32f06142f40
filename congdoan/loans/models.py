"""The poor-workers loan fund (Quỹ trợ vốn CNVCLĐ nghèo): funds and their double-entry journal, loan
products, loan projects of a CĐCS, loans with their schedules, repayments and post-loan checks.

Money is integer đồng. Every movement of money is a balanced journal entry; the fund's cash and each
loan's principal outstanding are sums of journal lines. Posted lines are never changed (the database
refuses an UPDATE, see migration 0002): a mistake is corrected by a reversing entry.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from congdoan.members.models import Person
from congdoan.org.models import OrgUnit

from . import schedule


class Fund(models.Model):
    """A loan fund owned by a unit (the city fund; a district may run its own)."""

    owner = models.ForeignKey(
        OrgUnit, verbose_name="đơn vị quản lý", on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField("mã quỹ", max_length=32, unique=True)
    name = models.CharField("tên quỹ", max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "quỹ trợ vốn"
        verbose_name_plural = "quỹ trợ vốn"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Account(models.TextChoices):
    """The fund's chart of accounts (one set per fund)."""

    CASH = "cash", "Tiền của quỹ"
    LOANS = "loans", "Cho vay (dư nợ gốc)"
    CAPITAL = "capital", "Nguồn vốn"
    INTEREST = "interest", "Thu lãi"
    FEES = "fees", "Thu phí, phạt chậm trả"
    LOSS = "loss", "Xóa nợ (tổn thất)"


class EntryKind(models.TextChoices):
    CAPITAL = "capital", "Nhận vốn"
    DISBURSEMENT = "disbursement", "Giải ngân"
    REPAYMENT = "repayment", "Thu nợ"
    WRITE_OFF = "write_off", "Xóa nợ"
    TRANSFER = "transfer", "Điều chuyển vốn giữa các quỹ"
    REVERSAL = "reversal", "Bút toán đảo"


class JournalEntry(models.Model):
    """One business event, posted as balanced lines (Σ debit = Σ credit, and per fund)."""

    fund = models.ForeignKey(Fund, verbose_name="quỹ", on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField("loại", max_length=16, choices=EntryKind.choices)
    posted_on = models.DateField("ngày hạch toán")
    amount = models.BigIntegerField("số tiền (đồng)")
    loan = models.ForeignKey(
        "Loan",
        verbose_name="khoản vay",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
    )
    memo = models.CharField("diễn giải", max_length=255, blank=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name="đảo bút toán",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "bút toán"
        verbose_name_plural = "bút toán"
        ordering = ["posted_on", "id"]
        indexes = [models.Index(fields=["fund", "posted_on"], name="loans_entry_fund_day_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} đ ({self.posted_on:%d/%m/%Y})"


class JournalLine(models.Model):
    """A debit or a credit of one account of one fund (a loan's line names the loan)."""

    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="lines")
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="+")
    account = models.CharField("tài khoản", max_length=12, choices=Account.choices)
    loan = models.ForeignKey("Loan", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    posted_on = models.DateField("ngày hạch toán")
    debit = models.BigIntegerField("nợ", default=0)
    credit = models.BigIntegerField("có", default=0)

    class Meta:
        verbose_name = "dòng bút toán"
        verbose_name_plural = "dòng bút toán"
        indexes = [
            models.Index(fields=["fund", "account"], name="loans_line_fund_acct_idx"),
            models.Index(fields=["loan", "account"], name="loans_line_loan_acct_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(debit__gt=0, credit=0) | Q(debit=0, credit__gt=0)),
                name="loans_line_one_side_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_account_display()}: nợ {self.debit}, có {self.credit}"

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if self.pk is not None and not self._state.adding:
            raise ValidationError("Dòng bút toán đã ghi sổ không được sửa; hãy lập bút toán đảo.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise ValidationError("Dòng bút toán đã ghi sổ không được xóa; hãy lập bút toán đảo.")


class Frequency(models.TextChoices):
    WEEKLY = schedule.WEEKLY, "Hằng tuần"
    MONTHLY = schedule.MONTHLY, "Hằng tháng"
    BULLET = schedule.BULLET, "Một lần khi đáo hạn"


class Method(models.TextChoices):
    FLAT = schedule.FLAT, "Lãi tính trên số tiền vay ban đầu (lãi phẳng)"
    DECLINING = schedule.DECLINING, "Dư nợ giảm dần (trả đều)"


class RatePeriod(models.TextChoices):
    YEAR = schedule.PER_YEAR, "%/năm"
    MONTH = schedule.PER_MONTH, "%/tháng"


class Product(models.Model):
    """A loan product of a fund: the limits every loan under it must keep."""

    fund = models.ForeignKey(Fund, verbose_name="quỹ", on_delete=models.PROTECT, related_name="products")
    code = models.CharField("mã sản phẩm", max_length=32, unique=True)
    name = models.CharField("tên sản phẩm", max_length=200)
    min_amount = models.BigIntegerField("số tiền vay tối thiểu (đồng)")
    max_amount = models.BigIntegerField("số tiền vay tối đa (đồng)")
    rate = models.DecimalField("lãi suất (%)", max_digits=7, decimal_places=4)
    rate_period = models.CharField("lãi suất tính theo", max_length=8, choices=RatePeriod.choices)
    min_term = models.PositiveSmallIntegerField("thời hạn tối thiểu (kỳ)")
    max_term = models.PositiveSmallIntegerField("thời hạn tối đa (kỳ)")
    frequency = models.CharField("kỳ trả nợ", max_length=8, choices=Frequency.choices)
    method = models.CharField("cách tính lãi", max_length=10, choices=Method.choices)
    grace = models.PositiveSmallIntegerField("ân hạn gốc (kỳ)", default=0)
    late_fee = models.BigIntegerField("phí chậm trả mỗi kỳ (đồng)", default=0)
    late_after_days = models.PositiveSmallIntegerField("tính phí sau số ngày quá hạn", default=10)
    one_active_loan = models.BooleanField("mỗi người chỉ một khoản vay đang hoạt động", default=True)
    active = models.BooleanField("đang áp dụng", default=True)

    class Meta:
        verbose_name = "sản phẩm cho vay"
        verbose_name_plural = "sản phẩm cho vay"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_amount__gt=0, max_amount__gte=F("min_amount")), name="loans_product_amounts"
            ),
            models.CheckConstraint(
                condition=Q(min_term__gt=0, max_term__gte=F("min_term")), name="loans_product_terms"
            ),
            models.CheckConstraint(condition=Q(rate__gte=0), name="loans_product_rate"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def term_unit(self) -> str:
        return "tuần" if self.frequency == Frequency.WEEKLY else "tháng"


class Project(models.Model):
    """A "dự án vay vốn" of a CĐCS: its borrowers, vouched for by the CĐCS and the district union."""

    code = models.CharField("mã dự án", max_length=32, unique=True)
    name = models.CharField("tên dự án", max_length=255)
    cdcs = models.ForeignKey(OrgUnit, verbose_name="CĐCS", on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(
        OrgUnit,
        verbose_name="công đoàn cấp trên (bảo lãnh tín chấp)",
        on_delete=models.PROTECT,
        related_name="+",
    )
    product = models.ForeignKey(
        Product, verbose_name="sản phẩm", on_delete=models.PROTECT, related_name="projects"
    )
    submitted_on = models.DateField("ngày lập")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "dự án vay vốn"
        verbose_name_plural = "dự án vay vốn"
        ordering = ["-submitted_on", "-id"]

    def __str__(self) -> str:
        return self.name


class LoanState(models.TextChoices):
    APPLIED = "applied", "Đề nghị vay"
    APPRAISED = "appraised", "CĐCS đã thẩm định"
    APPROVED = "approved", "Quỹ đã phê duyệt"
    DISBURSED = "disbursed", "Đang vay"
    CLOSED = "closed", "Đã tất toán"
    RESCHEDULED = "rescheduled", "Đã cơ cấu lại"
    WRITTEN_OFF = "written_off", "Đã xóa nợ"
    REJECTED = "rejected", "Từ chối"


# A borrower "has an active loan" from the application until it is closed, written off or rejected.
OPEN_STATES = (LoanState.APPLIED, LoanState.APPRAISED, LoanState.APPROVED, LoanState.DISBURSED)


class Loan(models.Model):
    """A loan to a member through a project. The product's terms are copied at the application, so a
    later change of the product does not change a running loan."""

    project = models.ForeignKey(Project, verbose_name="dự án", on_delete=models.PROTECT, related_name="loans")
    cdcs = models.ForeignKey(OrgUnit, verbose_name="CĐCS", on_delete=models.PROTECT, related_name="+")
    fund = models.ForeignKey(Fund, verbose_name="quỹ", on_delete=models.PROTECT, related_name="loans")
    product = models.ForeignKey(
        Product, verbose_name="sản phẩm", on_delete=models.PROTECT, related_name="loans"
    )
    person = models.ForeignKey(
        Person, verbose_name="người vay", on_delete=models.PROTECT, related_name="loans"
    )
    amount = models.BigIntegerField("số tiền vay (đồng)")
    term = models.PositiveSmallIntegerField("thời hạn (kỳ)")
    purpose = models.CharField("mục đích vay", max_length=255, blank=True)
    rate = models.DecimalField("lãi suất (%)", max_digits=7, decimal_places=4)
    rate_period = models.CharField("lãi suất tính theo", max_length=8, choices=RatePeriod.choices)
    frequency = models.CharField("kỳ trả nợ", max_length=8, choices=Frequency.choices)
    method = models.CharField("cách tính lãi", max_length=10, choices=Method.choices)
    grace = models.PositiveSmallIntegerField("ân hạn gốc (kỳ)", default=0)
    state = models.CharField(
        "trạng thái", max_length=12, choices=LoanState.choices, default=LoanState.APPLIED
    )
    applied_on = models.DateField("ngày đề nghị")
    appraised_on = models.DateField("ngày thẩm định", null=True, blank=True)
    approved_on = models.DateField("ngày phê duyệt", null=True, blank=True)
    disbursed_on = models.DateField("ngày giải ngân", null=True, blank=True)
    closed_on = models.DateField("ngày kết thúc", null=True, blank=True)
    rescheduled_from = models.OneToOneField(
        "self",
        verbose_name="cơ cấu lại từ",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rescheduled_to",
    )
    # The arrears as of ``arrears_on``, stored by the last recomputation of all loans (``ArrearsRun``)
    # and kept by the repayments, write-offs and reschedulings dated up to that day: lists read them
    # instead of computing every row.
    arrears_on = models.DateField("quá hạn tính đến ngày", null=True, blank=True)
    days_past_due = models.IntegerField("số ngày quá hạn", default=0)
    outstanding_on = models.BigIntegerField("dư nợ gốc tại ngày tính", default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "khoản vay"
        verbose_name_plural = "khoản vay"
        ordering = ["-applied_on", "-id"]
        indexes = [
            models.Index(fields=["cdcs", "state"], name="loans_loan_cdcs_state_idx"),
            models.Index(fields=["person", "state"], name="loans_loan_person_state_idx"),
            models.Index(fields=["state", "disbursed_on"], name="loans_loan_state_disb_idx"),
            # the order of every loan list: a page walks this index instead of sorting the whole list
            models.Index(fields=["-applied_on", "-id"], name="loans_loan_applied_idx"),
            # a list's count and total amount read from the index alone (PostgreSQL: INCLUDE)
            models.Index(fields=["cdcs"], include=["amount", "id"], name="loans_loan_cdcs_amount_idx"),
            # the late loans alone (a quarter of a book at most), for a list narrowed to an ageing bucket:
            # a district's 31–90-day loans, their count and total without reading its current ones
            models.Index(
                fields=["cdcs", "days_past_due"],
                include=["amount", "applied_on", "id"],
                condition=Q(arrears_on__isnull=False, days_past_due__gt=0),
                name="loans_loan_late_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0, term__gt=0), name="loans_loan_positive")
        ]

    def __str__(self) -> str:
        return f"Khoản vay #{self.pk} – {self.person.full_name}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("loans:detail", args=[self.pk])

    @property
    def bucket(self) -> str:
        """The ageing bucket of the stored days past due (``arrears_on``)."""
        return schedule.bucket_of(self.days_past_due)

    @property
    def bucket_label(self) -> str:
        return schedule.bucket_label(self.bucket)


class Instalment(models.Model):
    """One line of a loan's schedule (kỳ trả nợ) and what has been paid of it."""

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="instalments")
    number = models.PositiveSmallIntegerField("kỳ")
    due_on = models.DateField("ngày đến hạn")
    principal = models.BigIntegerField("gốc")
    interest = models.BigIntegerField("lãi")
    fee = models.BigIntegerField("phí chậm trả", default=0)
    principal_paid = models.BigIntegerField("gốc đã trả", default=0)
    interest_paid = models.BigIntegerField("lãi đã trả", default=0)
    fee_paid = models.BigIntegerField("phí đã trả", default=0)
    paid_on = models.DateField("ngày trả đủ", null=True, blank=True)

    class Meta:
        verbose_name = "kỳ trả nợ"
        verbose_name_plural = "kỳ trả nợ"
        ordering = ["loan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "number"], name="loans_instalment_once"),
            models.CheckConstraint(
                condition=Q(
                    principal_paid__lte=F("principal"),
                    interest_paid__lte=F("interest"),
                    fee_paid__lte=F("fee"),
                ),
                name="loans_instalment_not_overpaid",
            ),
        ]
        indexes = [models.Index(fields=["due_on"], name="loans_instalment_due_idx")]

    def __str__(self) -> str:
        return f"Kỳ {self.number} ({self.due_on:%d/%m/%Y})"

    @property
    def total(self) -> int:
        return self.principal + self.interest + self.fee

    @property
    def paid(self) -> int:
        return self.principal_paid + self.interest_paid + self.fee_paid

    @property
    def outstanding(self) -> int:
        return self.total - self.paid


class Repayment(models.Model):
    """Money received from a borrower, allocated fees → interest → principal, oldest instalment first."""

    loan = models.ForeignKey(
        Loan, verbose_name="khoản vay", on_delete=models.PROTECT, related_name="repayments"
    )
    paid_on = models.DateField("ngày trả")
    amount = models.BigIntegerField("số tiền (đồng)")
    fee = models.BigIntegerField("phí", default=0)
    interest = models.BigIntegerField("lãi", default=0)
    principal = models.BigIntegerField("gốc", default=0)
    entry = models.OneToOneField(JournalEntry, on_delete=models.PROTECT, related_name="repayment")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "lần trả nợ"
        verbose_name_plural = "lần trả nợ"
        ordering = ["loan", "paid_on", "id"]
        indexes = [models.Index(fields=["loan", "paid_on"], name="loans_repay_loan_day_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0, amount=F("fee") + F("interest") + F("principal")),
                name="loans_repayment_allocated",
            ),
        ]

    def __str__(self) -> str:
        return f"Trả nợ {self.amount} đ ({self.paid_on:%d/%m/%Y})"


class LoanCheck(models.Model):
    """A post-loan check (kiểm tra sau vay): is the money used for its purpose, with findings."""

    loan = models.ForeignKey(Loan, verbose_name="khoản vay", on_delete=models.CASCADE, related_name="checks")
    checked_on = models.DateField("ngày kiểm tra")
    used_as_intended = models.BooleanField("sử dụng vốn đúng mục đích", default=True)
    findings = models.TextField("kết quả kiểm tra", blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "kiểm tra sau vay"
        verbose_name_plural = "kiểm tra sau vay"
        ordering = ["-checked_on", "-id"]

    def __str__(self) -> str:
        return f"Kiểm tra sau vay {self.checked_on:%d/%m/%Y}"


class ArrearsRun(models.Model):
    """One recomputation of the arrears of every loan as of a day, run in the background (django-tasks:
    ``congdoan db_worker``) or by ``congdoan loans recompute-arrears``; ``done`` of ``total`` loans so far."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Đang chờ"
        RUNNING = "running", "Đang tính"
        DONE = "done", "Đã xong"
        FAILED = "failed", "Lỗi"

    on = models.DateField("tính đến ngày")
    status = models.CharField("trạng thái", max_length=8, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField("số khoản vay", default=0)
    done = models.PositiveIntegerField("đã tính", default=0)
    late = models.PositiveIntegerField("khoản vay quá hạn", default=0)
    error = models.TextField("lỗi", blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "lượt tính lại nợ quá hạn"
        verbose_name_plural = "lượt tính lại nợ quá hạn"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Tính lại nợ quá hạn đến {self.on:%d/%m/%Y}"

    @property
    def progress(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
