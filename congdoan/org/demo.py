"""The demo federation: LĐLĐ thành phố Hà Nội before and after the 2025 restructuring (domain.md §1.3).

``load_demo`` builds it through the org services (actor ``None``, the system), deterministically
(``random.Random(2025)``), inside one transaction:

- TLĐ → HN; HN's 40 level-3 unions (30 LĐLĐ quận/huyện/thị xã, 7 sectoral unions, CĐ Viên chức,
  CĐ Cơ quan LĐLĐ TP, CĐ các KCN-KCX) founded 01/01/1990, plus 3 corporation unions that survive 2025;
- about 3,000 CĐCS (× ``scale``) and a few nghiệp đoàn, each placed in an old district and locality,
  with employers for most enterprise CĐCS and some employers without a CĐCS (the organising pipeline);
- the 2024 emulation clusters;
- 15/06/2025: CĐCS of administrative agencies under CĐ Viên chức end (Công văn 4133/TLĐ-ToC);
- 30/06/2025: the 40 level-3 unions end, their CĐCS pass to HN;
- 01/07/2025: ward/commune unions and Công đoàn Khu công nghệ cao và các KCN Hà Nội are set up;
- 01/08/2025: most CĐCS move to the union of their locality (some stay directly under HN);
- demo users with dated role assignments.

The place data (districts before 2025, some of their old wards/communes, the new wards) is copied
here so the demo works from an installed package.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.contrib.auth.hashers import make_password
from django.db import transaction

from congdoan.accounts.models import Role, RoleAssignment, User
from congdoan.core.formatting import format_number
from congdoan.core.registry import DemoRun
from congdoan.core.text import fold

from . import services
from .models import Employer, EmulationCluster, OrgUnit, Sector, UnitType

# Printed by `congdoan demo`; long enough for the password policy (AUTH_PASSWORD_VALIDATORS).
DEMO_PASSWORD = "DungThu@2025"
SEED = 2025
OLD = dt.date(1990, 1, 1)
VC_STOP = dt.date(2025, 6, 15)
END_LEVEL3 = dt.date(2025, 6, 30)
NEW_UNITS = dt.date(2025, 7, 1)
MOVE_DAY = dt.date(2025, 8, 1)
CLUSTER_YEAR = 2024

ROOT_CODE = "TLD"
CITY_CODE = "HN"
KIMLIEN_CODE = "HN-P-KIMLIEN"
GIALAM_CODE = "HN-GIALAM"

# fmt: off
# -- places ------------------------------------------------------------------------------------

# The 30 district-level units of Hà Nội before 1/7/2025: (name, kind, some of their wards/communes).
DISTRICTS: list[tuple[str, str, list[str]]] = [
    ("Ba Đình", "quận", ["Phúc Xá", "Trúc Bạch", "Vĩnh Phúc", "Cống Vị", "Liễu Giai", "Ngọc Hà", "Đội Cấn",
                         "Kim Mã", "Giảng Võ", "Thành Công", "Quán Thánh", "Điện Biên"]),
    ("Hoàn Kiếm", "quận", ["Hàng Bạc", "Hàng Bồ", "Hàng Trống", "Tràng Tiền", "Lý Thái Tổ", "Phan Chu Trinh",
                           "Cửa Nam", "Hàng Bông", "Đồng Xuân"]),
    ("Tây Hồ", "quận", ["Bưởi", "Thụy Khuê", "Yên Phụ", "Tứ Liên", "Nhật Tân", "Quảng An", "Xuân La",
                        "Phú Thượng"]),
    ("Long Biên", "quận", ["Ngọc Lâm", "Gia Thụy", "Bồ Đề", "Sài Đồng", "Thạch Bàn", "Phúc Đồng", "Việt Hưng",
                           "Giang Biên", "Đức Giang", "Long Biên", "Ngọc Thụy", "Phúc Lợi"]),
    ("Cầu Giấy", "quận", ["Nghĩa Đô", "Nghĩa Tân", "Mai Dịch", "Dịch Vọng", "Dịch Vọng Hậu", "Quan Hoa",
                          "Yên Hòa", "Trung Hòa"]),
    ("Đống Đa", "quận", ["Kim Liên", "Trung Tự", "Phương Mai", "Khương Thượng", "Nam Đồng", "Phương Liên",
                         "Quang Trung", "Văn Chương", "Láng Hạ", "Láng Thượng", "Ô Chợ Dừa", "Cát Linh",
                         "Khâm Thiên", "Thịnh Quang"]),
    ("Hai Bà Trưng", "quận", ["Bạch Đằng", "Bách Khoa", "Bạch Mai", "Cầu Dền", "Đồng Nhân", "Đồng Tâm",
                              "Lê Đại Hành", "Minh Khai", "Phạm Đình Hổ", "Quỳnh Mai", "Thanh Lương",
                              "Trương Định", "Vĩnh Tuy"]),
    ("Hoàng Mai", "quận", ["Đại Kim", "Định Công", "Giáp Bát", "Hoàng Liệt", "Hoàng Văn Thụ", "Lĩnh Nam",
                           "Mai Động", "Tân Mai", "Thịnh Liệt", "Trần Phú", "Tương Mai", "Vĩnh Hưng",
                           "Yên Sở"]),
    ("Thanh Xuân", "quận", ["Hạ Đình", "Khương Đình", "Khương Mai", "Khương Trung", "Kim Giang", "Nhân Chính",
                            "Phương Liệt", "Thanh Xuân Bắc", "Thanh Xuân Nam", "Thượng Đình"]),
    ("Nam Từ Liêm", "quận", ["Cầu Diễn", "Đại Mỗ", "Mễ Trì", "Mỹ Đình", "Phú Đô", "Phương Canh", "Tây Mỗ",
                             "Trung Văn", "Xuân Phương"]),
    ("Bắc Từ Liêm", "quận", ["Cổ Nhuế", "Đông Ngạc", "Đức Thắng", "Liên Mạc", "Phú Diễn", "Phúc Diễn",
                             "Tây Tựu", "Thượng Cát", "Thụy Phương", "Xuân Đỉnh", "Xuân Tảo"]),
    ("Hà Đông", "quận", ["Biên Giang", "Đồng Mai", "Dương Nội", "Hà Cầu", "Kiến Hưng", "La Khê", "Mộ Lao",
                         "Nguyễn Trãi", "Phú La", "Phú Lãm", "Phú Lương", "Phúc La", "Vạn Phúc", "Văn Quán",
                         "Yên Nghĩa", "Yết Kiêu"]),
    ("Sơn Tây", "thị xã", ["Lê Lợi", "Ngô Quyền", "Phú Thịnh", "Sơn Lộc", "Trung Hưng", "Viên Sơn",
                           "Xuân Khanh", "Cổ Đông", "Đường Lâm", "Kim Sơn", "Sơn Đông", "Thanh Mỹ"]),
    ("Ba Vì", "huyện", ["Tây Đằng", "Ba Trại", "Cẩm Lĩnh", "Cam Thượng", "Châu Sơn", "Phú Châu", "Tản Lĩnh",
                        "Vân Hòa", "Yên Bài", "Thụy An"]),
    ("Phúc Thọ", "huyện", ["Hát Môn", "Ngọc Tảo", "Phụng Thượng", "Tam Hiệp", "Thọ Lộc", "Võng Xuyên",
                           "Xuân Đình", "Long Thượng"]),
    ("Đan Phượng", "huyện", ["Phùng", "Đồng Tháp", "Hạ Mỗ", "Hồng Hà", "Liên Hà", "Phương Đình", "Tân Hội",
                             "Tân Lập", "Thọ An"]),
    ("Hoài Đức", "huyện", ["Trạm Trôi", "An Khánh", "An Thượng", "Đức Giang", "Đức Thượng", "Kim Chung",
                           "La Phù", "Sơn Đồng", "Vân Canh", "Di Trạch"]),
    ("Quốc Oai", "huyện", ["Cấn Hữu", "Đồng Quang", "Hòa Thạch", "Ngọc Liệp", "Phú Cát", "Sài Sơn",
                           "Thạch Thán", "Yên Sơn"]),
    ("Thạch Thất", "huyện", ["Liên Quan", "Bình Phú", "Cần Kiệm", "Chàng Sơn", "Hạ Bằng", "Hữu Bằng",
                             "Phùng Xá", "Tân Xã", "Thạch Hòa", "Kim Quan"]),
    ("Chương Mỹ", "huyện", ["Chúc Sơn", "Xuân Mai", "Đại Yên", "Đông Phương Yên", "Ngọc Hòa", "Phú Nghĩa",
                            "Phụng Châu", "Thủy Xuân Tiên", "Tốt Động", "Trường Yên"]),
    ("Thanh Oai", "huyện", ["Kim Bài", "Bích Hòa", "Bình Minh", "Cao Viên", "Cự Khê", "Dân Hòa", "Tam Hưng",
                            "Thanh Cao", "Thanh Thùy", "Xuân Dương"]),
    ("Thường Tín", "huyện", ["Chương Dương", "Duyên Thái", "Hà Hồi", "Hiền Giang", "Liên Phương", "Nhị Khê",
                             "Ninh Sở", "Tô Hiệu", "Vân Tảo"]),
    ("Phú Xuyên", "huyện", ["Phú Minh", "Chuyên Mỹ", "Đại Xuyên", "Hồng Minh", "Minh Tân", "Nam Phong",
                            "Phượng Dực", "Quang Lãng", "Tri Thủy"]),
    ("Ứng Hòa", "huyện", ["Vân Đình", "Đại Hùng", "Đồng Tân", "Hòa Xá", "Hoa Sơn", "Liên Bạt", "Phương Tú",
                          "Quảng Phú Cầu", "Trầm Lộng", "Viên An"]),
    ("Mỹ Đức", "huyện", ["Đại Nghĩa", "An Mỹ", "Bột Xuyên", "Hương Sơn", "Hợp Tiến", "Lê Thanh",
                         "Phù Lưu Tế", "Phúc Lâm", "Tuy Lai", "Hồng Sơn"]),
    ("Mê Linh", "huyện", ["Chi Đông", "Quang Minh", "Đại Thịnh", "Kim Hoa", "Tiền Phong", "Tiến Thắng",
                          "Thanh Lâm", "Tráng Việt", "Văn Khê"]),
    ("Đông Anh", "huyện", ["Cổ Loa", "Dục Tú", "Hải Bối", "Kim Chung", "Liên Hà", "Mai Lâm", "Nguyên Khê",
                           "Uy Nỗ", "Vân Hà", "Vĩnh Ngọc", "Xuân Nộn"]),
    ("Sóc Sơn", "huyện", ["Bắc Sơn", "Hiền Ninh", "Minh Phú", "Mai Đình", "Phù Lỗ", "Phú Cường", "Tiên Dược",
                          "Trung Giã", "Xuân Giang"]),
    ("Gia Lâm", "huyện", ["Trâu Quỳ", "Yên Viên", "Bát Tràng", "Cổ Bi", "Đặng Xá", "Dương Xá", "Đa Tốn",
                          "Kiêu Kỵ", "Ninh Hiệp", "Phù Đổng", "Kim Sơn", "Đông Dư"]),
    ("Thanh Trì", "huyện", ["Văn Điển", "Tả Thanh Oai", "Tam Hiệp", "Ngọc Hồi", "Liên Ninh", "Tứ Hiệp",
                            "Vĩnh Quỳnh", "Yên Mỹ", "Đại Áng", "Thanh Liệt"]),
]
URBAN = {name for name, kind, _ in DISTRICTS if kind == "quận"}

# Relative number of CĐCS per district union (dense inner districts have more).
DISTRICT_WEIGHT: dict[str, int] = {
    "Ba Đình": 7, "Hoàn Kiếm": 7, "Tây Hồ": 4, "Long Biên": 6, "Cầu Giấy": 8, "Đống Đa": 12,
    "Hai Bà Trưng": 8, "Hoàng Mai": 6, "Thanh Xuân": 6, "Nam Từ Liêm": 6, "Bắc Từ Liêm": 5, "Hà Đông": 6,
    "Sơn Tây": 3,
    "Đông Anh": 5, "Gia Lâm": 5, "Sóc Sơn": 3, "Mê Linh": 3, "Thanh Trì": 4, "Chương Mỹ": 3,
}

# The 2024 emulation clusters organised by HN: (name, members, leader, deputy).
CLUSTERS: list[tuple[str, list[str], str, str]] = [
    ("Cụm thi đua số 1", ["Hoàn Kiếm", "Ba Đình", "Tây Hồ", "Cầu Giấy", "Đống Đa", "Hai Bà Trưng"],
     "Hoàn Kiếm", "Cầu Giấy"),
    ("Cụm thi đua số 2", ["Long Biên", "Hoàng Mai", "Thanh Xuân", "Nam Từ Liêm", "Bắc Từ Liêm", "Hà Đông"],
     "Hà Đông", "Long Biên"),
    ("Cụm thi đua số 3", ["Đông Anh", "Gia Lâm", "Sóc Sơn", "Mê Linh", "Thanh Trì", "Sơn Tây"],
     "Đông Anh", "Gia Lâm"),
    ("Cụm thi đua số 4", ["Phúc Thọ", "Ba Vì", "Hoài Đức", "Đan Phượng", "Thạch Thất", "Quốc Oai"],
     "Hoài Đức", "Thạch Thất"),
    ("Cụm thi đua số 5", ["Chương Mỹ", "Thanh Oai", "Thường Tín", "Phú Xuyên", "Ứng Hòa", "Mỹ Đức"],
     "Chương Mỹ", "Thường Tín"),
]
# Clusters of the other level-3 unions, by code.
SECTOR_CLUSTERS: list[tuple[str, list[str], str, str]] = [
    ("Cụm thi đua số 6", ["HN-CONGTHUONG", "HN-DETMAY", "HN-GTVT", "HN-XAYDUNG", "HN-NNPTNT", "HN-KCN"],
     "HN-CONGTHUONG", "HN-KCN"),
    ("Cụm thi đua số 7", ["HN-GIAODUC", "HN-YTE", "HN-VIENCHUC", "HN-COQUAN", "HN-TCT-VANTAI",
                          "HN-TCT-THUONGMAI", "HN-TCT-DULICH"],
     "HN-GIAODUC", "HN-YTE"),
]

# The ward/commune unions set up from 1/7/2025: (code, name, old district, old localities it takes;
# an empty list = every locality of the district not claimed by another new union).
NEW_LOCAL_UNIONS: list[tuple[str, str, str, list[str]]] = [
    ("HN-P-BADINH", "Công đoàn phường Ba Đình", "Ba Đình", []),
    ("HN-P-GIANGVO", "Công đoàn phường Giảng Võ", "Ba Đình", ["Giảng Võ", "Thành Công", "Kim Mã"]),
    ("HN-P-HOANKIEM", "Công đoàn phường Hoàn Kiếm", "Hoàn Kiếm", []),
    ("HN-P-TAYHO", "Công đoàn phường Tây Hồ", "Tây Hồ", []),
    ("HN-P-LONGBIEN", "Công đoàn phường Long Biên", "Long Biên", []),
    ("HN-P-BODE", "Công đoàn phường Bồ Đề", "Long Biên", ["Bồ Đề", "Ngọc Lâm", "Gia Thụy", "Ngọc Thụy"]),
    ("HN-P-CAUGIAY", "Công đoàn phường Cầu Giấy", "Cầu Giấy", []),
    (KIMLIEN_CODE, "Công đoàn phường Kim Liên", "Đống Đa",
     ["Kim Liên", "Trung Tự", "Phương Mai", "Khương Thượng", "Nam Đồng", "Phương Liên", "Quang Trung"]),
    ("HN-P-DONGDA", "Công đoàn phường Đống Đa", "Đống Đa", []),
    ("HN-P-LANG", "Công đoàn phường Láng", "Đống Đa", ["Láng Hạ", "Láng Thượng"]),
    ("HN-P-HAIBATRUNG", "Công đoàn phường Hai Bà Trưng", "Hai Bà Trưng", []),
    ("HN-P-BACHMAI", "Công đoàn phường Bạch Mai", "Hai Bà Trưng",
     ["Bạch Mai", "Bách Khoa", "Đồng Tâm", "Quỳnh Mai", "Minh Khai", "Trương Định"]),
    ("HN-P-HOANGMAI", "Công đoàn phường Hoàng Mai", "Hoàng Mai", []),
    ("HN-P-DINHCONG", "Công đoàn phường Định Công", "Hoàng Mai", ["Định Công", "Đại Kim", "Thịnh Liệt"]),
    ("HN-P-THANHXUAN", "Công đoàn phường Thanh Xuân", "Thanh Xuân", []),
    ("HN-P-TULIEM", "Công đoàn phường Từ Liêm", "Nam Từ Liêm", []),
    ("HN-P-PHUDIEN", "Công đoàn phường Phú Diễn", "Bắc Từ Liêm", []),
    ("HN-P-HADONG", "Công đoàn phường Hà Đông", "Hà Đông", []),
    ("HN-P-SONTAY", "Công đoàn phường Sơn Tây", "Sơn Tây", []),
    ("HN-P-CHUONGMY", "Công đoàn phường Chương Mỹ", "Chương Mỹ", []),
    ("HN-X-GIALAM", "Công đoàn xã Gia Lâm", "Gia Lâm", []),
    ("HN-X-BATTRANG", "Công đoàn xã Bát Tràng", "Gia Lâm", ["Bát Tràng", "Kim Sơn", "Đa Tốn", "Kiêu Kỵ"]),
    ("HN-X-DONGANH", "Công đoàn xã Đông Anh", "Đông Anh", []),
    ("HN-X-SOCSON", "Công đoàn xã Sóc Sơn", "Sóc Sơn", []),
    ("HN-X-MELINH", "Công đoàn xã Mê Linh", "Mê Linh", []),
    ("HN-X-THANHTRI", "Công đoàn xã Thanh Trì", "Thanh Trì", []),
    ("HN-X-THUONGTIN", "Công đoàn xã Thường Tín", "Thường Tín", []),
    ("HN-X-HOAIDUC", "Công đoàn xã Hoài Đức", "Hoài Đức", []),
    ("HN-X-THACHTHAT", "Công đoàn xã Thạch Thất", "Thạch Thất", []),
]
NEW_IZ_CODE = "HN-KCNC"
NEW_IZ_NAME = "Công đoàn Khu công nghệ cao và các KCN Hà Nội"

# The other level-3 unions that ended on 30/6/2025: (code, name, short name, type, CĐCS at scale 1).
CITY_UNIONS: list[tuple[str, str, str, str, int]] = [
    ("HN-CONGTHUONG", "Công đoàn ngành Công Thương Hà Nội", "CĐ ngành Công Thương", UnitType.CD_NGANH, 150),
    ("HN-DETMAY", "Công đoàn ngành Dệt May Hà Nội", "CĐ ngành Dệt May", UnitType.CD_NGANH, 60),
    ("HN-GTVT", "Công đoàn ngành Giao thông vận tải Hà Nội", "CĐ ngành GTVT", UnitType.CD_NGANH, 90),
    ("HN-GIAODUC", "Công đoàn ngành Giáo dục Hà Nội", "CĐ ngành Giáo dục", UnitType.CD_NGANH, 200),
    ("HN-NNPTNT", "Công đoàn ngành Nông nghiệp và Phát triển nông thôn Hà Nội", "CĐ ngành NN&PTNT",
     UnitType.CD_NGANH, 50),
    ("HN-XAYDUNG", "Công đoàn ngành Xây dựng Hà Nội", "CĐ ngành Xây dựng", UnitType.CD_NGANH, 110),
    ("HN-YTE", "Công đoàn ngành Y tế Hà Nội", "CĐ ngành Y tế", UnitType.CD_NGANH, 120),
    ("HN-VIENCHUC", "Công đoàn Viên chức thành phố Hà Nội", "CĐ Viên chức HN", UnitType.CD_VIEN_CHUC, 40),
    ("HN-COQUAN", "Công đoàn Cơ quan Liên đoàn Lao động thành phố Hà Nội", "CĐ Cơ quan LĐLĐ TP",
     UnitType.CD_NGANH, 5),
    ("HN-KCN", "Công đoàn các Khu công nghiệp và Khu chế xuất Hà Nội", "CĐ các KCN-KCX HN",
     UnitType.CD_KCN, 180),
]
CORPORATION_UNIONS: list[tuple[str, str, str, int]] = [
    ("HN-TCT-VANTAI", "Công đoàn Tổng công ty Vận tải Hà Nội", "CĐ TCT Vận tải HN", 15),
    ("HN-TCT-THUONGMAI", "Công đoàn Tổng công ty Thương mại Hà Nội", "CĐ TCT Thương mại HN", 12),
    ("HN-TCT-DULICH", "Công đoàn Tổng công ty Du lịch Hà Nội", "CĐ TCT Du lịch HN", 10),
]
DISTRICT_TOTAL = 1900  # CĐCS under the 30 district unions at scale 1

# Industrial zones of the old CĐ các KCN-KCX: (name, district).
INDUSTRIAL_ZONES = [
    ("KCN Thăng Long", "Đông Anh"), ("KCN Nội Bài", "Sóc Sơn"), ("KCN Quang Minh", "Mê Linh"),
    ("KCN Bắc Thăng Long", "Đông Anh"), ("KCN Sài Đồng B", "Long Biên"),
    ("KCN Thạch Thất - Quốc Oai", "Thạch Thất"), ("KCN Phú Nghĩa", "Chương Mỹ"),
    ("KCN Nam Thăng Long", "Bắc Từ Liêm"), ("Khu công nghệ cao Hòa Lạc", "Thạch Thất"),
]

# -- names -------------------------------------------------------------------------------------

BRANDS = [
    "Thăng Long", "Hồng Hà", "Sông Đà", "Hà Thành", "Kinh Bắc", "Đại Việt", "An Phát", "Minh Khang",
    "Phú Thịnh", "Hưng Thịnh", "Tân Á", "Hoàng Long", "Bình Minh", "Sao Mai", "Trường Thành", "Thành Công",
    "Đông Đô", "Tràng An", "Hòa Bình", "Việt Tiến", "Phương Nam", "Đức Minh", "Hải Âu", "Nam Việt",
    "Toàn Thắng", "Kim Long", "Thái Sơn", "Quang Huy", "Thiên Phú", "Hoàng Gia", "Việt Hàn", "Tân Phát",
    "Long Hải", "Ánh Dương", "Thịnh Phát", "Hợp Nhất", "Vạn Xuân", "Đồng Tâm", "Hà Nội", "Thủ Đô", "Bắc Hà",
    "Sông Hồng", "Tây Đô", "Bảo Minh", "Gia Phát", "Tiến Đạt", "Xuân Thành", "Phúc Hưng", "Mai Linh",
    "Hùng Vương", "Lạc Hồng", "Văn Lang", "Âu Lạc", "Ngọc Khánh",
]
BUSINESSES = [
    "May", "May mặc", "Xây dựng", "Thương mại", "Thương mại và Dịch vụ", "Cơ khí", "Thực phẩm", "Vận tải",
    "Công nghệ", "Điện tử", "In", "Bao bì", "Dược phẩm", "Nhựa", "Thép", "Đầu tư và Phát triển",
    "Tư vấn Thiết kế", "Xây lắp Điện", "Vật liệu Xây dựng", "Bánh kẹo", "Đồ gỗ", "Giày da", "Logistics",
    "Môi trường", "Phần mềm",
]
STATE_COMPANIES = [
    "Công ty TNHH MTV Nước sạch {b}", "Công ty TNHH MTV Thoát nước {b}",
    "Công ty TNHH MTV Môi trường đô thị {b}", "Công ty TNHH MTV Công viên cây xanh {b}",
    "Công ty Cổ phần Đầu tư Xây dựng {b}", "Công ty TNHH MTV Điện {b}", "Công ty Cổ phần Lương thực {b}",
    "Công ty TNHH MTV Thủy lợi {b}", "Công ty Cổ phần Xe khách {b}",
    "Công ty TNHH MTV Chiếu sáng và Thiết bị đô thị {b}", "Công ty Cổ phần Cơ khí {b}",
]
FOREIGN = [
    "Sakura", "Fujitech", "Hanul", "Daewon", "Shinwoo", "Kyoritsu", "Taiyo", "Seiko Precision", "Meitec",
    "Sungjin", "Yamato", "Asahi Tec", "Hyosung Tech", "Nichirin", "Toyo Denso", "Kumho Parts", "Hoshin",
    "Denyo", "Futaba Tech", "Jinyoung", "Daeyang", "Sanwa", "Tokai", "Kosei", "Hansol", "Wonjin", "Mitsuwa",
    "Chori", "Foster Tech", "Taisei",
]
FOREIGN_BUSINESS = [
    "Điện tử", "Linh kiện điện tử", "Kỹ thuật", "Công nghiệp", "Cơ khí chính xác", "Nhựa kỹ thuật",
    "Dây cáp điện", "Bao bì", "May mặc", "Phụ tùng ô tô",
]
COOPERATIVES = [
    "Hợp tác xã Dịch vụ Thương mại {l}", "Hợp tác xã Vận tải {b}", "Hợp tác xã Môi trường {l}",
    "Hợp tác xã Mây tre đan {l}", "Hợp tác xã Cơ khí {l}", "Hợp tác xã Gốm sứ {l}", "Hợp tác xã May {l}",
]
CITY_AGENCIES = [
    "Văn phòng UBND Thành phố", "Văn phòng Đoàn ĐBQH và HĐND Thành phố", "Sở Tài chính", "Sở Nội vụ",
    "Sở Tư pháp", "Sở Xây dựng", "Sở Công Thương", "Sở Nông nghiệp và Môi trường", "Sở Văn hóa và Thể thao",
    "Sở Du lịch", "Sở Khoa học và Công nghệ", "Sở Giáo dục và Đào tạo", "Sở Y tế", "Sở Quy hoạch - Kiến trúc",
    "Thanh tra Thành phố", "Sở Dân tộc và Tôn giáo", "Sở Ngoại vụ",
    "Ban Quản lý các khu công nghiệp và chế xuất Hà Nội", "Chi cục Thú y Hà Nội", "Chi cục Kiểm lâm Hà Nội",
    "Chi cục Thủy lợi Hà Nội", "Chi cục Quản lý đất đai Hà Nội",
]
CITY_PUBLIC_UNITS = [
    "Đài Phát thanh và Truyền hình Hà Nội", "Báo Hànộimới",
    "Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch", "Trung tâm Dịch vụ việc làm Hà Nội",
    "Trung tâm Phát triển quỹ đất Hà Nội", "Trung tâm Lưu trữ lịch sử Hà Nội",
    "Trường Đào tạo cán bộ Lê Hồng Phong", "Trường Chính trị Tô Hiệu", "Thư viện Hà Nội", "Bảo tàng Hà Nội",
    "Nhà hát Chèo Hà Nội", "Nhà hát Cải lương Hà Nội", "Nhà hát Múa rối Thăng Long",
    "Trung tâm Huấn luyện và Thi đấu thể dục thể thao Hà Nội",
    "Ban Quản lý dự án đầu tư xây dựng công trình giao thông Hà Nội",
    "Ban Quản lý dự án đầu tư xây dựng công trình dân dụng Hà Nội", "Ban Quản lý Di tích Nhà tù Hỏa Lò",
    "Trung tâm Bảo tồn Di sản Thăng Long - Hà Nội", "Viện Quy hoạch xây dựng Hà Nội",
    "Quỹ Đầu tư phát triển Hà Nội",
]
CITY_HOSPITALS = [
    "Bệnh viện Phụ sản Hà Nội", "Bệnh viện Nhi Hà Nội", "Bệnh viện Tim Hà Nội", "Bệnh viện Ung bướu Hà Nội",
    "Bệnh viện Mắt Hà Nội", "Bệnh viện Y học cổ truyền Hà Nội", "Bệnh viện Thận Hà Nội",
    "Bệnh viện Da liễu Hà Nội", "Bệnh viện Phổi Hà Nội", "Bệnh viện Tâm thần Hà Nội", "Bệnh viện Xanh Pôn",
    "Bệnh viện Thanh Nhàn", "Bệnh viện Đa khoa Đức Giang", "Bệnh viện Bắc Thăng Long",
    "Bệnh viện Đa khoa Hà Đông", "Bệnh viện Đa khoa Sóc Sơn", "Trung tâm Cấp cứu 115 Hà Nội",
    "Trung tâm Kiểm soát bệnh tật Hà Nội", "Bệnh viện Nam Thăng Long", "Bệnh viện Đống Đa",
    "Bệnh viện Đa khoa Vân Đình",
]
COLLEGES = [
    "Trường Cao đẳng Y tế Hà Nội", "Trường Cao đẳng Sư phạm Hà Tây", "Trường Cao đẳng Nghệ thuật Hà Nội",
    "Trường Cao đẳng Thương mại và Du lịch Hà Nội", "Trường Cao đẳng Công nghệ và Môi trường Hà Nội",
    "Trường Cao đẳng nghề Công nghệ cao Hà Nội", "Trường Cao đẳng Cộng đồng Hà Nội",
    "Trường Đại học Thủ đô Hà Nội",
]
TCT_CDCS = {
    "HN-TCT-VANTAI": [
        "Xí nghiệp Xe buýt Thăng Long", "Xí nghiệp Xe buýt 10-10", "Xí nghiệp Xe buýt Hà Tây",
        "Xí nghiệp Xe buýt Yên Viên", "Xí nghiệp Xe buýt Cầu Bươu", "Xí nghiệp Xe điện Hà Nội",
        "Xí nghiệp Toyota Hoàn Kiếm", "Công ty Cổ phần Xe khách Hà Nội",
        "Công ty Cổ phần Vận tải Thủy Hà Nội", "Xí nghiệp Buýt nhanh BRT Hà Nội",
        "Trung tâm Đào tạo lái xe Hà Nội", "Xí nghiệp Dịch vụ bến xe buýt", "Công ty Cổ phần Taxi Hà Nội",
        "Xí nghiệp Xe buýt Thủ Đô", "Xí nghiệp Sửa chữa ô tô Hà Nội",
    ],
    "HN-TCT-THUONGMAI": [
        "Cơ quan Văn phòng Tổng công ty Thương mại Hà Nội", "Công ty Cổ phần Thực phẩm Hà Nội",
        "Công ty Cổ phần Thương mại Dịch vụ Cửa Nam", "Công ty Cổ phần Xuất nhập khẩu Hapro",
        "Công ty Cổ phần Thương mại Dịch vụ Tràng Thi", "Công ty Cổ phần Thương mại Bắc Hà Nội",
        "Công ty Cổ phần Thương mại Dịch vụ Thời trang Hà Nội", "Công ty Cổ phần Chợ Hà Nội",
        "Trung tâm Kinh doanh Hapro Mart", "Xí nghiệp Dịch vụ Thương mại Hapro số 1",
        "Công ty Cổ phần Thủy tinh Hà Nội", "Trung tâm Thương mại Hà Nội",
    ],
    "HN-TCT-DULICH": [
        "Cơ quan Văn phòng Tổng công ty Du lịch Hà Nội", "Khách sạn Kim Liên",
        "Khách sạn Thống Nhất Metropole", "Khách sạn Hà Nội Daewoo", "Khách sạn Thắng Lợi",
        "Công ty Lữ hành Hanoitourist", "Công ty Cổ phần Du lịch Hồ Gươm", "Khách sạn Bảo Sơn",
        "Khách sạn Hòa Bình", "Công ty Cổ phần Dịch vụ Du lịch Đường sắt Hà Nội",
    ],
}
NGHIEP_DOAN = [
    ("Nghiệp đoàn lực lượng an ninh trật tự ở cơ sở phường Ngọc Thụy", "Long Biên", "Ngọc Thụy"),
    ("Nghiệp đoàn lực lượng an ninh trật tự ở cơ sở phường Gia Thụy", "Long Biên", "Gia Thụy"),
    ("Nghiệp đoàn lực lượng an ninh trật tự ở cơ sở phường Phúc Đồng", "Long Biên", "Phúc Đồng"),
    ("Nghiệp đoàn nghề gốm Bát Tràng", "Gia Lâm", "Bát Tràng"),
    ("Nghiệp đoàn lao động tự do phường Khương Thượng", "Đống Đa", "Khương Thượng"),
    ("Nghiệp đoàn xe ôm công nghệ quận Hoàng Mai", "Hoàng Mai", "Giáp Bát"),
]
DEMO_USERS = [
    # username, full name, role, unit code (None: superuser)
    ("thanhpho", "Nguyễn Thị Thu Hà", Role.FEDERATION_OFFICER, CITY_CODE),
    ("kimlien", "Trần Minh Đức", Role.OFFICER, KIMLIEN_CODE),
    ("cdcs", "Lê Thị Hương", Role.CDCS_OFFICER, None),  # a CĐCS under Kim Liên, chosen when loading
    ("gialam", "Phạm Văn Hùng", Role.OFFICER, GIALAM_CODE),
    ("admin", "Đỗ Quang Huy", Role.ADMINISTRATOR, None),
]
ENTERPRISE_SECTORS = {Sector.DN_NHA_NUOC, Sector.DN_NGOAI_NHA_NUOC, Sector.FDI, Sector.HTX}
# fmt: on


def district_code(name: str) -> str:
    """``Gia Lâm`` → ``HN-GIALAM``."""
    return "HN-" + fold(name).replace(" ", "").upper()


def tax_code_check_digit(first9: str) -> int | None:
    """The 10th digit of a Vietnamese tax code, or None if these 9 digits cannot form one."""
    weights = (31, 29, 23, 19, 17, 13, 7, 5, 3)
    check = 10 - sum(int(d) * w for d, w in zip(first9, weights, strict=True)) % 11
    return None if check == 10 else check


class Writer(Protocol):
    def write(self, msg: str) -> Any: ...


# -- building ----------------------------------------------------------------------------------


@dataclass
class _Cdcs:
    unit: OrgUnit
    district: str
    locality: str
    parent_code: str


@dataclass
class _Builder:
    rng: random.Random
    scale: float
    out: Writer | None
    units: dict[str, OrgUnit] = field(default_factory=dict)
    cdcs: list[_Cdcs] = field(default_factory=list)
    used_names: set[str] = field(default_factory=set)
    used_tax: set[str] = field(default_factory=set)
    seq: Counter = field(default_factory=Counter)
    employers: int = 0
    started: float = field(default_factory=time.monotonic)

    def say(self, message: str) -> None:
        if self.out is not None:
            self.out.write(f"[{time.monotonic() - self.started:5.1f} giây] {message}\n")

    def scaled(self, n: int, minimum: int = 1) -> int:
        return max(minimum, round(n * self.scale))

    def create(
        self, code: str, name: str, type_: str, parent: OrgUnit | None, on: dt.date, **kw: Any
    ) -> OrgUnit:
        unit = services.unit_create(
            actor=None, code=code, name=name, type=type_, parent=parent, valid_from=on, founded_on=on, **kw
        )
        self.units[code] = unit
        return unit

    def founding_day(self) -> dt.date:
        # Grassroots unions founded over 35 years, more of them recently.
        span = (dt.date(2024, 12, 31) - dt.date(1990, 6, 1)).days
        return dt.date(1990, 6, 1) + dt.timedelta(days=int(span * self.rng.random() ** 0.7))

    def tax_code(self) -> str:
        while True:
            first9 = "01" + "".join(str(self.rng.randrange(10)) for _ in range(7))
            check = tax_code_check_digit(first9)
            code = f"{first9}{check}"
            if check is not None and code not in self.used_tax:
                self.used_tax.add(code)
                return code

    def unique(self, make: Any) -> str | None:
        for _ in range(30):
            name = make()
            if name not in self.used_names:
                self.used_names.add(name)
                return name
        return None

    # -- names --
    def company(self, sector: str, district: str, locality: str) -> str:
        rng = self.rng

        def make() -> str:
            if sector == Sector.FDI:
                return f"Công ty TNHH {rng.choice(FOREIGN_BUSINESS)} {rng.choice(FOREIGN)} Việt Nam"
            if sector == Sector.DN_NHA_NUOC:
                return rng.choice(STATE_COMPANIES).format(b=rng.choice([district, locality, *BRANDS[:20]]))
            if sector == Sector.HTX:
                return rng.choice(COOPERATIVES).format(l=locality, b=rng.choice(BRANDS))
            form = rng.choice(["TNHH", "TNHH", "Cổ phần", "TNHH MTV"])
            brand = rng.choice([*BRANDS, locality]) if rng.random() < 0.8 else district
            return f"Công ty {form} {rng.choice(BUSINESSES)} {brand}"

        name = self.unique(make)
        while name is None:  # pool exhausted: number the name
            self.seq["company"] += 1
            name = self.unique(lambda: f"{make()} {self.seq['company']}")
        return name

    def public_unit(self, district: str, kind: str, locality: str) -> str | None:
        rng = self.rng
        area = f"{kind} {district}"
        options = [
            f"Trường Mầm non {locality}",
            f"Trường Tiểu học {locality}",
            f"Trường THCS {locality}",
            f"Trường Mầm non {locality} B",
            f"Trường Tiểu học {locality} B",
            f"Trung tâm Y tế {area}",
            f"Bệnh viện Đa khoa {district}",
            f"Trung tâm Văn hóa - Thông tin {area}",
            f"Ban Quản lý dự án đầu tư xây dựng {area}",
            f"Trung tâm Giáo dục nghề nghiệp - GDTX {area}",
        ]
        return self.unique(lambda: rng.choice(options))

    def public_in_place(
        self, options: Callable[[str, str, str], list[str]]
    ) -> tuple[str | None, tuple[str, str, str]]:
        """A not yet used name from ``options(district, kind, locality)``, trying several places."""
        place = self.place()
        for _ in range(20):
            name = self.unique(lambda p=place: self.rng.choice(options(*p)))
            if name is not None:
                return name, place
            place = self.place()
        return None, place

    def add_cdcs(
        self,
        parent: OrgUnit,
        name: str,
        sector: str,
        district: str,
        locality: str,
        type_: str = UnitType.CDCS,
        employer: bool = True,
    ) -> OrgUnit:
        self.seq[parent.code] += 1
        code = f"{parent.code}-{self.seq[parent.code]:04d}"
        prefix = "CĐCS " if type_ == UnitType.CDCS else ""
        on = self.founding_day()
        unit = self.create(
            code, prefix + name, type_, parent, on, sector=sector, address=f"{locality}, {district}, Hà Nội"
        )
        self.cdcs.append(_Cdcs(unit, district, locality, parent.code))
        if employer and sector in ENTERPRISE_SECTORS and self.rng.random() < 0.9:
            self.employer(name, sector, unit, unit, district, locality, pays=self.rng.random() < 0.85)
        return unit

    def employer(
        self,
        name: str,
        sector: str,
        unit: OrgUnit,
        cdcs: OrgUnit | None,
        district: str,
        locality: str,
        pays: bool,
    ) -> Employer:
        rng = self.rng
        ranges: dict[str, tuple[int, int]] = {
            Sector.FDI: (150, 6000),
            Sector.DN_NHA_NUOC: (80, 2500),
            Sector.HTX: (8, 60),
        }
        low, high = ranges.get(sector, (10, 600))
        workforce = int(low * (high / low) ** (rng.random() ** 1.5))
        self.employers += 1
        return services.employer_create(
            actor=None,
            name=name,
            tax_code=self.tax_code(),
            sector=sector,
            workforce=workforce,
            pays_union_funding=pays,
            unit=unit,
            cdcs=cdcs,
            address=f"{locality}, {district}, Hà Nội",
        )

    def pick_sector(self, weights: Mapping[Any, int]) -> str:
        sectors = list(weights)
        return self.rng.choices(sectors, weights=[weights[s] for s in sectors])[0]

    def place(self, districts: list[str] | None = None, urban_bias: float = 0.7) -> tuple[str, str, str]:
        """A (district, kind, locality), inner districts more likely."""
        rng = self.rng
        pool = [d for d in DISTRICTS if districts is None or d[0] in districts]
        if districts is None:
            urban = [d for d in pool if d[0] in URBAN]
            pool = urban if rng.random() < urban_bias else pool
        name, kind, localities = rng.choice(pool)
        return name, kind, rng.choice(localities)


def _district_unit_cdcs(b: _Builder) -> None:
    total_weight = sum(DISTRICT_WEIGHT.get(name, 2) for name, _, _ in DISTRICTS)
    mix = {Sector.HCSN: 38, Sector.DN_NGOAI_NHA_NUOC: 45, Sector.DN_NHA_NUOC: 6, Sector.FDI: 5, Sector.HTX: 6}
    for name, kind, localities in DISTRICTS:
        parent = b.units[district_code(name)]
        n = b.scaled(DISTRICT_TOTAL * DISTRICT_WEIGHT.get(name, 2) // total_weight, minimum=2)
        for i in range(n):
            # The first CĐCS of each district sits in its first (central) locality.
            locality = localities[0] if i == 0 else b.rng.choice(localities)
            sector = b.pick_sector(mix)
            unit_name = b.public_unit(name, kind, locality) if sector == Sector.HCSN else None
            if unit_name is None:
                if sector == Sector.HCSN:
                    sector = Sector.DN_NGOAI_NHA_NUOC
                unit_name = b.company(sector, name, locality)
            b.add_cdcs(parent, unit_name, sector, name, locality)


def _city_union_cdcs(b: _Builder) -> None:
    rng = b.rng
    for code, _name, _short, _type, n in CITY_UNIONS:
        parent = b.units[code]
        for i in range(b.scaled(n)):
            district, kind, locality = b.place()
            sector: str = Sector.HCSN
            unit_name: str | None = None
            if code == "HN-GIAODUC":
                if i < len(COLLEGES) and rng.random() < 0.3:
                    unit_name = b.unique(lambda i=i: COLLEGES[i])
                else:
                    unit_name, (district, kind, locality) = b.public_in_place(
                        lambda d, k, lo: [f"Trường THPT {lo}", f"Trường THPT {d}"]
                    )
            elif code == "HN-YTE":
                unit_name, (district, kind, locality) = b.public_in_place(
                    lambda d, k, lo: [
                        *CITY_HOSPITALS,
                        f"Trung tâm Y tế {k} {d}",
                        f"Bệnh viện Đa khoa {d}",
                        f"Phòng khám Đa khoa khu vực {lo}",
                    ]
                )
            elif code == "HN-VIENCHUC":
                unit_name = b.unique(lambda: rng.choice(CITY_AGENCIES + CITY_PUBLIC_UNITS))
            elif code == "HN-COQUAN":
                unit_name = b.unique(
                    lambda: rng.choice(
                        [
                            "Cơ quan Liên đoàn Lao động thành phố Hà Nội",
                            "Báo Lao động Thủ đô",
                            "Nhà văn hóa Lao động Hà Nội",
                            "Trường Trung cấp nghề Công đoàn Hà Nội",
                            "Nhà khách Công đoàn Hà Nội",
                        ]
                    )
                )
            elif code == "HN-KCN":
                zone, district = rng.choice(INDUSTRIAL_ZONES)
                locality = zone
                sector = b.pick_sector({Sector.FDI: 75, Sector.DN_NGOAI_NHA_NUOC: 25})
                unit_name = b.company(sector, district, district)
            else:
                sector = b.pick_sector(
                    {Sector.DN_NGOAI_NHA_NUOC: 60, Sector.DN_NHA_NUOC: 25, Sector.FDI: 10, Sector.HTX: 5}
                )
                if code == "HN-DETMAY":
                    sector = Sector.FDI if rng.random() < 0.3 else Sector.DN_NGOAI_NHA_NUOC
                    unit_name = b.unique(
                        lambda d=district, lo=locality: (
                            f"Công ty {rng.choice(['TNHH', 'Cổ phần'])} "
                            f"{rng.choice(['May', 'Dệt may', 'May mặc'])} {rng.choice([*BRANDS, lo, d])}"
                        )
                    )
                elif code == "HN-NNPTNT":
                    sector = Sector.HTX if rng.random() < 0.3 else sector
            if unit_name is None:
                if sector == Sector.HCSN:
                    sector = Sector.DN_NGOAI_NHA_NUOC
                unit_name = b.company(sector, district, locality)
            b.add_cdcs(parent, unit_name, sector, district, locality)
    for code, _name, _short, n in CORPORATION_UNIONS:
        parent = b.units[code]
        names = TCT_CDCS[code][: b.scaled(n)]
        for unit_name in names:
            district, _kind, locality = b.place(urban_bias=1.0)
            b.add_cdcs(parent, unit_name, Sector.DN_NHA_NUOC, district, locality)


def _pipeline_employers(b: _Builder) -> list[tuple[Employer, str, str]]:
    """Employers without a CĐCS, attached to their district union (the organising pipeline)."""
    out = []
    for _ in range(b.scaled(300, minimum=3)):
        district, _kind, locality = b.place(urban_bias=0.5)
        sector = b.pick_sector({Sector.DN_NGOAI_NHA_NUOC: 80, Sector.FDI: 10, Sector.HTX: 10})
        name = b.company(sector, district, locality)
        employer = b.employer(
            name,
            sector,
            b.units[district_code(district)],
            None,
            district,
            locality,
            pays=b.rng.random() < 0.3,
        )
        out.append((employer, district, locality))
    return out


def _successor_map() -> tuple[dict[tuple[str, str], str], dict[str, str]]:
    by_locality: dict[tuple[str, str], str] = {}
    by_district: dict[str, str] = {}
    for code, _name, district, localities in NEW_LOCAL_UNIONS:
        if localities:
            for loc in localities:
                by_locality[(district, loc)] = code
        else:
            by_district[district] = code
    return by_locality, by_district


def _cluster(b: _Builder, name: str, codes: list[str], leader: str, deputy: str) -> EmulationCluster:
    return services.cluster_create(
        actor=None,
        name=name,
        year=CLUSTER_YEAR,
        organiser=b.units[CITY_CODE],
        members=[b.units[c] for c in codes],
        leader=b.units[leader],
        deputy=b.units[deputy],
    )


def _restructure(b: _Builder, pipeline: list[tuple[Employer, str, str]]) -> None:
    rng = b.rng
    hn = b.units[CITY_CODE]
    # 15/6/2025: administrative agencies stop collecting dues; their CĐCS end.
    for item in b.cdcs:
        if item.parent_code == "HN-VIENCHUC" and item.unit.name.removeprefix("CĐCS ") in CITY_AGENCIES:
            if rng.random() < 0.7:
                services.unit_dissolve(
                    actor=None,
                    unit=item.unit,
                    on=VC_STOP,
                    reason="Dừng thu đoàn phí, kinh phí công đoàn theo Công văn 4133/TLĐ-ToC",
                )
    b.say("Chấm dứt hoạt động 40 công đoàn cấp trên trực tiếp cơ sở (30/06/2025)…")
    level3 = [district_code(name) for name, _, _ in DISTRICTS] + [c[0] for c in CITY_UNIONS]
    for code in level3:
        unit = b.units[code]
        services.unit_dissolve(
            actor=None,
            unit=unit,
            on=END_LEVEL3,
            children_to=hn,
            reason="Chấm dứt hoạt động theo Đề án sắp xếp tổ chức công đoàn; CĐCS chuyển về LĐLĐ Thành phố",
        )
        unit.refresh_from_db()
    b.say("Thành lập công đoàn xã, phường và Công đoàn Khu công nghệ cao và các KCN (01/07/2025)…")
    for code, name, _district, _locs in NEW_LOCAL_UNIONS:
        b.create(code, name, UnitType.CD_XA, hn, NEW_UNITS, short_name=name.removeprefix("Công đoàn "))
    iz = b.create(
        NEW_IZ_CODE, NEW_IZ_NAME, UnitType.CD_KCN, hn, NEW_UNITS, short_name="CĐ Khu CNC và các KCN"
    )
    by_locality, by_district = _successor_map()
    b.say("Chuyển CĐCS về công đoàn xã, phường theo địa bàn (01/08/2025)…")
    first_in_kimlien = False
    moves: dict[str, tuple[OrgUnit, list[OrgUnit]]] = {}
    for item in b.cdcs:
        unit = item.unit
        if not unit.is_alive_on(MOVE_DAY) or item.parent_code.startswith("HN-TCT-"):
            continue
        if item.parent_code == "HN-KCN":
            target = iz
        else:
            new_code = by_locality.get((item.district, item.locality)) or by_district.get(item.district)
            # Some CĐCS stay directly under LĐLĐ TP (large units, or no qualifying ward/commune union);
            # the first one of Kim Liên always moves, so its officers have a CĐCS at any scale.
            keep_first = new_code == KIMLIEN_CODE and not first_in_kimlien
            if new_code is None or (rng.random() < 0.08 and not keep_first):
                continue
            first_in_kimlien = first_in_kimlien or new_code == KIMLIEN_CODE
            target = b.units[new_code]
        moves.setdefault(target.code, (target, []))[1].append(unit)
    for target, units in moves.values():
        services.units_move(
            actor=None,
            units=units,
            new_parent=target,
            on=MOVE_DAY,
            reason=f"Bàn giao về {target.name} theo địa bàn",
        )
    # Employers without a CĐCS follow their area to the new union (or LĐLĐ TP).
    for employer, district, locality in pipeline:
        code = by_locality.get((district, locality)) or by_district.get(district) or CITY_CODE
        services.employer_update(actor=None, employer=employer, unit=b.units[code])


def _users(b: _Builder) -> None:
    kimlien = b.units[KIMLIEN_CODE]
    cdcs_unit = (
        OrgUnit.objects.filter(
            type=UnitType.CDCS,
            parent_links__parent=kimlien,
            parent_links__valid_to__isnull=True,
        )
        .order_by("code")
        .first()
    )
    password = make_password(DEMO_PASSWORD)
    for username, full_name, role, code in DEMO_USERS:
        user = User.objects.filter(username=username).first() or User(username=username)
        user.full_name = full_name
        user.is_superuser = user.is_staff = role == Role.ADMINISTRATOR
        user.password = password  # one hash for the shared demo password (set_password: slow)
        user.save()
        unit = b.units.get(code) if code else (cdcs_unit if role == Role.CDCS_OFFICER else None)
        if unit is not None:
            RoleAssignment.objects.get_or_create(
                user=user, unit=unit, role=role, defaults={"valid_from": dt.date(2000, 1, 1)}
            )


def demo_loaded() -> bool:
    return OrgUnit.objects.filter(code=CITY_CODE).exists()


def load_demo(scale: float = 1.0, stdout: Writer | None = None) -> dict[str, Any]:
    """Build the demo federation unless unit ``HN`` exists; returns counts (empty if already loaded)."""
    if demo_loaded():
        return {}
    b = _Builder(rng=random.Random(SEED), scale=scale, out=stdout)
    b.used_names.update(name for names in TCT_CDCS.values() for name in names)
    with transaction.atomic():
        root = OrgUnit.objects.filter(code=ROOT_CODE).first() or b.create(
            ROOT_CODE,
            "Tổng Liên đoàn Lao động Việt Nam",
            UnitType.TLD,
            None,
            dt.date(1929, 7, 28),
            short_name="Tổng LĐLĐ Việt Nam",
        )
        b.units[ROOT_CODE] = root
        hn = b.create(
            CITY_CODE,
            "Liên đoàn Lao động thành phố Hà Nội",
            UnitType.LDLD_TINH,
            root,
            OLD,
            short_name="LĐLĐ TP Hà Nội",
            address="Số 1 phố Lý Thái Tổ, Hoàn Kiếm, Hà Nội",
        )
        b.say("Tạo 40 công đoàn cấp trên trực tiếp cơ sở và công đoàn tổng công ty…")
        for name, kind, _ in DISTRICTS:
            b.create(
                district_code(name), f"LĐLĐ {kind} {name}", UnitType.LDLD_HUYEN, hn, OLD, short_name=name
            )
        for code, name, short, type_, _n in CITY_UNIONS:
            b.create(code, name, type_, hn, OLD, short_name=short)
        for code, name, short, _n in CORPORATION_UNIONS:
            b.create(code, name, UnitType.CD_TCT, hn, OLD, short_name=short, sector=Sector.DN_NHA_NUOC)
        b.say("Tạo công đoàn cơ sở, nghiệp đoàn và đơn vị sử dụng lao động…")
        _district_unit_cdcs(b)
        _city_union_cdcs(b)
        for name, district, locality in NGHIEP_DOAN:
            b.add_cdcs(
                b.units[district_code(district)],
                name,
                Sector.KHAC,
                district,
                locality,
                type_=UnitType.NGHIEP_DOAN,
                employer=False,
            )
        pipeline = _pipeline_employers(b)
        b.say("Tạo cụm thi đua năm 2024…")
        for name, members, leader, deputy in CLUSTERS:
            _cluster(
                b, name, [district_code(m) for m in members], district_code(leader), district_code(deputy)
            )
        for name, codes, leader, deputy in SECTOR_CLUSTERS:
            _cluster(b, name, codes, leader, deputy)
        _restructure(b, pipeline)
        b.say("Tạo tài khoản dùng thử…")
        _users(b)
    counts = demo_counts()
    b.say(f"Xong: {sum(counts['units'].values())} đơn vị, {counts['employers']} đơn vị sử dụng lao động.")
    return counts


def demo_counts() -> dict[str, Any]:
    """Units by type, employers and clusters currently in the database."""
    return {
        "units": Counter(OrgUnit.objects.values_list("type", flat=True)),
        "employers": Employer.objects.count(),
        "employers_without_cdcs": Employer.objects.filter(cdcs__isnull=True).count(),
        "clusters": EmulationCluster.objects.count(),
        "kimlien_cdcs": OrgUnit.objects.filter(
            parent_links__parent__code=KIMLIEN_CODE, parent_links__valid_to__isnull=True
        ).count(),
    }


def demo_logins() -> list[dict[str, str]]:
    """The demo accounts as they are in the database: username, full name, role and unit, for printing."""
    rows = []
    for username, _full_name, role, _code in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        assignment = (
            RoleAssignment.objects.filter(user=user).select_related("unit").order_by("valid_from").first()
        )
        if user.is_superuser:
            role_label, unit_label = Role.ADMINISTRATOR.label, "Toàn hệ thống"
        elif assignment is not None:
            role_label, unit_label = assignment.get_role_display(), assignment.unit.name
            if assignment.unit.dissolved_on:
                unit_label += (
                    f" (đã chấm dứt hoạt động từ {assignment.unit.dissolved_on:%d/%m/%Y}: chỉ xem lịch sử)"
                )
        else:
            role_label, unit_label = Role(role).label, ""
        rows.append(
            {"username": username, "full_name": user.full_name, "role": role_label, "unit": unit_label}
        )
    return rows


# -- ``congdoan demo`` (registered in ``OrgConfig.ready``) ----------------------------------------------


def demo_command_units(run: DemoRun) -> dict[str, Any]:
    """The federation's tree, employers, clusters and demo accounts, with the command's lines."""
    out = run.stdout
    if demo_loaded():
        out.write("Dữ liệu mẫu đã có sẵn, không nạp lại.")
        return {}
    out.write("Đang nạp dữ liệu mẫu LĐLĐ thành phố Hà Nội…")
    started = time.monotonic()
    counts = load_demo(scale=run.options["scale"], stdout=out)
    units, employers = format_number(sum(counts["units"].values())), format_number(counts["employers"])
    out.write(
        f"Đã nạp {units} đơn vị, {employers} đơn vị sử dụng lao động, "
        f"{counts['clusters']} cụm thi đua trong {time.monotonic() - started:.1f} giây."
    )
    return counts


def demo_command_logins(run: DemoRun) -> None:
    """The demo accounts, printed last (after every app has loaded its data)."""
    out = run.stdout
    out.write("")
    out.write(run.style.SUCCESS("Tài khoản dùng thử") + f" (mật khẩu chung: {DEMO_PASSWORD})")
    for row in demo_logins():
        out.write(f"  {row['username']:<10} {row['full_name']} — {row['role']}")
        if row["unit"]:
            out.write(f"  {'':<10} Đơn vị: {row['unit']}")
    out.write("")
