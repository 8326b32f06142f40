"""Vietnamese text helpers: normalisation, search folding, collation keys and name casing.

Architecture §4: text is stored NFC, search is accent- and case-insensitive ("Hoà" = "Hòa"),
people sort by given name then family name following CLDR Vietnamese collation.

Canonical tone placement (decision)
-----------------------------------
Vietnamese has two spellings for open syllables ending in the diphthongs *oa*, *oe*, *uy*:
the "traditional" one puts the tone mark on the first vowel (hòa, khỏe, thủy) and the
"new" one on the second (hoà, khoẻ, thuỷ). Both are in everyday use, so the same name may be
typed either way. :func:`nfc` canonicalises to the **traditional placement (first vowel)**,
which is what vi_vectors and most official documents use ("Hòa", "thủy", "Thỏa ước", "ủy").
Only open syllables are touched: with a final consonant or a third vowel (hoàng, khuyến,
ngoài) both styles agree already. ``qu`` + ``y`` is a consonant + vowel ("quý"), never moved.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "nfc", "person_sort_key", "title_case_name", "vi_primary_key", "vi_sort_key"]

_WS_RE = re.compile(r"\s+")

# Combining tone marks, in CLDR Vietnamese secondary order (ngang < huyền < hỏi < ngã < sắc < nặng).
_GRAVE, _HOOK, _TILDE, _ACUTE, _DOT = "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"
_TONES = (_GRAVE, _HOOK, _TILDE, _ACUTE, _DOT)
# Marks that make a distinct letter (ă, â, ê, ô, ơ, ư) rather than a tone.
_BREVE, _CIRCUMFLEX, _HORN = "\u0306", "\u0302", "\u031b"
_LETTER_MARKS = (_BREVE, _CIRCUMFLEX, _HORN)

_VOWELS = frozenset("aeiouy")
_OPEN_DIPHTHONGS = frozenset({("o", "a"), ("o", "e"), ("u", "y")})


def _collapse(s: str) -> str:
    return _WS_RE.sub(" ", s).strip()


def _clusters(s: str) -> list[list[str]]:
    """Split an NFD string into [base, *combining marks] clusters."""
    out: list[list[str]] = []
    for ch in s:
        if unicodedata.combining(ch) and out:
            out[-1].append(ch)
        else:
            out.append([ch])
    return out


def _fix_tone_placement(s: str) -> str:
    """Move the tone of open oa/oe/uy syllables onto the first vowel (see module docstring)."""
    cl = _clusters(unicodedata.normalize("NFD", s))
    n = len(cl)
    for i in range(n - 1):
        first, second = cl[i], cl[i + 1]
        pair = (first[0].lower(), second[0].lower())
        if pair not in _OPEN_DIPHTHONGS:
            continue
        # Both vowels must be plain letters (no breve/circumflex/horn): "oă", "uý" in "quý" etc.
        if any(m in _LETTER_MARKS for m in first[1:] + second[1:]):
            continue
        # Syllable must end right after the diphthong (no final consonant / third vowel).
        if i + 2 < n and cl[i + 2][0].isalpha():
            continue
        prev = cl[i - 1][0].lower() if i > 0 else ""
        if prev in _VOWELS or (pair == ("u", "y") and prev == "q"):
            continue
        tones = [m for m in second[1:] if m in _TONES]
        if len(tones) != 1 or any(m in _TONES for m in first[1:]):
            continue
        second.remove(tones[0])
        first.append(tones[0])
    return unicodedata.normalize("NFC", "".join("".join(c) for c in cl))


def nfc(s: str) -> str:
    """NFC, trimmed, inner whitespace collapsed, canonical tone placement; case is preserved."""
    return _fix_tone_placement(_collapse(unicodedata.normalize("NFC", s)))


def fold(s: str) -> str:
    """Accent-, case- and spacing-insensitive search key ("Nguyễn  Thị" -> "nguyen thi")."""
    decomposed = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _collapse(unicodedata.normalize("NFC", stripped).lower())


# --- collation -------------------------------------------------------------------------------
#
# vi_sort_key() returns a string whose *plain code-point order* equals CLDR Vietnamese collation.
# It is stored in a DB column, so it only uses [0-9a-z]: for such strings the C, glibc and ICU
# collations agree, so the column sorts correctly whatever collation the database uses.
#
# Layout:  PRIMARY "0" SECONDARY "0" TERTIARY
#   PRIMARY   two base-36 chars per input char (first char >= "1"), letters in Vietnamese order;
#   SECONDARY one digit per input char: 1 = no tone, 2..6 = huyền, hỏi, ngã, sắc, nặng, 7 = other mark;
#   TERTIARY  one digit per input char: 1 = lower case, 2 = upper case (lower first, as CLDR).
# Every input char yields exactly one primary code, so equal primaries imply equal lengths of the
# later levels, and "0" (lower than any code) makes a shorter primary sort first ("an" < "anh").

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_DIGITS36 = "0123456789abcdefghijklmnopqrstuvwxyz"
_LEVEL_SEP = "0"
_WORD_SEP = "0"


def _code(rank: int) -> str:
    return _DIGITS36[rank // 36] + _DIGITS36[rank % 36]


def _build_primary() -> dict[str, str]:
    table: dict[str, str] = {" ": _code(36)}
    rank = 37
    for ch in "".join(chr(c) for c in range(0x21, 0x7F) if not chr(c).isalnum()):
        table[ch] = _code(rank)
        rank += 1
    for ch in "0123456789" + _ALPHABET:
        table[ch] = _code(rank)
        rank += 1
    return table


_PRIMARY = _build_primary()
_PRIMARY_OTHER = _code(36 * 36 - 1)  # "zz": anything outside Latin/Vietnamese sorts last
_LETTER_FORMS = {
    ("a", _BREVE): "ă",
    ("a", _CIRCUMFLEX): "â",
    ("e", _CIRCUMFLEX): "ê",
    ("o", _CIRCUMFLEX): "ô",
    ("o", _HORN): "ơ",
    ("u", _HORN): "ư",
}


def _collation_elements(s: str) -> tuple[str, str, str]:
    primary: list[str] = []
    secondary: list[str] = []
    tertiary: list[str] = []
    for cluster in _clusters(unicodedata.normalize("NFD", s)):
        base, marks = cluster[0], cluster[1:]
        lower = base.lower()
        upper = base != lower
        letter = lower
        tone = "1"
        for m in marks:
            if (lower, m) in _LETTER_FORMS:
                letter = _LETTER_FORMS[(lower, m)]
            elif m in _TONES:
                tone = str(_TONES.index(m) + 2)
            elif tone == "1":
                tone = "7"
        if lower.isspace():
            letter = " "
        primary.append(_PRIMARY.get(letter, _PRIMARY_OTHER))
        secondary.append(tone)
        tertiary.append("2" if upper else "1")
    return "".join(primary), "".join(secondary), "".join(tertiary)


def vi_sort_key(s: str) -> str:
    """String key whose code-point order is CLDR Vietnamese collation (letters, then tones, then case)."""
    p, s2, s3 = _collation_elements(nfc(s))
    return p + _LEVEL_SEP + s2 + _LEVEL_SEP + s3


def vi_primary_key(s: str) -> str:
    """The primary level of ``vi_sort_key`` (letters only: no tones, no case), a prefix of it."""
    return _collation_elements(nfc(s))[0]


def person_sort_key(full_name: str) -> str:
    """Key sorting people by given name (last word), then middle names, then family name (first word).

    Each name part is compared completely (all levels) before the next one, so "Hoàng Văn Hà" sorts
    before "Ngô Thị Hạ" although "Thị" < "Văn". No vi_sort_key is a proper prefix of another, so the
    word separator never decides the order by itself.
    """
    words = nfc(full_name).split(" ")
    if len(words) > 1:
        words = [words[-1], *words[1:-1], words[0]]
    return _WORD_SEP.join(vi_sort_key(w) for w in words)


def _cap_word(word: str) -> str:
    # Hyphenated parts are capitalised too ("Nguyễn-Lê"); str.capitalize handles đ/Đ and accents.
    return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))


def title_case_name(s: str) -> str:
    """Normalise a personal or place name: "ĐỖ MINH  ĐỨC" -> "Đỗ Minh Đức"."""
    return " ".join(_cap_word(w) for w in nfc(s).split(" "))
