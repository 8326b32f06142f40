"""Demo key tasks (deterministic): the city's own tasks from the congress resolution; the year's 21 key
tasks handed by the city to each live district-level unit (most done with evidence, a few open, some
overdue); Kim Liên handing five tasks to each of its CĐCS; Gia Lâm's tasks of its last half-year."""

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
from .models import KeyTask, TaskSource

CITY_CODE = "HN"
KIMLIEN_CODE = "HN-P-KIMLIEN"
GIALAM_CODE = "HN-GIALAM"
UPPER_TYPES = ("LDLD_HUYEN", "CD_XA", "CD_KCN", "CD_NGANH")

PROGRAMME = [
    "Phát triển đoàn viên, thành lập công đoàn cơ sở theo chỉ tiêu được giao",
    "Tổ chức Hội nghị người lao động tại 100% doanh nghiệp có công đoàn cơ sở",
    "Thương lượng, ký kết thỏa ước lao động tập thể có lợi hơn cho người lao động",
    "Tổ chức đối thoại định kỳ tại nơi làm việc",
    "Chăm lo Tết cho đoàn viên, người lao động có hoàn cảnh khó khăn",
    "Tuyên truyền, phổ biến pháp luật lao động cho đoàn viên",
    "Tập huấn nghiệp vụ cho cán bộ công đoàn cơ sở",
    "Kiểm tra, giám sát việc thực hiện chế độ, chính sách tại doanh nghiệp",
    "Thu kinh phí, đoàn phí công đoàn đạt kế hoạch",
    "Xây dựng Mái ấm Công đoàn cho đoàn viên khó khăn về nhà ở",
    "Tổ chức Tháng Công nhân và Tháng hành động về an toàn, vệ sinh lao động",
    "Phong trào thi đua lao động giỏi, lao động sáng tạo",
    "Tổ chức các hoạt động văn hóa, thể thao cho công nhân lao động",
    "Phối hợp giải quyết tranh chấp lao động, ngừng việc tập thể",
    "Giới thiệu việc làm, hỗ trợ người lao động mất việc",
    "Xây dựng tổ chức công đoàn vững mạnh",
    "Sơ kết, tổng kết nghị quyết Đại hội Công đoàn các cấp",
    "Kiện toàn ban chấp hành công đoàn cơ sở sau sắp xếp đơn vị hành chính",
    "Chuyển đổi số trong quản lý đoàn viên",
    "Tổ chức Bữa cơm Công đoàn, Tết Sum vầy",
    "Tham gia xây dựng chính sách, pháp luật liên quan đến người lao động",
]
RESOLUTION = [
    "Đến năm 2028 phát triển mới 150.000 đoàn viên",
    "Đến năm 2028 có 80% doanh nghiệp ký thỏa ước lao động tập thể",
    "Hằng năm 100% CĐCS tổ chức Hội nghị người lao động",
    "Đào tạo, bồi dưỡng 100% cán bộ công đoàn mới",
]


def _finish(rng: random.Random, tasks: list[KeyTask], share: float, today: dt.date) -> int:
    """Mark about ``share`` of ``tasks`` done (before today, with evidence); start some others."""
    done = 0
    for task in tasks:
        if rng.random() < share:
            day = min(today, task.deadline - dt.timedelta(days=rng.randint(0, 40)))
            day = max(day, task.start_on)
            services.task_complete(
                actor=None, task=task, done_on=day, evidence=f"Báo cáo kết quả thực hiện ngày {day:%d/%m/%Y}."
            )
            done += 1
        elif rng.random() < 0.5:
            services.task_start(actor=None, task=task)
    return done


