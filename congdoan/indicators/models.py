"""The indicator catalogue, targets (chỉ tiêu), entered values and report forms (data sets)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Indicator(models.Model):
    """What is measured. ``computed`` indicators count records through a registered provider;
    ``entered`` ones are reported by units; ``ratio`` ones divide two other indicators."""

    class Aggregation(models.TextChoices):
        SUM = "sum", "Cộng dồn"
        LAST = "last", "Số liệu thời điểm (cuối kỳ)"
        RATIO = "ratio", "Tỷ lệ (tử số / mẫu số)"

    class Source(models.TextChoices):
        ENTERED = "entered", "Đơn vị báo cáo"
        COMPUTED = "computed", "Tính từ dữ liệu"

    code = models.CharField("mã chỉ tiêu", max_length=40, unique=True)
    name = models.CharField("tên chỉ tiêu", max_length=255)
    unit = models.CharField("đơn vị tính", max_length=20, default="người")
    aggregation = models.CharField("cách tổng hợp", max_length=8, choices=Aggregation.choices, default="sum")
    source = models.CharField("nguồn số liệu", max_length=10, choices=Source.choices, default="entered")
    provider = models.CharField("bộ tính", max_length=60, blank=True)
    numerator = models.ForeignKey(
        "self", verbose_name="tử số", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    denominator = models.ForeignKey(
        "self", verbose_name="mẫu số", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decimals = models.PositiveSmallIntegerField("số chữ số thập phân", default=0)
    description = models.TextField("mô tả", blank=True)
    standard = models.BooleanField("thuộc danh mục chuẩn", default=False)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "chỉ tiêu"
        verbose_name_plural = "chỉ tiêu"
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(aggregation="ratio") | Q(numerator__isnull=False, denominator__isnull=False),
                name="indicator_ratio_has_parts",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_ratio(self) -> bool:
        return self.aggregation == self.Aggregation.RATIO


class Target(models.Model):
    """A chỉ tiêu handed down to ``unit`` for ``period`` (a parent without one sums its children's)."""

    unit = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, related_name="targets")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    period = models.CharField("kỳ", max_length=9)
    value = models.DecimalField("chỉ tiêu", max_digits=20, decimal_places=4)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "chỉ tiêu giao"
        verbose_name_plural = "chỉ tiêu giao"
        constraints = [
            models.UniqueConstraint(fields=["unit", "indicator", "period"], name="target_once"),
        ]
        indexes = [models.Index(fields=["indicator", "period"])]

    def __str__(self) -> str:
        return f"{self.unit} – {self.indicator.code} – {self.period}: {self.value}"


class ReportForm(models.Model):
    """A data set: the entered indicators a unit reports together for a period kind."""

    code = models.CharField("mã biểu", max_length=40, unique=True)
    name = models.CharField("tên biểu", max_length=255)
    period_kind = models.CharField("loại kỳ", max_length=8, default="year")
    indicators = models.ManyToManyField(Indicator, related_name="forms")

    class Meta:
        verbose_name = "biểu báo cáo"
        verbose_name_plural = "biểu báo cáo"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Submission(models.Model):
    """One unit's report for one form and period: draft → submitted → approved (then locked)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Đang nhập"
        SUBMITTED = "submitted", "Đã gửi"
        APPROVED = "approved", "Đã duyệt"

    form = models.ForeignKey(ReportForm, on_delete=models.PROTECT, related_name="submissions")
    unit = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, related_name="submissions")
    period = models.CharField("kỳ", max_length=9)
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default="draft")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "báo cáo của đơn vị"
        verbose_name_plural = "báo cáo của đơn vị"
        constraints = [
            models.UniqueConstraint(fields=["form", "unit", "period"], name="submission_once"),
        ]

    def __str__(self) -> str:
        return f"{self.form} – {self.unit} – {self.period}"


class DataValue(models.Model):
    """An entered actual of ``indicator`` for ``unit`` and ``period``."""

    unit = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, related_name="data_values")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    period = models.CharField("kỳ", max_length=9)
    value = models.DecimalField("giá trị", max_digits=20, decimal_places=4)
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.SET_NULL, related_name="values"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "số liệu báo cáo"
        verbose_name_plural = "số liệu báo cáo"
        constraints = [
            models.UniqueConstraint(fields=["unit", "indicator", "period"], name="datavalue_once"),
        ]
        indexes = [models.Index(fields=["indicator", "period"])]

    def __str__(self) -> str:
        return f"{self.unit} – {self.indicator.code} – {self.period}: {self.value}"


class LeafFigure(models.Model):
    """A kept figure: what one computed provider counts at one unit (a CĐCS: the records attached to it)
    over one period — "leaf figures" (issue 18). Written by ``indicators.leaf`` in the transaction of
    every record change; the engine sums them over the tree as it was at the period end instead of
    counting millions of records. They do not depend on the tree. Zero figures are not stored: a
    ``KeptPeriod`` row says that a (provider, period) is kept for every unit."""

    unit = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, related_name="+", db_index=False)
    code = models.CharField("bộ tính", max_length=60)  # the provider's code (indicators may share one)
    period = models.CharField("kỳ", max_length=8)
    value = models.BigIntegerField("giá trị")
    written_at = models.DateTimeField("ghi lúc")

    class Meta:
        verbose_name = "số liệu lưu sẵn của CĐCS"
        verbose_name_plural = "số liệu lưu sẵn của CĐCS"
        constraints = [
            models.UniqueConstraint(fields=["code", "period", "unit"], name="leaf_figure_once"),
        ]
        indexes = [
            # A scope's figures (a province's 15,000 of a year: 32 ms, where a read of the whole
            # period's took 180 ms) and the units recounted by a write.
            models.Index(fields=["unit", "period"], name="leaf_figure_unit_period"),
            # The nation's figures of a period read by code without the table (its dashboard reads a
            # year's 1,000,000 from this index alone: ~60 ms of ~490). PostgreSQL only: SQLite has no
            # INCLUDE, so there it is a plain index (settings silence that warning, models.W040).
            models.Index(fields=["period", "code", "unit"], include=["value"], name="leaf_figure_read"),
            models.Index(fields=["period", "written_at"], name="leaf_figure_written"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.period} {self.unit_id}: {self.value}"


class KeptPeriod(models.Model):
    """A (provider, period) whose figures are kept for every unit (``LeafFigure``), since ``built_at``."""

    code = models.CharField("bộ tính", max_length=60)
    period = models.CharField("kỳ", max_length=8)
    built_at = models.DateTimeField("dựng lúc")

    class Meta:
        verbose_name = "kỳ có số liệu lưu sẵn"
        verbose_name_plural = "kỳ có số liệu lưu sẵn"
        constraints = [models.UniqueConstraint(fields=["code", "period"], name="kept_period_once")]

    def __str__(self) -> str:
        return f"{self.code} {self.period}"
