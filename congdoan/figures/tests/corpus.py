"""Real-style sentences of union reports, each with the claims it holds: (kind, values, verdict).

Values: ratio X, Y[, percentage]; percent the percentage; count the number; money đồng. The verdict is
what the arithmetic check alone must say (no unit or period given). Wrong figures are planted among
right ones (``PLANTED``: the sentences with a claim expected "wrong")."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

V = tuple[str, ...]


@dataclass(frozen=True)
class Sentence:
    text: str
    claims: tuple[tuple[str, V, str], ...]


def s(text: str, *claims: tuple[str, V, str]) -> Sentence:
    return Sentence(text, claims)


def r(x: str, y: str, pct: str = "", verdict: str = "ok") -> tuple[str, V, str]:
    return ("ratio", (x, y, pct) if pct else (x, y), verdict if pct else "unchecked")


def p(pct: str, verdict: str = "unchecked") -> tuple[str, V, str]:
    return ("percent", (pct,), verdict)


def c(n: str, verdict: str = "unchecked") -> tuple[str, V, str]:
    return ("count", (n,), verdict)


def m(dong: str, verdict: str = "unchecked") -> tuple[str, V, str]:
    return ("money", (dong,), verdict)


CORPUS: list[Sentence] = [
    # -- fractions with percentages (the forms) --
    s("Năm 2024, toàn huyện ký kết được 29/24 bản (đạt 120,83% chỉ tiêu).", r("29", "24", "120.83")),
    s("Có 98/131 bản xếp loại A, B (74,8%).", r("98", "131", "74.8")),
    s("Có 98/131 bản thỏa ước được xếp loại A, B (78,4%).", r("98", "131", "78.4", "wrong")),
    s("Kết nạp 33/31 đoàn viên, đạt 106% kế hoạch.", r("33", "31", "106", "rounding")),
    s("Toàn thành phố có 131/137 CĐCS có thỏa ước (95,62%).", r("131", "137", "95.62")),
    s("Phát triển 2.352/1.330 đoàn viên (đạt 176,84%).", r("2352", "1330", "176.84")),
    s("Phát triển 2.352/1.330 đoàn viên (đạt 167,84%).", r("2352", "1330", "167.84", "wrong")),
    s("Thành lập mới 29/25 CĐCS, đạt 116% chỉ tiêu được giao.", r("29", "25", "116")),
    s("Có 6/8 doanh nghiệp đã tổ chức Hội nghị người lao động (75%).", r("6", "8", "75")),
    s("1/1 cơ quan, đơn vị đã tổ chức Hội nghị cán bộ, công chức, viên chức (100%).", r("1", "1", "100")),
    s("Đã có 412/450 doanh nghiệp tổ chức Hội nghị người lao động, đạt 91,56%.", r("412", "450", "91.56")),
    s(
        "Đã có 412/450 doanh nghiệp tổ chức Hội nghị người lao động, đạt 91,65%.",
        r("412", "450", "91.65", "wrong"),
    ),
    s("Tỷ lệ đạt 95,62% (131/137 CĐCS doanh nghiệp).", r("131", "137", "95.62")),
    s("Ký mới 57/60 bản thỏa ước, đạt 95% kế hoạch năm.", r("57", "60", "95")),
    s("Ký mới 57/60 bản thỏa ước, đạt 59% kế hoạch năm.", r("57", "60", "59", "wrong")),
    s("Có 4/7 bản xếp loại A, B (57,1%).", r("4", "7", "57.1")),
    s("Có 4/7 bản xếp loại A, B (57,2%).", r("4", "7", "57.2", "wrong")),
    s("Đối thoại định kỳ tại 145/160 doanh nghiệp (90,63%).", r("145", "160", "90.63")),
    s("Đối thoại định kỳ tại 145/160 doanh nghiệp (90,62%).", r("145", "160", "90.62", "rounding")),
    s("Kết nạp 5/4 đoàn viên (đạt 125%), tăng 12% so với năm 2023.", r("5", "4", "125"), p("12")),
    s("Có 2/3 CĐCS xếp loại hoàn thành tốt nhiệm vụ (66,67%).", r("2", "3", "66.67")),
    s("Có 2/3 CĐCS xếp loại hoàn thành tốt nhiệm vụ (66,66%).", r("2", "3", "66.66", "rounding")),
    s("Tổ chức 1.250/1.200 buổi tuyên truyền, đạt 104,17% chỉ tiêu.", r("1250", "1200", "104.17")),
    s("Tổ chức 1.250/1.200 buổi tuyên truyền, đạt 140,17% chỉ tiêu.", r("1250", "1200", "140.17", "wrong")),
    s(
        "Vận động 7/8 doanh nghiệp ký thỏa ước (87,5%), còn 1 doanh nghiệp chưa ký.",
        r("7", "8", "87.5"),
        c("1"),
    ),
    # -- fractions without a percentage --
    s("Đến nay 23/27 CĐCS đã kiện toàn ban chấp hành.", r("23", "27")),
    s("Có 15/18 xã, phường thành lập công đoàn.", r("15", "18")),
    # -- plain percentages and qualifiers --
    s("Tỷ lệ CĐCS có thỏa ước đạt 87,5%.", p("87.5")),
    s("Trên 90% đoàn viên được tuyên truyền về Bộ luật Lao động.", p("90")),
    s("Gần như 100% CĐCS đã triển khai Nghị quyết.", p("100")),
    s("Khoảng 65% doanh nghiệp FDI có tổ chức công đoàn.", p("65")),
    s("Số đoàn viên nữ chiếm 54,3% tổng số đoàn viên.", p("54.3")),
    s("Tỷ lệ tham gia bảo hiểm xã hội tăng 3,5% so với cùng kỳ.", p("3.5")),
    s("Tỷ lệ đoàn viên được khám sức khỏe đạt 74.8%.", ("percent", (), "unchecked")),
    # -- counts with their noun --
    s("Đã hỗ trợ 2.703 lượt NLĐ có hoàn cảnh khó khăn.", c("2703")),
    s("Tư vấn pháp luật cho 56 trường hợp, giải quyết 12 vụ tranh chấp lao động.", c("56"), c("12")),
    s("Đến ngày 31/12/2024, toàn huyện có 23.736 đoàn viên, sinh hoạt tại 412 CĐCS.", c("23736"), c("412")),
    s("Tổ chức 48 cuộc đối thoại tại nơi làm việc.", c("48")),
    s("Trao 1.250 suất quà Tết cho đoàn viên, NLĐ.", c("1250")),
    s("Theo Nghị định 135/2020/NĐ-CP, tháng 6/2025 có 3 doanh nghiệp nợ kinh phí.", c("3")),
    s("Hơn 1.500 đoàn viên tham gia Giải chạy vì sức khỏe.", c("1500")),
    s("Gần 300 cán bộ công đoàn được tập huấn nghiệp vụ.", c("300")),
    s("Có khoảng 3 triệu người lao động trong các khu công nghiệp.", c("3000000")),
    s("Xây dựng 15 Mái ấm Công đoàn cho đoàn viên khó khăn về nhà ở.", c("15")),
    s("Khen thưởng 120 tập thể và 356 cá nhân có thành tích xuất sắc.", c("120"), c("356")),
    # -- money in every common form --
    s("Tổng số tiền hỗ trợ hơn 10 tỷ đồng.", m("10000000000")),
    s("Kinh phí thực hiện là 1 tỷ 250,3 triệu đồng.", m("1250300000")),
    s("Tổng giá trị quà tặng 2,2 tỉ đồng.", m("2200000000")),
    s("Chi trợ cấp 535,8 triệu đồng cho 412 đoàn viên.", m("535800000"), c("412")),
    s("Mỗi suất quà trị giá 500 nghìn đồng.", m("500000")),
    s("Hỗ trợ mỗi trường hợp 2 triệu đồng, mức cao nhất 500 ngàn đồng tiền mặt.", m("2000000"), m("500000")),
    s("Số tiền 1.250.300.000 đồng đã được giải ngân.", m("1250300000")),
    s("Thu kinh phí công đoàn đạt 12.345.678.000 đ.", m("12345678000")),
    s("Quỹ trợ vốn cho vay 850.000.000đ với 42 hộ.", m("850000000"), c("42")),
    s("Tổng kinh phí khoảng 3,5 tỷ đồng, gần 200 triệu đồng từ xã hội hóa.", m("3500000000"), m("200000000")),
    s("Số tiền vận động được 1 tỷ 20 triệu 500 nghìn đồng.", m("1020500000")),
    # -- totals next to their parts --
    s(
        "Kết nạp 1.250 đoàn viên, gồm 700 đoàn viên nam và 550 đoàn viên nữ.",
        c("1250", "ok"),
        c("700"),
        c("550"),
    ),
    s(
        "Kết nạp 1.250 đoàn viên, gồm 700 đoàn viên nam và 505 đoàn viên nữ.",
        c("1250", "wrong"),
        c("700"),
        c("505"),
    ),
    s(
        "Tổng kinh phí 1 tỷ 250,3 triệu đồng, gồm 800 triệu đồng từ ngân sách và 450,3 triệu đồng vận động.",
        m("1250300000", "ok"),
        m("800000000"),
        m("450300000"),
    ),
    s(
        "Tổng kinh phí 1 tỷ 250,3 triệu đồng, gồm 800 triệu đồng từ ngân sách và 540,3 triệu đồng vận động.",
        m("1250300000", "wrong"),
        m("800000000"),
        m("540300000"),
    ),
    s(
        "Hỗ trợ 2.703 lượt NLĐ, trong đó 1.500 lượt đoàn viên nữ, 1.400 lượt đoàn viên nam.",
        c("2703", "wrong"),
        c("1500"),
        c("1400"),
    ),
    s(
        "Hỗ trợ 2.703 lượt NLĐ, trong đó 1.500 lượt đoàn viên nữ, 1.000 lượt NLĐ ngoại tỉnh.",
        c("2703", "ok"),
        c("1500"),
        c("1000"),
    ),
    s(
        "Ký mới 12 bản, ký lại 9 bản và sửa đổi 8 bản, tổng cộng 29 bản thỏa ước.",
        c("12"),
        c("9"),
        c("8"),
        c("29", "ok"),
    ),
    s(
        "Ký mới 12 bản, ký lại 9 bản và sửa đổi 8 bản, tổng cộng 30 bản thỏa ước.",
        c("12"),
        c("9"),
        c("8"),
        c("30", "wrong"),
    ),
    # -- no figures at all (dates, years, document numbers only) --
    s(
        "Thực hiện Kế hoạch số 125/KH-LĐLĐ ngày 15/01/2024 của Ban Thường vụ.",
    ),
    s(
        "Năm 2025 là năm tổ chức Đại hội Công đoàn các cấp nhiệm kỳ 2023-2028.",
    ),
    s(
        "Báo cáo sơ kết 6 tháng đầu năm 2025, quý II/2025.",
    ),
    s("Theo Điều 176 Bộ luật Lao động 2019 quy định, hội nghị khai mạc lúc 8h30 ngày 28/7."),
    s("Đoàn viên là lao động nữ 12.500 người, chiếm 45,6% tổng số.", c("12500"), p("45.6")),
    s("Đến hết tháng 6/2025 có 1.234 đoàn viên được cấp thẻ, đạt 98,7% kế hoạch.", c("1234"), p("98.7")),
    s("Cấp trên hỗ trợ 3 triệu đồng/trường hợp cho 25 trường hợp.", m("3000000"), c("25")),
    s(
        "Đã có 25 đồng chí được kết nạp vào Đảng, tặng 2.500 suất quà (mỗi suất 500.000 đồng).",
        c("25"),
        c("2500"),
        m("500000"),
    ),
]


def expected_values(sentence: Sentence) -> list[tuple[str, tuple[Decimal, ...]]]:
    return [(kind, tuple(Decimal(v) for v in values)) for kind, values, _ in sentence.claims]


PLANTED = [sentence for sentence in CORPUS if any(v == "wrong" for _, _, v in sentence.claims)]
