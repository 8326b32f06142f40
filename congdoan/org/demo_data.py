"""The data of the demo federation (:mod:`congdoan.org.demo`): its key dates and unit codes, the places
(districts before 2025, some of their old wards/communes, the new ward and commune unions), the
emulation clusters, the name pools for CĐCS and employers, and the demo accounts.

Copied here, not read from files, so the demo works from an installed package.
"""

from __future__ import annotations

import datetime as dt

from congdoan.accounts.models import Role

from .models import Sector, UnitType

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
