"""How a noun phrase of a report names an indicator: administrators edit these in the admin site."""

from __future__ import annotations

from django.db import models


class FigureMapping(models.Model):
    """A phrase that, around a figure, means an indicator.

    ``phrase`` is written with ``#`` where the number stands: "ký kết mới # bản thỏa ước" matches
    "ký kết mới 29/24 bản thỏa ước …" — the words before ``#`` must appear, in order, among the words
    before the figure in its clause; the words after it must begin what follows the figure (the noun),
    in order. Case, accents and punctuation are ignored. Without ``#`` the phrase is the noun."""

    class Kind(models.TextChoices):
        ANY = "", "Mọi loại số liệu"
        COUNT = "count", "Số lượng (có đơn vị)"
        RATIO = "ratio", "Phân số X/Y"
        PERCENT = "percent", "Tỷ lệ phần trăm"
        MONEY = "money", "Số tiền"

    phrase = models.CharField(
        "cụm từ",
        max_length=200,
        help_text="Dùng # thay cho con số, ví dụ «ký kết mới # bản thỏa ước».",
    )
    indicator = models.ForeignKey(
        "indicators.Indicator", verbose_name="chỉ tiêu", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField("loại số liệu", max_length=8, choices=Kind.choices, blank=True, default="")
    active = models.BooleanField("đang dùng", default=True)
    note = models.CharField("ghi chú", max_length=200, blank=True)

    class Meta:
        verbose_name = "cụm từ chỉ tiêu"
        verbose_name_plural = "cụm từ chỉ tiêu (kiểm tra số liệu)"
        ordering = ["indicator__sort_order", "phrase"]
        constraints = [
            models.UniqueConstraint(fields=["phrase", "kind"], name="figuremapping_phrase_once"),
        ]

    def __str__(self) -> str:
        return f"{self.phrase} → {self.indicator_id}"
