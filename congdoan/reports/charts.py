"""The chart of a report: achievement by child unit as horizontal bars (actual, with the target marked).

One :class:`Chart` feeds two drawings: an HTML/CSS bar chart in the preview and the PDF
(``reports/_chart.html``), and a PNG drawn with Pillow (already installed with fpdf2) that the Word
document embeds. No plotting library: bars, a target tick and Vietnamese labels in DejaVu Sans
(``congdoan/static/fonts``), which carries every Vietnamese glyph.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

FONTS = Path(__file__).resolve().parent.parent / "static" / "fonts"
MAX_BARS = 15


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    target: Decimal | None
    text: str  # "3/2 (150%)" with a target, "3" without


@dataclass
class Chart:
    title: str
    bars: list[Bar]
    note: str = ""  # e.g. "15/412 đơn vị có số cao nhất"
    table: str = ""  # the key of the report table it illustrates

    @property
    def scale(self) -> Decimal:
        top = max([b.value for b in self.bars] + [b.target or 0 for b in self.bars] + [Decimal(1)])
        return Decimal(top)

    def share(self, value: Decimal | None) -> float:
        """Position of ``value`` on the bar axis, 0–100 (a percentage of the widest figure)."""
        if value is None:
            return 0.0
        return round(float(value / self.scale * 100), 2)

    @property
    def rows(self) -> list[dict[str, Any]]:
        """What the HTML chart needs per bar: label, text, bar width and target tick position."""
        return [
            {
                "label": b.label,
                "text": b.text,
                "width": self.share(b.value),
                "target": self.share(b.target) if b.target else None,
                "reached": b.target is not None and b.value >= b.target,
            }
            for b in self.bars
        ]


def top_bars(bars: list[Bar], total: int) -> tuple[list[Bar], str]:
    """The ``MAX_BARS`` highest bars (in their order otherwise) and a note when some were left out."""
    if len(bars) <= MAX_BARS:
        return bars, ""
    keep = sorted(bars, key=lambda b: (-b.value, -(b.target or 0)))[:MAX_BARS]
    chosen = {id(b) for b in keep}
    return [b for b in bars if id(b) in chosen], f"{MAX_BARS}/{total} đơn vị có số cao nhất"


# -- PNG ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _font(size: int, bold: bool = False) -> Any:
    from PIL import ImageFont

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(FONTS / name), size)


def _fit(draw: Any, text: str, font: Any, width: int) -> str:
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text.rstrip() + "…"


BAR = (31, 95, 168)
BAR_REACHED = (25, 135, 84)
TARGET = (200, 30, 30)
GRID = (210, 210, 210)
INK = (0, 0, 0)


def chart_png(chart: Chart, *, width: int = 1600) -> bytes:
    """The chart as a PNG (drawn at 2× for print): labels left, bars, target ticks, figures right."""
    from PIL import Image, ImageDraw

    label_w, text_w, pad = int(width * 0.36), int(width * 0.17), 24
    row_h, top = 46, 110
    height = top + row_h * len(chart.bars) + 70
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    title_font, font, small = _font(30, bold=True), _font(24), _font(22)
    draw.text((pad, 20), _fit(draw, chart.title, title_font, width - 2 * pad), font=title_font, fill=INK)
    if chart.note:
        draw.text((pad, 62), chart.note, font=small, fill=(90, 90, 90))
    x0 = pad + label_w
    x1 = width - pad - text_w
    span = x1 - x0
    for tick in range(0, 5):
        x = x0 + span * tick // 4
        draw.line([(x, top - 8), (x, top + row_h * len(chart.bars))], fill=GRID, width=2)
    for i, bar in enumerate(chart.bars):
        y = top + i * row_h
        label = _fit(draw, bar.label, font, label_w - 16)
        draw.text((x0 - 12, y + row_h // 2), label, font=font, fill=INK, anchor="rm")
        length = int(span * chart.share(bar.value) / 100)
        reached = bar.target is not None and bar.value >= bar.target
        if length > 0:
            draw.rectangle([(x0, y + 8), (x0 + length, y + row_h - 8)], fill=BAR_REACHED if reached else BAR)
        if bar.target:
            tx = x0 + int(span * chart.share(bar.target) / 100)
            draw.line([(tx, y + 2), (tx, y + row_h - 2)], fill=TARGET, width=5)
        draw.text((x1 + 12, y + row_h // 2), bar.text, font=font, fill=INK, anchor="lm")
    draw.line([(x0, top - 8), (x0, top + row_h * len(chart.bars))], fill=INK, width=2)
    legend_y = top + row_h * len(chart.bars) + 22
    x = x0
    for colour, text in ((BAR, "Thực hiện"), (BAR_REACHED, "Đạt chỉ tiêu"), (TARGET, "Chỉ tiêu")):
        if colour != BAR and not any(b.target for b in chart.bars):
            continue
        draw.rectangle([(x, legend_y + 4), (x + 26, legend_y + 24)], fill=colour)
        draw.text((x + 34, legend_y), text, font=small, fill=INK)
        x += 60 + int(draw.textlength(text, font=small))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