def load_plans(*, stdout: Any = None) -> dict[str, int]:
    if KeyTask.objects.exists():
        return {}
    load_catalogue(Indicator)
    city = OrgUnit.objects.filter(code=CITY_CODE).first()
    if city is None:
        return {}
    rng = random.Random(1616)
    today = timezone.localdate()
    year = today.year
    start, end = dt.date(year, 1, 15), dt.date(year, 12, 31)
    counts = {"tasks": 0, "done": 0}
    with transaction.atomic():
        own = services.task_create(
            actor=None,
            unit=city,
            title=RESOLUTION[0],
            start_on=dt.date(2023, 10, 1),
            deadline=dt.date(2028, 9, 30),
            source=TaskSource.RESOLUTION,
            owner="Ban Tổ chức",
        )
        for title in RESOLUTION[1:]:
            services.task_create(
                actor=None,
                unit=city,
                title=title,
                start_on=dt.date(2023, 10, 1),
                deadline=dt.date(year, 12, 31),
                source=TaskSource.RESOLUTION,
                owner="Thường trực",
            )
        counts["tasks"] += len(RESOLUTION)
        districts = list(
            OrgUnit.objects.filter(id__in=tree.in_subtree([city.pk], today), type__in=UPPER_TYPES)
            .exclude(pk=city.pk)
            .order_by("code")
        )
        for n, district in enumerate(districts):
            if not district.is_alive_on(start):
                continue
            tasks = services.task_hand_down(
                actor=None,
                by=city,
                units=[district],
                titles=PROGRAMME,
                start_on=start,
                deadline=dt.date(year, 6, 30) if n % 2 else end,
                source=TaskSource.PROGRAMME,
                owner="Chủ tịch",
            )
            # Kim Liên: 19 of 21 done (the example); the others between 60% and 100%.
            share = 19 / 21 if district.code == KIMLIEN_CODE else rng.uniform(0.6, 1.0)
            if district.code == KIMLIEN_CODE:
                for task in tasks[:19]:
                    services.task_complete(
                        actor=None, task=task, done_on=min(today, task.deadline), evidence="Báo cáo kết quả."
                    )
                counts["done"] += 19
            else:
                counts["done"] += _finish(rng, tasks, share, today)
            counts["tasks"] += len(tasks)
        kimlien = next((d for d in districts if d.code == KIMLIEN_CODE), None)
        if kimlien is not None:
            cdcs = list(
                OrgUnit.objects.filter(
                    id__in=tree.in_subtree([kimlien.pk], today), type__in=GRASSROOTS_TYPES
                ).order_by("code")[:40]
            )
            cdcs = [u for u in cdcs if u.is_alive_on(start)]
            if cdcs:
                tasks = services.task_hand_down(
                    actor=None,
                    by=kimlien,
                    units=cdcs,
                    titles=PROGRAMME[:5],
                    start_on=start,
                    deadline=dt.date(year, 10, 31),
                    source=TaskSource.UPPER,
                    owner="Chủ tịch CĐCS",
                )
                counts["tasks"] += len(tasks)
                counts["done"] += _finish(rng, tasks, 0.7, today)
        gialam = OrgUnit.objects.filter(code=GIALAM_CODE).first()
        if gialam is not None and gialam.is_alive_on(dt.date(2025, 1, 10)):
            last = gialam.dissolved_on - dt.timedelta(days=1) if gialam.dissolved_on else dt.date(2025, 6, 29)
            tasks = [
                services.task_create(
                    actor=None,
                    unit=gialam,
                    title=title,
                    start_on=dt.date(2025, 1, 10),
                    deadline=min(last, dt.date(2025, 6, 15)),
                    source=TaskSource.PROGRAMME,
                    owner="Chủ tịch",
                )
                for title in PROGRAMME[:8]
            ]
            counts["tasks"] += len(tasks)
            counts["done"] += _finish(rng, tasks, 0.8, min(today, last))
        del own
    if stdout is not None:
        stdout.write(
            f"Đã nạp {format_number(counts['tasks'])} nhiệm vụ trọng tâm "
            f"({format_number(counts['done'])} đã hoàn thành)."
        )
    return counts


def demo_command_plans(run: DemoRun) -> dict[str, int]:
    return load_plans(stdout=run.stdout)
