"""The scoring schemes shipped as data (loaded by migration 0002 and again, idempotently, by the demo).

- ``HD1294_CDCS``: Hướng dẫn 1294/HD-TLĐ (2019) for CĐCS: groups of 40, 40 and 15 points and 5 bonus;
  the member-development criterion is computed from the indicator DV_KET_NAP (≥ 100% of the target:
  full points, ≤ 50%: none, linear between). The grade thresholds under 1294 are unconfirmed
  (domain.md §6): 90/75/50, the best grade asking every group at 50% of its points; change them on
  the template.
- ``HD1294_HUYEN``: the same structure for the district federations of a cluster, with the new CĐCS and
  new members computed from the indicators.
- ``TRUOC2019_CDCS``: the pre-2019 scheme kept for history: Vững mạnh ≥ 85 with no standard below 50%
  of its points, Khá 70–<85, Trung bình 50–<70, Yếu < 50.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

GRADES_1294 = [
    {"code": "xuat_sac", "label": "Hoàn thành xuất sắc nhiệm vụ", "min": 90, "groups": True},
    {"code": "tot", "label": "Hoàn thành tốt nhiệm vụ", "min": 75, "groups": False},
    {"code": "hoan_thanh", "label": "Hoàn thành nhiệm vụ", "min": 50, "groups": False},
    {"code": "khong_hoan_thanh", "label": "Không hoàn thành nhiệm vụ", "min": 0, "groups": False},
]
GRADES_OLD = [
    {"code": "vung_manh", "label": "Vững mạnh", "min": 85, "groups": True},
    {"code": "kha", "label": "Khá", "min": 70, "groups": False},
    {"code": "trung_binh", "label": "Trung bình", "min": 50, "groups": False},
    {"code": "yeu", "label": "Yếu", "min": 0, "groups": False},
]
# Every grade code, in order, with its label (the indicators count CĐCS by these codes).
GRADE_LABELS: dict[str, str] = {g["code"]: g["label"] for g in GRADES_1294 + GRADES_OLD}  # type: ignore[misc]

# (number, name, max, children, options); options: bonus, indicator_code, basis, low, high
Node = tuple[str, str, int, list[Any], dict[str, Any]]

_MEMBERS = {"indicator_code": "DV_KET_NAP", "basis": "achievement", "low": 50, "high": 100}
_NEW_CDCS = {"indicator_code": "CDCS_THANH_LAP", "basis": "achievement", "low": 50, "high": 100}

CDCS_1294: list[Node] = [
    (
        "1",
        "Đại diện, chăm lo, bảo vệ; tham gia quản lý, kiểm tra, giám sát",
        40,
        [
            ("1.1", "Đại diện, bảo vệ quyền lợi; thương lượng, ký kết thỏa ước lao động tập thể", 10, [], {}),
            ("1.2", "Chăm lo đời sống, việc làm, thu nhập của đoàn viên, người lao động", 10, [], {}),
            (
                "1.3",
                "Tổ chức hội nghị người lao động / hội nghị CB,CC,VC; đối thoại tại nơi làm việc",
                10,
                [],
                {},
            ),
            ("1.4", "Tham gia quản lý, kiểm tra, giám sát; phòng chống tham nhũng, lãng phí", 10, [], {}),
        ],
        {},
    ),
    (
        "2",
        "Xây dựng tổ chức công đoàn vững mạnh",
        40,
        [
            ("2.1", "Phát triển đoàn viên đạt chỉ tiêu được giao (≥ 100% đủ điểm)", 10, [], _MEMBERS),
            ("2.2", "Xây dựng ban chấp hành, tổ công đoàn; bồi dưỡng cán bộ", 10, [], {}),
            ("2.3", "Thu, chi, quản lý tài chính công đoàn đúng quy định", 10, [], {}),
            ("2.4", "Công tác kiểm tra của ủy ban kiểm tra công đoàn", 10, [], {}),
        ],
        {},
    ),
    (
        "3",
        "Tuyên truyền, giáo dục và các hoạt động khác",
        15,
        [
            ("3.1", "Tuyên truyền, phổ biến chủ trương, chính sách, pháp luật", 8, [], {}),
            ("3.2", "Tổ chức phong trào thi đua, văn hóa, thể thao", 7, [], {}),
        ],
        {},
    ),
    (
        "T",
        "Điểm thưởng",
        5,
        [
            ("T.1", "Thành tích nổi bật, mô hình mới, cách làm hiệu quả", 5, [], {"bonus": True}),
        ],
        {"bonus": True},
    ),
]

HUYEN_1294: list[Node] = [
    (
        "1",
        "Đại diện, chăm lo, bảo vệ; tham gia quản lý, kiểm tra, giám sát",
        40,
        [
            ("1.1", "Chỉ đạo thương lượng, ký kết thỏa ước lao động tập thể", 15, [], {}),
            ("1.2", "Chăm lo đời sống đoàn viên; chương trình phúc lợi", 15, [], {}),
            ("1.3", "Chỉ đạo tổ chức hội nghị người lao động, đối thoại", 10, [], {}),
        ],
        {},
    ),
    (
        "2",
        "Xây dựng tổ chức công đoàn vững mạnh",
        40,
        [
            ("2.1", "Phát triển đoàn viên đạt chỉ tiêu được giao (≥ 100% đủ điểm)", 15, [], _MEMBERS),
            ("2.2", "Thành lập công đoàn cơ sở đạt chỉ tiêu được giao (≥ 100% đủ điểm)", 10, [], _NEW_CDCS),
            ("2.3", "Tài chính công đoàn, công tác kiểm tra", 15, [], {}),
        ],
        {},
    ),
    (
        "3",
        "Tuyên truyền, giáo dục và các hoạt động khác",
        15,
        [
            ("3.1", "Tuyên truyền, giáo dục; phong trào thi đua", 15, [], {}),
        ],
        {},
    ),
    (
        "T",
        "Điểm thưởng",
        5,
        [
            ("T.1", "Thành tích nổi bật, mô hình mới", 5, [], {"bonus": True}),
        ],
        {"bonus": True},
    ),
]

CDCS_OLD: list[Node] = [
    (
        "I",
        "Tiêu chuẩn 1: Chăm lo, bảo vệ quyền lợi hợp pháp, chính đáng của đoàn viên",
        30,
        [
            ("I.1", "Đại diện, chăm lo, bảo vệ quyền lợi", 30, [], {}),
        ],
        {},
    ),
    (
        "II",
        "Tiêu chuẩn 2: Tuyên truyền, giáo dục; phong trào thi đua",
        20,
        [
            ("II.1", "Tuyên truyền, giáo dục; phong trào thi đua", 20, [], {}),
        ],
        {},
    ),
    (
        "III",
        "Tiêu chuẩn 3: Xây dựng tổ chức công đoàn",
        30,
        [
            ("III.1", "Phát triển đoàn viên, xây dựng tổ chức", 30, [], {}),
        ],
        {},
    ),
    (
        "IV",
        "Tiêu chuẩn 4: Tài chính và kiểm tra",
        20,
        [
            ("IV.1", "Tài chính, kiểm tra công đoàn", 20, [], {}),
        ],
        {},
    ),
]

TEMPLATES: list[dict[str, Any]] = [
    {
        "code": "HD1294_CDCS",
        "name": "Chấm điểm CĐCS theo Hướng dẫn 1294/HD-TLĐ (40/40/15 + 5 điểm thưởng)",
        "unit_type": "CDCS",
        "year_from": 2019,
        "year_to": None,
        "grades": GRADES_1294,
        "basis": "Hướng dẫn 1294/HD-TLĐ ngày 14/8/2019 của Tổng Liên đoàn Lao động Việt Nam.",
        "nodes": CDCS_1294,
    },
    {
        "code": "HD1294_HUYEN",
        "name": "Chấm điểm LĐLĐ cấp huyện trong cụm thi đua (40/40/15 + 5 điểm thưởng)",
        "unit_type": "LDLD_HUYEN",
        "year_from": 2019,
        "year_to": None,
        "grades": GRADES_1294,
        "basis": "Hướng dẫn 1294/HD-TLĐ, áp dụng cho các cụm thi đua của LĐLĐ thành phố.",
        "nodes": HUYEN_1294,
    },
    {
        "code": "TRUOC2019_CDCS",
        "name": "Chấm điểm CĐCS trước 2019 (Vững mạnh 85 / Khá 70 / Trung bình 50)",
        "unit_type": "CDCS",
        "year_from": 2010,
        "year_to": 2018,
        "grades": GRADES_OLD,
        "basis": "Hướng dẫn 1931/HD-TLĐ (2014), thay thế bởi 1294/HD-TLĐ.",
        "nodes": CDCS_OLD,
    },
]


def load_templates(template_model: Any, criterion_model: Any) -> int:
    """Create the shipped templates that are missing (by code); returns how many were created."""
    created = 0
    for spec in TEMPLATES:
        if template_model._default_manager.filter(code=spec["code"]).exists():
            continue
        template = template_model._default_manager.create(
            code=spec["code"],
            name=spec["name"],
            unit_type=spec["unit_type"],
            year_from=spec["year_from"],
            year_to=spec["year_to"],
            grades=spec["grades"],
            group_min_share=Decimal("0.50"),
            basis=spec["basis"],
        )
        order = 0
        for number, name, most, children, options in spec["nodes"]:
            order += 1
            group = criterion_model._default_manager.create(
                template=template,
                parent=None,
                number=number,
                name=name,
                max_points=most,
                bonus=bool(options.get("bonus")),
                order=order,
            )
            for c_number, c_name, c_max, _, c_opts in children:
                order += 1
                criterion_model._default_manager.create(
                    template=template,
                    parent=group,
                    number=c_number,
                    name=c_name,
                    max_points=c_max,
                    bonus=bool(c_opts.get("bonus")),
                    order=order,
                    indicator_code=c_opts.get("indicator_code", ""),
                    basis=c_opts.get("basis", "achievement"),
                    low=c_opts.get("low"),
                    high=c_opts.get("high"),
                )
        created += 1
    return created
