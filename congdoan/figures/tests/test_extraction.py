"""Extraction and arithmetic over the corpus: precision and recall of the claims found, every planted
error flagged, and each form of the issue read to the right numbers."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from congdoan.core.formatting import format_money_words, format_number, format_percent
from congdoan.figures.arithmetic import check_arithmetic, percent_verdict
from congdoan.figures.extraction import extract, normalise

from .corpus import CORPUS, PLANTED, expected_values


def _check(text: str):  # type: ignore[no-untyped-def]
    return check_arithmetic(extract(text))


def corpus_scores() -> tuple[float, float, int, int, int]:
    """(precision, recall, true positives, false positives, false negatives) of extraction: a claim
    counts when its kind and every number read are those expected."""
    tp = fp = fn = 0
    for sentence in CORPUS:
        found = [(c.kind, tuple(c.values)) for c in extract(sentence.text).claims]
        missing = expected_values(sentence)
        for claim in found:
            if claim in missing:
                missing.remove(claim)
                tp += 1
            else:
                fp += 1
        fn += len(missing)
    return tp / (tp + fp), tp / (tp + fn), tp, fp, fn


def test_the_corpus_is_big_enough_and_has_every_form() -> None:
    assert len(CORPUS) >= 60
    kinds = {kind for sentence in CORPUS for kind, _, _ in sentence.claims}
    assert kinds == {"ratio", "percent", "count", "money"}
    assert len(PLANTED) >= 8


def test_precision_and_recall_of_extraction(capsys) -> None:  # type: ignore[no-untyped-def]
    precision, recall, tp, fp, fn = corpus_scores()
    with capsys.disabled():
        claims = sum(len(s.claims) for s in CORPUS)
        print(
            f"\nfigures corpus: {len(CORPUS)} sentences, {claims} expected claims, "
            f"{len(PLANTED)} planted errors; "
            f"found {tp + fp}: {tp} right, {fp} spurious, {fn} missed → "
            f"precision {precision:.3f}, recall {recall:.3f}"
        )
    assert precision >= 0.95
    assert recall >= 0.95


def test_every_planted_error_is_flagged_and_every_verdict_is_as_expected() -> None:
    flagged = 0
    for sentence in CORPUS:
        claims = _check(sentence.text).claims
        got = [(c.kind, tuple(c.values), c.verdict) for c in claims]
        want = [(k, tuple(Decimal(v) for v in values), verdict) for k, values, verdict in sentence.claims]
        assert got == want, sentence.text
        if sentence in PLANTED:
            assert any(c.verdict == "wrong" and c.expected for c in claims), sentence.text
            flagged += 1
    assert flagged == len(PLANTED)


def test_the_issue_examples_with_their_verdicts_and_right_values() -> None:
    [claim] = _check("ký kết được 29/24 bản (đạt 120,83% chỉ tiêu)").claims
    assert (claim.kind, claim.verdict, claim.text) == ("ratio", "ok", "29/24 bản (đạt 120,83%")
    [claim] = _check("98/131 bản xếp loại A, B (78,4%)").claims
    assert (claim.verdict, claim.expected) == ("wrong", "74,8%")
    assert "98/131 = 74,8%" in claim.explanation
    [claim] = _check("33/31 bản, đạt 106%").claims
    assert (claim.verdict, claim.expected) == ("rounding", "")
    assert "106,45%" in claim.explanation


def test_spans_point_at_the_figures_in_the_normalised_text() -> None:
    result = extract("Hỗ trợ 2.703 lượt NLĐ ... số tiền hơn 10 tỷ đồng")
    assert [(c.text, result.text[c.start : c.end]) for c in result.claims] == [
        ("2.703 lượt NLĐ", "2.703 lượt NLĐ"),
        ("hơn 10 tỷ đồng", "hơn 10 tỷ đồng"),
    ]
    money = result.claims[1]
    assert (money.qualifier, money.bound, money.values) == ("hơn", "above", [Decimal(10**10)])


def test_qualifiers_are_kept_as_bounds() -> None:
    bounds = {
        c.qualifier: c.bound
        for c in extract("trên 90%; gần 300 người; khoảng 3 tỷ đồng; gần như 100%").claims
    }
    assert bounds == {"trên": "above", "gần": "at_most", "khoảng": "about", "gần như": "at_most"}


def test_normalisation_nfd_tone_placement_and_non_breaking_spaces() -> None:
    nfd = unicodedata.normalize("NFD", "Thoả ước: 2.703\u00a0lượt NLĐ")
    text, problems = normalise(nfd)
    assert text == "Thỏa ước: 2.703 lượt NLĐ"
    assert [p.code for p in problems] == ["nfd"]
    assert "NFD" in problems[0].message
    [claim] = extract(nfd).claims
    assert claim.text == "2.703 lượt NLĐ"


def test_legacy_encodings_are_detected_and_named() -> None:
    tcvn3 = "Liªn ®oµn Lao ®éng thµnh phè Hµ Néi ®· hç trî 2.703 l­ît C«ng ®oµn c¬ së."
    problems = extract(tcvn3).problems
    assert [p.code for p in problems] == ["tcvn3"] and "TCVN3" in problems[0].message
    vni = "Lieân ñoaøn Lao ñoäng thaønh phoá Haø Noäi ñaõ hoã trôï 2.703 löôït ñoaøn vieân."
    problems = extract(vni).problems
    assert [p.code for p in problems] == ["vni"] and "VNI" in problems[0].message
    utf8 = "CÃ´ng Ä‘oÃ n thÃ nh phá»‘ HÃ  Ná»™i"
    assert [p.code for p in extract(utf8).problems] == ["utf8-as-1252"]
    assert extract("Công đoàn thành phố Hà Nội hỗ trợ 2.703 lượt NLĐ.").problems == []


def test_an_english_decimal_point_is_flagged_not_read() -> None:
    result = _check("Tỷ lệ đạt 74.8%; kinh phí 1.5 tỷ đồng; 98/131 bản (74.8%).")
    assert [(c.kind, c.values, c.verdict) for c in result.claims] == [
        ("percent", [], "unchecked"),
        ("money", [], "unchecked"),
        ("ratio", [], "unchecked"),
    ]
    assert all("74,8" in c.problem or "1,5" in c.problem for c in result.claims)
    assert [p.code for p in result.problems] == ["english-decimal"]
    # A Vietnamese thousands group is never taken for a decimal point.
    assert extract("23.736 đoàn viên").claims[0].values == [Decimal(23736)]


@given(
    x=st.integers(min_value=0, max_value=100_000),
    y=st.integers(min_value=1, max_value=100_000),
    decimals=st.integers(min_value=1, max_value=2),
)
def test_a_percentage_written_by_congdoan_is_never_wrong(x: int, y: int, decimals: int) -> None:
    """Invariant: the percentage ``core.formatting`` writes for X/Y passes the check (never red)."""
    written = format_percent(x, y, decimals)
    stated = Decimal(written.rstrip("%").replace(".", "").replace(",", "."))
    shown = len(written.rstrip("%").partition(",")[2])
    assert percent_verdict(Decimal(x), Decimal(y), stated, shown)[0] in ("ok", "rounding")
    [claim] = _check(f"{format_number(x)}/{format_number(y)} bản ({written})").claims
    assert claim.verdict in ("ok", "rounding")


@given(st.integers(min_value=1_000, max_value=10**13))
def test_money_written_in_words_reads_back_within_its_rounding(dong: int) -> None:
    """Invariant: ``format_money_words`` ("1 tỷ 250,3 triệu đồng") is read back as one money claim,
    within the 0,1 triệu (or 0,1 nghìn) it was rounded to."""
    words = format_money_words(dong)
    [claim] = extract(f"Tổng số tiền {words}.").claims
    assert claim.kind == "money"
    step = 100 if dong < 1_000_000 else 100_000
    assert abs(claim.values[0] - dong) <= step // 2
