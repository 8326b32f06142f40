"""Step 1 of ``congdoan import members`` for one row: the checks of :mod:`congdoan.members.member_import`.

:class:`RowChecker` turns one row of the file into a :class:`CleanRow` — what matching and writing
need — or records every problem of the row (with its column, in Vietnamese) and returns ``None``. It
touches no table: the CĐCS the actor may write to are loaded once by the importer and handed in, and
the keys that detect duplicates inside the file (CCCD, card number, name + birth date) live here.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from congdoan.core.formatting import format_date
from congdoan.core.text import fold, title_case_name, vi_sort_key
from congdoan.imports.reader import Cell, Row, RowError, cell_date, cell_text
from congdoan.org.models import alive_on

from . import validation
from .models import person_search_key

_EXTRA_TEXT = {"ethnicity": 40, "education": 60, "job": 120, "address": 255}
# A name word the cached fast path handles: letters, optionally joined by hyphens (see Names).
_NAME_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_SCIENTIFIC = re.compile(r"^\d+([.,]\d+)?[eE]\+?\d+$")


class Names:
    """``validation.normalize_name`` plus the search and sort keys of ``Person.fill_keys``, per word.

    Normalising a name and building its collation key costs ~80 µs; a million members use only a
    few thousand distinct words, so each word is normalised once. A name the fast path is not sure
    about (a word with anything but letters and hyphens, fewer than two words) goes through
    ``validation.normalize_name`` and ``Person.fill_keys``'s own functions. Tests check that both
    paths agree.
    """

    MAX_WORDS = 200_000  # cache bound; cleared when full

    def __init__(self) -> None:
        self.words: dict[str, tuple[str, str, str]] = {}

    def clean(self, raw: str) -> tuple[str, str, str]:
        """``(full_name, search_key, sort_key)``; raises ValueError with a Vietnamese message."""
        words = raw.split()
        parts: list[tuple[str, str, str]] = []
        if 2 <= len(words) <= 12:
            cache = self.words
            for word in words:
                hit = cache.get(word)
                if hit is None:
                    hit = self._word(word)
                    if hit is None:
                        return self.slow(raw)
                parts.append(hit)
            name = " ".join(p[0] for p in parts)
            if len(name) > 120:
                raise ValueError("Họ và tên dài quá 120 ký tự.")
            search = " ".join(p[1] for p in parts)[:200]
            ordered = [parts[-1], *parts[1:-1], parts[0]]
            return name, search, "0".join(p[2] for p in ordered)[:200]
        return self.slow(raw)

    def _word(self, word: str) -> tuple[str, str, str] | None:
        composed = unicodedata.normalize("NFC", word)
        if not _NAME_WORD.fullmatch(composed):
            return None
        title = title_case_name(composed)
        if " " in title or not title:
            return None
        if len(self.words) >= self.MAX_WORDS:
            self.words.clear()
        hit = (title, fold(title), vi_sort_key(title))
        self.words[word] = hit
        return hit

    @staticmethod
    def slow(raw: str) -> tuple[str, str, str]:
        from congdoan.core.text import person_sort_key

        name = validation.normalize_name(raw)
        if len(name) > 120:
            raise ValueError("Họ và tên dài quá 120 ký tự.")
        return name, person_search_key(name), person_sort_key(name)[:200]


@dataclass(slots=True)
class CleanRow:
    """One row that passed its own checks: what matching and writing need, nothing more."""

    number: int
    cdcs_id: int
    full_name: str
    search_key: str
    sort_key: str
    birth_date: dt.date
    gender: str
    cccd: str | None
    legacy: bool
    phone: str  # "" = not given
    join_date: dt.date
    card: str | None
    extra: dict[str, Any]  # optional columns given in this row (email, ethnicity, ...)


@dataclass(frozen=True, slots=True)
class CdcsUnit:
    id: int
    code: str
    name: str
    founded_on: dt.date | None
    dissolved_on: dt.date | None


def id_text(value: Cell) -> str:
    """CCCD/CMND as text; a number cell gets back the leading zeros Excel dropped (001… → 1…)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = cell_text(value)
        if len(text) in (10, 11):
            return text.zfill(12)
        if len(text) == 8:
            return text.zfill(9)
        return text
    return cell_text(value)


