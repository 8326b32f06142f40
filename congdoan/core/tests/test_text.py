"""Vietnamese text helpers, checked against the reference vectors in data/vi_vectors.json."""

from __future__ import annotations

import json
import random
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from congdoan.core.text import fold, nfc, person_sort_key, title_case_name, vi_sort_key

# The project carries its own copy of the reference vectors, so a plain clone can run its tests.
VECTORS_PATH = Path(__file__).resolve().parent / "data" / "vi_vectors.json"


def _vectors() -> dict[str, Any]:
    return json.loads(VECTORS_PATH.read_text(encoding="utf-8"))


V = _vectors()

# Vietnamese-ish text: letters with every tone/letter mark, spaces, some punctuation, mixed case.
VI_CHARS = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯ -.0123456789"
    "àảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
)
vi_text = st.text(alphabet=VI_CHARS, max_size=30)


@pytest.mark.parametrize(("a", "b"), V["same_after_nfc_and_tone_placement"])
def test_tone_placement_variants_are_identical_after_nfc(a: str, b: str) -> None:
    assert nfc(a) == nfc(b)
    # Canonical placement is the traditional one (tone on the first vowel), as in the vectors.
    assert nfc(a) == b


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Hoà", "Hòa"),
        ("HOÀ", "HÒA"),
        ("khoẻ", "khỏe"),
        ("Thuỵ Khuê", "Thụy Khuê"),
        ("quý", "quý"),  # qu + y: the tone belongs to y
        ("QUỶ", "QUỶ"),
        ("hoàng", "hoàng"),  # closed syllable: both styles agree, untouched
        ("ngoài", "ngoài"),
        ("khuyến", "khuyến"),
        ("  Nguyễn\u00a0 Văn\tA  ", "Nguyễn Văn A"),
        ("Nguye\u0302\u0303n", "Nguyễn"),  # NFD input
    ],
)
def test_nfc(raw: str, expected: str) -> None:
    assert nfc(raw) == expected


@given(vi_text)
def test_nfc_idempotent_and_normalised(s: str) -> None:
    once = nfc(s)
    assert nfc(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert fold(once) == fold(s)


@pytest.mark.parametrize(("raw", "expected"), V["fold"])
def test_fold_vectors(raw: str, expected: str) -> None:
    assert fold(raw) == expected


@given(vi_text)
def test_fold_idempotent_ascii_lower(s: str) -> None:
    folded = fold(s)
    assert fold(folded) == folded
    assert folded == folded.lower()
    assert all(ord(c) < 128 for c in folded)


def test_sort_words_vectors() -> None:
    words = V["sort_words"]
    shuffled = list(words)
    random.Random(7).shuffle(shuffled)
    assert sorted(shuffled, key=vi_sort_key) == words
    # The keys themselves sort by plain string comparison (what a DB with COLLATE "C" does).
    assert sorted(vi_sort_key(w) for w in shuffled) == [vi_sort_key(w) for w in words]


def test_sort_key_levels() -> None:
    assert vi_sort_key("an") < vi_sort_key("anh") < vi_sort_key("ăn")  # letters before tones
    assert vi_sort_key("dũng") < vi_sort_key("đa")
    assert vi_sort_key("hà") < vi_sort_key("há")
    assert vi_sort_key("hạ") < vi_sort_key("hă")
    assert vi_sort_key("an") < vi_sort_key("an b") < vi_sort_key("anb")
    # Case only decides between otherwise equal strings, lower case first.
    assert vi_sort_key("an") < vi_sort_key("An") < vi_sort_key("anh")
    assert vi_sort_key("Hà") < vi_sort_key("há")
    # Tone spelling variants collate identically.
    assert vi_sort_key("Hoà") == vi_sort_key("Hòa")


@given(vi_text)
def test_sort_key_is_db_safe(s: str) -> None:
    key = vi_sort_key(s)
    assert key.isascii() and key.isalnum() and key == key.lower()


@given(vi_text, vi_text)
def test_sort_key_ties_only_for_equal_text(a: str, b: str) -> None:
    # Equal keys mean equal after normalisation; different strings never tie.
    assert (vi_sort_key(a) == vi_sort_key(b)) == (nfc(a) == nfc(b))


def test_sort_people_by_given_name_vectors() -> None:
    people = V["sort_people_by_given_name"]
    for seed in range(5):
        shuffled = list(people)
        random.Random(seed).shuffle(shuffled)
        assert sorted(shuffled, key=person_sort_key) == people
        assert sorted(person_sort_key(p) for p in shuffled) == [person_sort_key(p) for p in people]


def test_person_sort_key_order_of_parts() -> None:
    # Given name, then middle names, then family name.
    assert person_sort_key("Trần Văn An") < person_sort_key("Lê Văn Bình")
    assert person_sort_key("Trần Thị An") < person_sort_key("Lê Văn An")
    assert person_sort_key("Lê Văn An") < person_sort_key("Trần Văn An")
    assert person_sort_key("An") < person_sort_key("Lê An")
    assert person_sort_key("  nguyễn   văn  an ") == person_sort_key("nguyễn văn an")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("nguyễn văn a", "Nguyễn Văn A"),
        ("ĐỖ MINH ĐỨC", "Đỗ Minh Đức"),
        ("  trần   THỊ  hoà ", "Trần Thị Hòa"),
        ("đặng thị thuỷ", "Đặng Thị Thủy"),
        ("nguyễn-lê an", "Nguyễn-Lê An"),
        ("", ""),
    ],
)
def test_title_case_name(raw: str, expected: str) -> None:
    assert title_case_name(raw) == expected


@given(vi_text)
def test_title_case_name_idempotent(s: str) -> None:
    once = title_case_name(s)
    assert title_case_name(once) == once
    assert fold(once) == fold(s)
