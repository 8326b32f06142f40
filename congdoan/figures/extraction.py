"""Find the figure claims of a narrative report, each with its character span.

A *claim* is one figure an officer wrote: a fraction with its percentage ("29/24 bản …, đạt 120,83%",
"98/131 bản xếp loại A, B (74,8%)"), a plain percentage ("đạt 95%"), a count with its noun ("2.703 lượt
NLĐ", "56 trường hợp") or an amount of money in any common form ("hơn 10 tỷ đồng", "1 tỷ 250,3 triệu
đồng", "2,2 tỉ đồng", "1.250.300.000 đ"). A qualifier before it ("hơn", "gần", "trên", "khoảng",
"gần như", …) is kept: the figure is then a bound, not an exact value.

The text is normalised first (``normalise``): NFC, the tone placement of ``core.text.nfc`` ("hoà" →
"hòa"), non-breaking and thin spaces → spaces. Spans are offsets into the normalised text. What
cannot be read safely is said, never guessed: text in NFD, TCVN3 (ABC) or VNI mojibake, and numbers
with an English decimal point ("74.8%") are reported as problems; such a number is a claim left
``unchecked`` with its reason.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from congdoan.core.text import fold, nfc

__all__ = [
    "Claim",
    "Extraction",
    "Problem",
    "VERDICT_LABELS",
    "extract",
    "normalise",
]

# -- normalisation and encodings ---------------------------------------------------------------

_SPACES = dict.fromkeys(map(ord, "\u00a0\u202f\u2007\u2009\u200a\u2002\u2003\u2004\u2005\u2006"), " ")
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff\u00ad"), None)
_WORD_RE = re.compile(r"\S+")

# TCVN3 (ABC fonts: .VnTime) read as Unicode: "C«ng ®oµn" for "Công đoàn". None of these characters
# occur in Vietnamese written in Unicode.
_TCVN3_CHARS = frozenset("¸µ¶·¹¨©ª«¬®¾»¼½ÆÇÊËÌÎÏÑÒÓÔÕÖ×ØÜÝÞßãäåæçèéëìíîïñòóôõöøùúûüýþ")
_TCVN3_STRONG = frozenset("¸µ¶·¹¨©ª«¬®¾»¼½")
# VNI (VNI-Times) read as Unicode: "Coâng ñoaøn" for "Công đoàn": a vowel followed by a tone byte.
# "ñ" (đ), "ø", "ï", "ö", "û" never occur in Vietnamese; "â" never follows a, e, o, nor "ê" an a.
_VNI_RE = re.compile(r"[ñÑøØïÏöÖûÛ]|[aeoAEO]â|[aA]ê")
_UTF8_AS_1252_RE = re.compile(r"Ã[\u00a0-\u00bf]|Ä[‘\u0091]|á»|áº")


@dataclass(frozen=True)
class Problem:
    """Something about the whole text (or one number) the reader must know; ``code`` is stable."""

    code: str  # nfd | tcvn3 | vni | utf8-as-1252 | english-decimal | empty
    message: str


def _legacy_encoding(text: str) -> str:
    """ "tcvn3", "vni", "utf8-as-1252" when the text looks like that mojibake, else ""."""
    words = _WORD_RE.findall(text)
    if not words:
        return ""
    tcvn3 = sum(1 for w in words if any(c in _TCVN3_STRONG for c in w) and any(c.isalpha() for c in w))
    vni = sum(1 for w in words if _VNI_RE.search(w))
    double = len(_UTF8_AS_1252_RE.findall(text))
    threshold = max(2, len(words) // 50)
    best = max((tcvn3, "tcvn3"), (vni, "vni"), (double, "utf8-as-1252"))
    return best[1] if best[0] >= threshold else ""


ENCODING_MESSAGES = {
    "tcvn3": (
        "Văn bản có vẻ được gõ bằng bảng mã TCVN3 (ABC, phông .VnTime) nên chữ bị lỗi (ví dụ «C«ng ®oµn»). "
        "Hãy chuyển mã sang Unicode (Unikey: Công cụ chuyển mã, TCVN3 → Unicode) rồi kiểm tra lại; "
        "các con số vẫn được đọc nhưng không đối chiếu được với chỉ tiêu."
    ),
    "vni": (
        "Văn bản có vẻ được gõ bằng bảng mã VNI (phông VNI-Times) nên chữ bị lỗi (ví dụ «Coâng ñoaøn»). "
        "Hãy chuyển mã sang Unicode (Unikey: Công cụ chuyển mã, VNI Windows → Unicode) rồi kiểm tra lại; "
        "các con số vẫn được đọc nhưng không đối chiếu được với chỉ tiêu."
    ),
    "utf8-as-1252": (
        "Văn bản Unicode (UTF-8) đã bị đọc nhầm theo bảng mã Windows-1252 nên chữ bị lỗi "
        "(ví dụ «CÃ´ng Ä‘oÃ n»). Hãy mở lại tệp gốc với mã UTF-8."
    ),
}


def normalise(text: str) -> tuple[str, list[Problem]]:
    """The text as claims are read from (NFC, canonical tone placement, plain spaces), and what was
    found about its encoding. Line breaks and the length of each word are kept (spans stay readable)."""
    problems: list[Problem] = []
    decomposed = any(unicodedata.combining(c) for c in text)
    composed = unicodedata.normalize("NFC", text)
    if decomposed and composed != text:
        problems.append(
            Problem(
                "nfd",
                "Văn bản ở dạng Unicode tổ hợp (NFD, dấu tách khỏi chữ — thường gặp khi chép từ macOS "
                "hoặc PDF); đã chuẩn hóa sang dạng dựng sẵn (NFC) trước khi kiểm tra.",
            )
        )
    composed = composed.translate(_SPACES).translate(_ZERO_WIDTH).replace("\r\n", "\n").replace("\r", "\n")
    # Tone placement word by word (``nfc`` on a single word changes no spacing).
    out = _WORD_RE.sub(lambda m: nfc(m.group(0)), composed)
    encoding = _legacy_encoding(out)
    if encoding:
        problems.append(Problem(encoding, ENCODING_MESSAGES[encoding]))
    return out, problems


# -- claims ------------------------------------------------------------------------------------

# Qualifiers (folded) → the bound they make. Longest first ("gần như" before "gần").
QUALIFIERS: dict[str, str] = {
    "gan nhu": "at_most",  # "gần như 100%": close to, not above
    "xap xi": "about",
    "khoang": "about",
    "uoc tinh": "about",
    "hon": "above",
    "tren": "above",
    "vuot": "above",
    "gan": "at_most",
    "duoi": "below",
    "chua den": "below",
    "toi da": "at_most",
    "it nhat": "at_least",
    "toi thieu": "at_least",
}
QUALIFIER_LABELS = {
    "above": "lớn hơn",
    "below": "nhỏ hơn",
    "at_most": "gần bằng và không vượt",
    "at_least": "không nhỏ hơn",
    "about": "xấp xỉ (±10%)",
}

_MONEY_UNITS = {"ty": 1_000_000_000, "ti": 1_000_000_000, "trieu": 1_000_000, "nghin": 1_000, "ngan": 1_000}
_CURRENCY = ("dong", "d", "vnd", "vnđ", "đ", "₫")
# Words before an amount in tỷ/triệu that make it money without "đồng" ("số tiền 2,2 tỷ").
_MONEY_CONTEXT = ("so tien", "kinh phi", "tri gia", "tong tien", "gia tri", "tong kinh phi", "nguon quy")
# After a number, words that make it something else than a count.
_NOT_NOUNS = frozenset(
    "thang nam ngay gio phut giay quy tuan % va hoac den toi so voi cua trong tren duoi la thi nhu "
    "tro len tro xuong".split()
)
# Before a number: it is a date, an ordinal, a document number or a year — not a figure.
_NOT_AFTER = frozenset(
    "nam thang ngay quy tuan so dieu khoan muc diem chuong phan lan thu khoa trang".split()
) | frozenset(
    {
        "nhiem ky",
        "giai doan",
        "nghi dinh",
        "quyet dinh",
        "thong tu",
        "chi thi",
        "luat so",
        "cong van",
        "ke hoach",
        "nghi quyet",
        "bieu mau",
        "phu luc",
        "van ban",
    }
)

# A number: Vietnamese grouping ("23.736", "1.250.300.000", "120,83"), or English-looking ("74.8",
# "1,234.5") caught to be flagged.
_NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?(?![\d.])|\d{1,3}(?:,\d{3})+\.\d+|\d+\.\d{1,2}(?![\d.])|\d+(?:,\d+)?"
_NUM_RE = re.compile(_NUM)
_RATIO_RE = re.compile(rf"(?<![\d/.,])({_NUM})\s?/\s?({_NUM})(?![\d/])")
_PCT_RE = re.compile(rf"(?<![\d.,])({_NUM})\s?%")
# "25 đồng chí" (comrades), "đồng nghiệp", "đồng bào": not đồng the currency.
_NOT_MONEY = r"(?!\s+(?:chí|nghiệp|bào|hương|đội|thời|ý)\b)"
_MONEY_RE = re.compile(
    rf"(?<![\d.,])({_NUM})\s*(tỷ|tỉ|triệu|nghìn|ngàn)"
    rf"(?:\s+({_NUM})\s*(triệu|nghìn|ngàn))?(?:\s+({_NUM})\s*(nghìn|ngàn))?"
    rf"(?:\s*(đồng|đ|VNĐ|VND|vnđ|₫)(?![^\W\d_]){_NOT_MONEY})?",
    re.IGNORECASE,
)
_PLAIN_MONEY_RE = re.compile(
    rf"(?<![\d.,])({_NUM})\s*(đồng|đ|VNĐ|VND|vnđ|₫)(?![^\W\d_]){_NOT_MONEY}", re.IGNORECASE
)
_COUNT_RE = re.compile(rf"(?<![\d.,/])({_NUM})(?![\d/%])(?:\s*(tỷ|tỉ|triệu|nghìn|ngàn)(?![^\W\d_]))?")
_WORDS_AFTER_RE = re.compile(r"\s+([^\W\d_][\w]*(?:[-–][\w]+)?)")  # "8h30" is a time, not a count
_CLAUSE_END_RE = re.compile(r";|\.(?=\s|$)|\n|:(?=\s)")


VERDICT_LABELS = {
    "ok": "Đúng",
    "rounding": "Làm tròn",
    "wrong": "Sai",
    "unchecked": "Chưa kiểm tra được",
}


@dataclass
class Claim:
    """One figure claim. ``values``: the numbers read (ratio: X, Y and the percentage if written;
    percent: the percentage, e.g. 74.8; count: the number; money: đồng)."""

    kind: str  # ratio | percent | count | money
    start: int
    end: int
    text: str
    values: list[Decimal]
    qualifier: str = ""  # the words as written ("hơn"), "" for an exact figure
    bound: str = ""  # above | below | at_most | at_least | about | "" (exact)
    decimals: int | None = None  # of the written percentage
    noun: str = ""  # the words after the number (what is counted)
    lead: str = ""  # the words before it in its clause (the verb: "ký kết mới")
    problem: str = ""  # why it cannot be read (an English decimal point), else ""
    # Filled by the checks:
    verdict: str = "unchecked"  # ok | rounding | wrong | unchecked
    expected: str = ""
    explanation: str = ""
    indicator: str = ""
    indicator_name: str = ""
    database_value: list[Decimal | None] | None = None
    records_url: str = ""
    parts: list[int] = field(default_factory=list)  # indexes of the claims it is the total of

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS[self.verdict]

    @property
    def percent(self) -> Decimal | None:
        if self.kind == "ratio":
            return self.values[2] if len(self.values) > 2 else None
        if self.kind == "percent":
            return self.values[0] if self.values else None
        return None


@dataclass
class Extraction:
    text: str  # normalised
    claims: list[Claim]
    problems: list[Problem]


def _english(token: str) -> bool:
    """ "74.8", "1,234.5": a decimal point in English style (never a Vietnamese thousands group)."""
    if "." not in token:
        return False
    if "," in token:
        return token.rfind(".") > token.rfind(",")
    whole, _, frac = token.rpartition(".")
    return len(frac) != 3 or not whole.lstrip("0")


def _number(token: str) -> Decimal:
    """A number written the Vietnamese way: dot thousands, decimal comma."""
    return Decimal(token.replace(".", "").replace(",", "."))


def _decimals(token: str) -> int:
    return len(token.partition(",")[2])


def _fwords(text: str) -> list[str]:
    return re.findall(r"[a-z0-9%]+", fold(text))


def _qualifier(text: str, start: int) -> tuple[str, str, int]:
    """The qualifier written right before ``start``: (as written, bound, its start) or ("", "", start)."""
    before = text[max(0, start - 20) : start]
    for key, bound in QUALIFIERS.items():
        n = len(key.split())
        m = re.search(rf"((?:[^\W\d_]+\s+){{{n}}})$", before)
        if m and " ".join(_fwords(m.group(1))) == key:
            begin = start - len(m.group(1))
            # "trên"/"dưới" as prepositions ("trên địa bàn") are never before a number: fine here.
            return m.group(1).strip(), bound, begin
    return "", "", start


def _clause_bounds(text: str, pos: int) -> tuple[int, int]:
    start = 0
    for m in _CLAUSE_END_RE.finditer(text, 0, pos):
        start = m.end()
    end = _CLAUSE_END_RE.search(text, pos)
    return start, (end.start() if end else len(text))


def _lead(text: str, start: int, limit: int = 12) -> str:
    clause_start, _ = _clause_bounds(text, start)
    words = text[clause_start:start].split()
    return " ".join(words[-limit:])


def _noun(text: str, end: int, limit: int = 10) -> str:
    """The words after a figure up to the end of its phrase (a bracket, a semicolon, a sentence end)."""
    rest = text[end:]
    m = re.search(r"[;()\n\d]|\.(?=\s|$)|,\s*(?:đạt|trong đó|gồm|bao gồm|tăng|giảm|với|bằng)\b", rest)
    phrase = rest[: m.start()] if m else rest
    return " ".join(phrase.split()[:limit]).strip(" ,:")


def _previous_words(text: str, start: int, n: int = 2) -> list[str]:
    return _fwords(text[max(0, start - 40) : start])[-n:]


def _not_a_figure(text: str, start: int, end: int) -> bool:
    """A date ("30/6/2025", "tháng 6/2025"), a document number ("số 12/2024/NQ"), a year, an ordinal."""
    prev = _previous_words(text, start, 2)
    if prev and prev[-1] in _NOT_AFTER:
        return True
    if len(prev) == 2 and f"{prev[0]} {prev[1]}" in _NOT_AFTER:
        return True
    after = text[end : end + 2]
    return bool(re.match(r"[/\-][\w]", after)) or (start > 0 and text[start - 1] in "/-")


def extract(raw: str) -> Extraction:
    """Every figure claim of ``raw`` (normalised first), in the order of the text."""
    text, problems = normalise(raw)
    claims: list[Claim] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    def add(claim: Claim) -> None:
        claims.append(claim)
        taken.append((claim.start, claim.end))

    # 1. Ratios X/Y, with the percentage that goes with them in the same clause.
    percents = [(m.start(), m.end(), m.group(1)) for m in _PCT_RE.finditer(text)]
    used_pct: set[int] = set()
    for m in _RATIO_RE.finditer(text):
        x, y = m.group(1), m.group(2)
        if _not_a_figure(text, m.start(), m.end()):
            continue
        qual, bound, begin = _qualifier(text, m.start())
        _, clause_end = _clause_bounds(text, m.end())
        pct = _percent_for(text, m, percents, used_pct, clause_end)
        if pct is None and y.isdigit() and "1900" <= y <= "2100" and x.isdigit() and int(x) <= 12:
            continue  # "6/2025": a month (a fraction of 2.025 is written with a dot)
        end = m.end()
        values = [x, y]
        decimals = None
        if pct is not None:
            ps, pe, ptoken = percents[pct]
            used_pct.add(pct)
            if ps < m.start():  # "đạt 95,62% (131/137 CĐCS)": the percentage first
                begin = min(begin, ps)
            else:
                end = pe
            values.append(ptoken)
            decimals = _decimals(ptoken)
        problem = _english_problem(values)
        claim = Claim(
            kind="ratio",
            start=begin,
            end=end,
            text=text[begin:end],
            values=[] if problem else [_number(v) for v in values],
            qualifier=qual,
            bound=bound,
            decimals=decimals,
            noun=_noun(text, m.end()),
            lead=_lead(text, begin),
            problem=problem,
        )
        add(claim)
    # 2. Money: "1 tỷ 250,3 triệu đồng", "2,2 tỉ đồng", "1.250.300.000 đ".
    for m in _MONEY_RE.finditer(text):
        if not free(m.start(), m.end()):
            continue
        currency = m.group(7)
        lead = _lead(text, m.start())
        if not currency and not any(k in " ".join(_fwords(lead)) for k in _MONEY_CONTEXT):
            continue  # "3 triệu đoàn viên" is a count
        tokens = [(m.group(i), m.group(i + 1)) for i in (1, 3, 5) if m.group(i)]
        _add_money(text, m.start(), m.end(), tokens, add)
    for m in _PLAIN_MONEY_RE.finditer(text):
        if not free(m.start(), m.end()) or _not_a_figure(text, m.start(), m.end()):
            continue
        _add_money(text, m.start(), m.end(), [(m.group(1), "")], add)
    # 3. Plain percentages.
    for i, (ps, pe, token) in enumerate(percents):
        if i in used_pct or not free(ps, pe):
            continue
        qual, bound, begin = _qualifier(text, ps)
        problem = _english_problem([token])
        add(
            Claim(
                kind="percent",
                start=begin,
                end=pe,
                text=text[begin:pe],
                values=[] if problem else [_number(token)],
                qualifier=qual,
                bound=bound,
                decimals=_decimals(token),
                lead=_lead(text, begin),
                noun=_noun(text, pe),
                problem=problem,
            )
        )
    # 4. Counts with their noun: "2.703 lượt NLĐ", "56 trường hợp", "3 triệu người".
    for m in _COUNT_RE.finditer(text):
        if not free(m.start(), m.end()) or _not_a_figure(text, m.start(), m.end()):
            continue
        token, scale = m.group(1), m.group(2)
        nm = _WORDS_AFTER_RE.match(text, m.end())
        if nm is None:
            continue
        head = fold(nm.group(1))
        if head in _NOT_NOUNS or head in _MONEY_UNITS:
            continue
        if not scale and len(token) == 4 and token.isdigit() and "1900" <= token <= "2100":
            continue  # a year ("Bộ luật Lao động 2019 quy định"): a count of 2.019 is written with a dot
        if not nm.group(1)[:1].isalpha():
            continue
        qual, bound, begin = _qualifier(text, m.start())
        # The span: the number and its noun's first two words ("2.703 lượt NLĐ").
        end = nm.end()
        nxt = re.match(r" ([^\W\d_][\w]*)", text[end:])
        if nxt and fold(nxt.group(1)) not in _NOT_NOUNS:
            end += nxt.end()
        problem = _english_problem([token])
        value: list[Decimal] = []
        if not problem:
            value = [_number(token) * (_MONEY_UNITS[fold(scale)] if scale else 1)]
        add(
            Claim(
                kind="count",
                start=begin,
                end=end,
                text=text[begin:end],
                values=value,
                qualifier=qual,
                bound=bound,
                noun=_noun(text, m.end()),
                lead=_lead(text, begin),
                problem=problem,
            )
        )
    claims.sort(key=lambda c: c.start)
    # The words before a figure stop at the figure before it (the verb of this figure, not of that one).
    previous_end = 0
    for claim in claims:
        clause_start, _ = _clause_bounds(text, claim.start)
        words = text[max(clause_start, previous_end) : claim.start].split()
        claim.lead = " ".join(words[-12:]).strip(" ,(")
        previous_end = claim.end
    if any(c.problem for c in claims):
        problems.append(
            Problem(
                "english-decimal",
                "Có số viết dấu chấm thập phân kiểu tiếng Anh (ví dụ «74.8%»): trong văn bản tiếng Việt "
                "dấu chấm ngăn cách hàng nghìn, nên số này có thể bị hiểu sai. Hãy viết dấu phẩy thập phân "
                "(«74,8%»); các số này không được kiểm tra.",
            )
        )
    return Extraction(text=text, claims=claims, problems=problems)


def _english_problem(tokens: list[str]) -> str:
    bad = [t for t in tokens if _english(t)]
    if not bad:
        return ""
    return (
        f"«{bad[0]}» viết dấu chấm thập phân kiểu tiếng Anh: không rõ là {bad[0].replace('.', ',')} hay "
        f"{bad[0].replace('.', '')}; hãy viết dấu phẩy thập phân. Số này không được kiểm tra."
    )


def _percent_for(
    text: str, ratio: re.Match[str], percents: list[tuple[int, int, str]], used: set[int], clause_end: int
) -> int | None:
    """The percentage written with a ratio: the first after it in its clause, with no other figure
    between and not a change ("tăng 12%"); or one right before it ("đạt 95,62% (131/137 CĐCS)")."""
    for i, (ps, pe, _) in enumerate(percents):
        if i in used:
            continue
        if ratio.end() <= ps < clause_end and ps - ratio.end() <= 160:
            between = text[ratio.end() : ps]
            if _NUM_RE.search(between) or _RATIO_RE.search(between):
                return None
            lead = _fwords(between)[-3:]
            if any(w in ("tang", "giam", "hon", "thap", "cao") for w in lead):
                return None
            return i
        if (
            pe <= ratio.start()
            and ratio.start() - pe <= 3
            and text[pe : ratio.start()].strip() in ("(", "", "(")
        ):
            return i
    return None


def _add_money(text: str, start: int, end: int, tokens: list[tuple[str, str]], add: object) -> None:
    qual, bound, begin = _qualifier(text, start)
    numbers = [t for t, _ in tokens]
    problem = _english_problem(numbers)
    total = Decimal(0)
    if not problem:
        for token, unit in tokens:
            total += _number(token) * _MONEY_UNITS.get(fold(unit), 1)
    claim = Claim(
        kind="money",
        start=begin,
        end=end,
        text=text[begin:end],
        values=[] if problem else [total.to_integral_value()],
        qualifier=qual,
        bound=bound,
        lead=_lead(text, begin),
        noun=_noun(text, end),
        problem=problem,
    )
    add(claim)  # type: ignore[operator]