class _RowErrors:
    """The errors of one row: the reader's own (a cell it refused, e.g. a formula) and the checks'."""

    __slots__ = ("add_error", "ok", "refused", "row")

    def __init__(self, row: Row, add_error: Callable[[RowError], None]) -> None:
        self.row = row
        self.add_error = add_error
        self.ok = not row.errors
        for error in row.errors:
            add_error(error)
        # A cell the reader refused (a formula) is reported once, not again as empty.
        self.refused = {e.column for e in row.errors}

    def fail(self, key: str, message: str) -> None:
        self.ok = False
        if self.row.headers.get(key, key) not in self.refused:
            self.add_error(self.row.error(key, message))


class RowChecker:
    """Checks rows one at a time (:meth:`check`), remembering what it needs to find duplicates
    inside the file; errors go to ``add_error``."""

    def __init__(
        self, units: dict[str, CdcsUnit], today: dt.date, add_error: Callable[[RowError], None]
    ) -> None:
        self.units = units  # code → CĐCS/nghiệp đoàn the actor may write to
        self.today = today
        self.add_error = add_error
        self.names = Names()
        # Caches of cells that repeat down a column (dates, genders, short texts).
        self.dates: dict[str, dt.date] = {}
        self.genders: dict[str, str] = {}
        self.texts: dict[tuple[str, str], str] = {}
        # Duplicates inside the file: CCCD (as an int: 12-digit CCCD and 9-digit CMND never collide),
        # card number, and (CĐCS, folded name, birth date) of rows without CCCD.
        self.cccds: dict[int, int] = {}
        self.cards: dict[str, int] = {}
        self.namekeys: dict[tuple[int, str, dt.date], int] = {}

    def check(self, row: Row) -> CleanRow | None:
        """The row's clean values, or ``None`` when anything in it is wrong (every error recorded)."""
        r = _RowErrors(row, self.add_error)
        unit = self._cdcs(r)
        name, search_key, sort_key = self._name(r)
        birth = self._birth_date(r)
        gender = self._gender(r)
        cccd, legacy = self._cccd(r, birth, gender)
        phone = self._phone(r)
        join = self._join_date(r)
        card = self._card(r)
        extra, nationality, contract = self._optional_columns(r)
        if join is not None:
            join = self._eligibility(r, unit, birth, join, nationality, contract, extra)
        self._duplicates(r, unit, cccd, card, search_key, birth)
        if not r.ok or unit is None or birth is None or join is None:
            return None
        return CleanRow(
            number=row.number,
            cdcs_id=unit.id,
            full_name=name,
            search_key=search_key,
            sort_key=sort_key,
            birth_date=birth,
            gender=gender,
            cccd=cccd,
            legacy=legacy,
            phone=phone,
            join_date=join,
            card=card,
            extra=extra,
        )

    # -- cells -------------------------------------------------------------------------------------
    def _date(self, row: Row, key: str) -> dt.date | None:
        value = row.get(key)
        if isinstance(value, str):
            day = self.dates.get(value)
            if day is None:
                day = cell_date(value)
                if day is not None and len(self.dates) < 100_000:
                    self.dates[value] = day
            return day
        return cell_date(value)

    def _text(self, row: Row, key: str, limit: int, label: str) -> str | None:
        """An optional free-text cell, NFC; ``None`` when empty or too long (error recorded)."""
        value = row.get(key)
        if value is None:
            return None
        cache_key = (key, value) if isinstance(value, str) else None
        text = self.texts.get(cache_key) if cache_key else None
        if text is None:
            text = cell_text(value)
            if cache_key and len(text) <= 60 and len(self.texts) < 50_000:
                self.texts[cache_key] = text
        if len(text) > limit:
            self.add_error(row.error(key, f"{label} dài quá {limit} ký tự."))
            return None
        return text or None

    # -- the steps, in the order of the columns ------------------------------------------------------
    def _cdcs(self, r: _RowErrors) -> CdcsUnit | None:
        """A CĐCS in the actor's writable scope that has not ended."""
        code = cell_text(r.row.get("cdcs_code"))
        unit = self.units.get(code) or (self.units.get(code.upper()) if code else None)
        if not code:
            r.fail("cdcs_code", "Chưa nhập mã công đoàn cơ sở.")
        elif unit is None:
            r.fail("cdcs_code", f"Không tìm thấy công đoàn cơ sở «{code}» trong phạm vi của bạn.")
        elif unit.dissolved_on is not None and unit.dissolved_on <= self.today:
            r.fail(
                "cdcs_code", f"{unit.name} đã chấm dứt hoạt động từ ngày {format_date(unit.dissolved_on)}."
            )
            return None
        return unit

    def _name(self, r: _RowErrors) -> tuple[str, str, str]:
        """``(full_name, search_key, sort_key)``; empty strings when the name is missing or wrong."""
        raw_name = r.row.get("full_name")
        if raw_name is None:
            r.fail("full_name", "Chưa nhập họ và tên.")
            return "", "", ""
        try:
            return self.names.clean(raw_name if isinstance(raw_name, str) else cell_text(raw_name))
        except ValueError as exc:
            r.fail("full_name", str(exc))
            return "", "", ""

    def _birth_date(self, r: _RowErrors) -> dt.date | None:
        try:
            birth = self._date(r.row, "birth_date")
            if birth is None:
                r.fail("birth_date", "Chưa nhập ngày sinh.")
            else:
                validation.check_birth_date(birth, self.today)  # in the future, before 1900
        except ValueError as exc:
            r.fail("birth_date", str(exc))
            return None
        return birth

    def _gender(self, r: _RowErrors) -> str:
        """The gender code, "" when missing or wrong."""
        raw_gender = r.row.get("gender")
        gender = self.genders.get(raw_gender, "") if isinstance(raw_gender, str) else ""
        if gender:
            return gender
        gender_text = cell_text(raw_gender)
        if not gender_text:
            r.fail("gender", "Chưa nhập giới tính (Nam hoặc Nữ).")
            return ""
        try:
            gender = validation.parse_gender(gender_text)
        except ValueError as exc:
            r.fail("gender", str(exc))
            return ""
        if isinstance(raw_gender, str) and len(self.genders) < 100:
            self.genders[raw_gender] = gender
        return gender

    def _cccd(self, r: _RowErrors, birth: dt.date | None, gender: str) -> tuple[str | None, bool]:
        """``(cccd, legacy)``: the CCCD (or a 9-digit CMND, ``legacy``), consistent with gender and
        birth year; ``(None, False)`` when not given or wrong."""
        raw_id = r.row.get("cccd")
        if raw_id is None:
            return None, False
        text = id_text(raw_id)
        if _SCIENTIFIC.match(text):
            r.fail(
                "cccd",
                f"Số CCCD «{text}» đã bị Excel đổi sang dạng số mũ nên mất chữ số; hãy định dạng "
                "cột CCCD là Văn bản (Text), nhập lại số rồi lưu tệp.",
            )
            return None, False
        try:
            checked = validation.check_cccd(text, birth_date=birth, gender=gender or None)
        except ValueError as exc:
            r.fail("cccd", str(exc))
            return None, False
        return checked.value, checked.legacy

    def _phone(self, r: _RowErrors) -> str:
        raw_phone = r.row.get("phone")
        if raw_phone is None:
            return ""
        try:
            return validation.normalize_phone(cell_text(raw_phone))
        except ValueError as exc:
            r.fail("phone", str(exc))
            return ""

    def _join_date(self, r: _RowErrors) -> dt.date | None:
        try:
            join = self._date(r.row, "join_date")
            if join is None:
                r.fail("join_date", "Chưa nhập ngày vào công đoàn.")
            elif join > self.today:
                r.fail("join_date", f"Ngày vào công đoàn {format_date(join)} sau ngày hôm nay.")
                return None
        except ValueError as exc:
            r.fail("join_date", str(exc))
            return None
        return join

    def _card(self, r: _RowErrors) -> str | None:
        card = cell_text(r.row.get("card_number")) or None
        if card is not None and len(card) > 20:
            r.fail("card_number", "Số thẻ đoàn viên dài quá 20 ký tự.")
            return None
        return card

    def _optional_columns(self, r: _RowErrors) -> tuple[dict[str, Any], str, int | None]:
        """``(extra, nationality, contract_months)``: the optional columns given in the row (``extra``
        holds those to store), the nationality ("VN" when not given) and the contract's months."""
        row = r.row
        extra: dict[str, Any] = {}
        for key, limit in _EXTRA_TEXT.items():
            if row.get(key) is not None:
                text = self._text(row, key, limit, row.headers.get(key, key))
                if text is None:
                    r.ok = False
                else:
                    extra[key] = text
        if row.get("email") is not None:
            email = cell_text(row.get("email")).lower()
            try:
                validate_email(email)
                extra["email"] = email
            except ValidationError:
                r.fail("email", f"Địa chỉ thư điện tử «{email}» không hợp lệ.")
        nationality = "VN"
        if row.get("nationality") is not None:
            nat = cell_text(row.get("nationality"))
            if fold(nat) in ("viet nam", "vn", "vietnam"):
                nationality = "VN"
            elif re.fullmatch(r"[A-Za-z]{2}", nat):
                nationality = nat.upper()
            else:
                r.fail(
                    "nationality",
                    f"Quốc tịch «{nat}» không hợp lệ: ghi «Việt Nam» hoặc mã 2 chữ cái (VD: KR).",
                )
            extra["nationality"] = nationality
        contract: int | None = None
        if row.get("contract_months") is not None:
            text = cell_text(row.get("contract_months"))
            if text.isdigit() and 0 < int(text) < 1000:
                contract = int(text)
                extra["contract_months"] = contract
            else:
                r.fail("contract_months", f"Thời hạn hợp đồng «{text}» không hợp lệ: ghi số tháng, ví dụ 12.")
        return extra, nationality, contract

    def _eligibility(
        self,
        r: _RowErrors,
        unit: CdcsUnit | None,
        birth: dt.date | None,
        join: dt.date,
        nationality: str,
        contract: int | None,
        extra: dict[str, Any],
    ) -> dt.date:
        """Age and nationality rules on the admission date; returns the day the membership in this
        CĐCS starts (sets ``extra["union_join_date"]``)."""
        try:
            validation.check_eligibility(
                birth_date=birth, join_date=join, nationality=nationality, contract_months=contract
            )
        except ValueError as exc:
            r.fail("join_date", str(exc))
        # The column is the first admission to the union (the member's card), often at an earlier
        # employer: it fills ``Person.union_join_date``; the membership in this CĐCS starts then, or
        # on the CĐCS's founding if that came later (docs/members-privacy.md, "Ngày vào công đoàn").
        extra["union_join_date"] = join
        if unit is not None:
            join = max(join, unit.founded_on or join)
            if not alive_on(unit.founded_on, unit.dissolved_on, join):
                r.fail("join_date", f"{unit.name} không hoạt động vào ngày {format_date(join)}.")
        return join

    def _duplicates(
        self,
        r: _RowErrors,
        unit: CdcsUnit | None,
        cccd: str | None,
        card: str | None,
        search_key: str,
        birth: dt.date | None,
    ) -> None:
        """The same CCCD, card number, or (without CCCD) name + birth date in the same CĐCS on an
        earlier row of the file."""
        number = r.row.number
        if cccd is not None:
            first = self.cccds.setdefault(int(cccd), number)
            if first != number:
                r.fail("cccd", f"Số CCCD {cccd} trùng với dòng {first}.")
        if card is not None:
            first = self.cards.setdefault(card, number)
            if first != number:
                r.fail("card_number", f"Số thẻ đoàn viên «{card}» trùng với dòng {first}.")
        if cccd is None and unit is not None and birth is not None and search_key:
            first = self.namekeys.setdefault((unit.id, search_key, birth), number)
            if first != number:
                r.fail(
                    "full_name",
                    f"Trùng họ tên và ngày sinh với dòng {first} cùng công đoàn cơ sở mà không có số CCCD "
                    "để phân biệt.",
                )
