"""Demo recommendations (deterministic): districts' recommendations to the city (some answered, some
waiting, a few overdue), Kim Liên's CĐCS recommending to Kim Liên and to their employers, and Gia Lâm's
of its last half-year."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from congdoan.core.formatting import format_number
from congdoan.core.registry import DemoRun, tree
from congdoan.indicators.models import Indicator
from congdoan.org.models import GRASSROOTS_TYPES, OrgUnit

from . import services
from .catalogue import load_catalogue
from .models import Recommendation, RecTopic

CITY_CODE = "HN"
KIMLIEN_CODE = "HN-P-KIMLIEN"
GIALAM_CODE = "HN-GIALAM"
UPPER_TYPES = ("LDLD_HUYEN", "CD_XA", "CD_KCN", "CD_NGANH")

TO_CITY = [
    ("Gia hạn thời gian tổ chức Hội nghị người lao động đến hết quý II", RecTopic.ORGANISATION),
    ("Liên kết tài khoản ngân hàng để thu đoàn phí qua chuyển khoản", RecTopic.FINANCE),
    ("Hướng dẫn thủ tục chuyển sinh hoạt đoàn viên sau sắp xếp đơn vị hành chính", RecTopic.ORGANISATION),
    ("Tăng mức hỗ trợ Mái ấm Công đoàn cho đoàn viên khó khăn về nhà ở", RecTopic.POLICY),
]
TO_EMPLOYER = [
    ("Bố trí nhà ăn ca đảm bảo vệ sinh an toàn thực phẩm", RecTopic.SAFETY),
    ("Điều chỉnh đơn giá tiền lương theo mức lương tối thiểu vùng mới", RecTopic.WAGES),
    ("Trang bị đủ phương tiện bảo vệ cá nhân cho tổ sản xuất", RecTopic.SAFETY),
]
ANSWERS = [
    "Đồng ý, đề nghị đơn vị thực hiện theo hướng dẫn kèm theo.",
    "Đã chuyển Ban Tài chính nghiên cứu, sẽ có văn bản hướng dẫn trong quý tới.",
    "Doanh nghiệp đã tiếp thu và thực hiện từ tháng sau.",
]


def _answer(rng: random.Random, rec: Recommendation, by: OrgUnit, today: dt.date) -> bool:
    day = rec.raised_on + dt.timedelta(days=rng.randint(5, 45))
    if day > today:
        return False
    services.rec_answer(actor=None, rec=rec, by=by, on=day, answer=rng.choice(ANSWERS))
    if rng.random() < 0.5 and day + dt.timedelta(days=7) <= today:
        services.rec_close(actor=None, rec=rec, on=day + dt.timedelta(days=7), note="Đã thực hiện.")
    return True


def load_recommendations(*, stdout: Any = None) -> dict[str, int]:
    if Recommendation.objects.exists():
        return {}
    load_catalogue(Indicator)
    city = OrgUnit.objects.filter(code=CITY_CODE).first()
    if city is None:
        return {}
    rng = random.Random(1617)
    today = timezone.localdate()
    counts = {"recommendations": 0, "answered": 0}
    with transaction.atomic():
        districts = list(
            OrgUnit.objects.filter(id__in=tree.in_subtree([city.pk], today), type__in=UPPER_TYPES)
            .exclude(pk=city.pk)
            .order_by("code")
        )
        for district in districts:
            for title, topic in rng.sample(TO_CITY, k=rng.randint(1, 3)):
                day = today - dt.timedelta(days=rng.randint(3, 200))
                if not district.is_alive_on(day):
                    continue
                rec = services.rec_create(
                    actor=None, unit=district, title=title, topic=topic, raised_on=day, to_unit=city
                )
                counts["recommendations"] += 1
                if rng.random() < 0.7:
                    counts["answered"] += _answer(rng, rec, city, today)
        kimlien = next((d for d in districts if d.code == KIMLIEN_CODE), None)
        if kimlien is not None:
            cdcs = OrgUnit.objects.filter(
                id__in=tree.in_subtree([kimlien.pk], today), type__in=GRASSROOTS_TYPES
            )
            for unit in cdcs.order_by("code")[:30]:
                day = today - dt.timedelta(days=rng.randint(3, 150))
                if not unit.is_alive_on(day):
                    continue
                title, topic = rng.choice(TO_CITY[:2])
                rec = services.rec_create(
                    actor=None, unit=unit, title=title, topic=topic, raised_on=day, to_unit=kimlien
                )
                counts["recommendations"] += 1
                if rng.random() < 0.6:
                    counts["answered"] += _answer(rng, rec, kimlien, today)
                title, topic = rng.choice(TO_EMPLOYER)
                rec = services.rec_create(
                    actor=None,
                    unit=unit,
                    title=title,
                    topic=topic,
                    raised_on=day,
                    to_body=f"Người sử dụng lao động – {unit.name.removeprefix('CĐCS ')}",
                )
                counts["recommendations"] += 1
                if rng.random() < 0.5:
                    counts["answered"] += _answer(rng, rec, unit, today)
        gialam = OrgUnit.objects.filter(code=GIALAM_CODE).first()
        if gialam is not None and gialam.is_alive_on(dt.date(2025, 3, 1)):
            for i, (title, topic) in enumerate(TO_CITY[:2]):
                rec = services.rec_create(
                    actor=None,
                    unit=gialam,
                    title=title,
                    topic=topic,
                    raised_on=dt.date(2025, 3, 1 + i),
                    to_unit=city,
                )
                counts["recommendations"] += 1
                if i == 0:
                    services.rec_answer(
                        actor=None, rec=rec, by=city, on=dt.date(2025, 3, 20), answer=ANSWERS[0]
                    )
                    counts["answered"] += 1
    if stdout is not None:
        stdout.write(
            f"Đã nạp {format_number(counts['recommendations'])} kiến nghị "
            f"({format_number(counts['answered'])} đã được trả lời)."
        )
    return counts


def demo_command_recommendations(run: DemoRun) -> dict[str, int]:
    return load_recommendations(stdout=run.stdout)
