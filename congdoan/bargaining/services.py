"""Every write to collective agreements: validated, atomic, audited, scoped by ``actor``.

``actor`` is the user making the change (``None``: the system — CLI, demo, imports). A user may only
record agreements of CĐCS in their writable scope today; anything else is 404 (``OutOfScope``).
Bad input raises one ``ValidationError`` naming every bad field, in Vietnamese, before anything is
written.

Configuration (domain.md §4 marks these unconfirmed): ``BARGAINING_MIN_YEARS`` (1) and
``BARGAINING_MAX_YEARS`` (3) bound the validity of a new or re-signed agreement;
``BARGAINING_MAX_FILE_BYTES`` (10 MB) bounds the signed PDF. Grading criteria are ``GradingRule`` rows.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from pypdf import PdfReader

from congdoan.accounts.permissions import require_writable
from congdoan.core.audit import audit_log, snapshot
from congdoan.core.concurrency import check_version
from congdoan.core.formatting import format_date
from congdoan.core.models import AuditEntry
from congdoan.core.registry import records_changed
from congdoan.core.services import Problems, model_update
from congdoan.org.models import Employer, OrgUnit

from .models import (
    AgreementKind,
    AgreementScope,
    CollectiveAgreement,
    FavourableClause,
    Grade,
    GradingRule,
)

AGREEMENT_FIELDS = [
    "number",
    "cdcs",
    "scope",
    "kind",
    "signed_on",
    "effective_on",
    "expires_on",
    "superseded_on",
    "grade",
    "approval_share",
    "favourable_clauses",
    "renewal_of",
    "notes",
]
UPDATABLE = {
    "number",
    "scope",
    "kind",
    "signed_on",
    "effective_on",
    "expires_on",
    "grade",
    "approval_share",
    "favourable_clauses",
    "notes",
    "employers",
    "signed_file",
}
PDF_MAGIC = b"%PDF-"
# A file that a browser could render as a page: HTML tags or a script, anywhere in the file (a PDF
# header in front does not make it harmless). The tag must be followed by a space or ">", which keeps
# the chance of a false alarm in compressed streams negligible.
HTML_CONTENT = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|script|iframe|object|embed)[\s>]", re.IGNORECASE
)
# JavaScript actions inside the PDF itself: a scanned or printed signed agreement has none.
PDF_JAVASCRIPT = re.compile(rb"/JavaScript\b")  # the action type of every script, and the name tree
logger = logging.getLogger(__name__)
MSG_APPROVAL = "Thỏa ước phải được trên 50% người lao động biểu quyết tán thành."


def min_years() -> int:
    return int(getattr(settings, "BARGAINING_MIN_YEARS", 1))


def max_years() -> int:
    return int(getattr(settings, "BARGAINING_MAX_YEARS", 3))


def max_file_bytes() -> int:
    return int(getattr(settings, "BARGAINING_MAX_FILE_BYTES", 10 * 1024 * 1024))


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29/02 → 28/02
        return day.replace(year=day.year + years, day=28)


# -- checks ------------------------------------------------------------------------------------------


def _share(value: Any) -> Decimal | None:
    try:
        share = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return share if share.is_finite() else None


def _clauses(values: Iterable[str], errors: Problems) -> list[str]:
    out: list[str] = []
    for code in values:
        if code not in FavourableClause.values:
            errors.add("favourable_clauses", "Nội dung có lợi «%(code)s» không có trong danh mục.", code=code)
        elif code not in out:
            out.append(code)
    return out


def _pdf_error(message: str) -> ValidationError:
    return ValidationError({"signed_file": [message]})


def validate_pdf(upload: IO[bytes] | UploadedFile) -> None:
    """A real PDF (not judged by its name): the header, no HTML or script anywhere, the ``%%EOF``
    trailer, a structure pypdf can read with at least one page, and within the size limit."""
    size = getattr(upload, "size", None)
    limit = max_file_bytes()
    if size is not None and size > limit:
        raise ValidationError(
            {
                "signed_file": [
                    ValidationError("Tệp quá lớn: tối đa %(mb)s MB.", params={"mb": limit // (1024 * 1024)})
                ]
            }
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    upload.seek(0)
    if not data[:1024].lstrip(b"\xef\xbb\xbf\r\n\t ").startswith(PDF_MAGIC):
        raise _pdf_error("Tệp đính kèm phải là tệp PDF (bản thỏa ước đã ký).")
    if HTML_CONTENT.search(data):
        raise _pdf_error("Tệp đính kèm có chứa mã HTML hoặc mã lệnh (script), không phải bản PDF hợp lệ.")
    if PDF_JAVASCRIPT.search(data):
        raise _pdf_error("Tệp PDF có chứa mã lệnh JavaScript; hãy tải lên bản quét hoặc bản in ra PDF.")
    if b"%%EOF" not in data[-2048:]:
        raise _pdf_error("Tệp PDF không trọn vẹn (thiếu phần kết thúc %%EOF); hãy xuất lại tệp.")
    try:
        reader = PdfReader(BytesIO(data), strict=False)
        pages = len(reader.pages)
        names = reader.root_object.get("/Names") or {}
    except Exception as error:  # pypdf raises many kinds of errors for a broken file
        logger.info("signed agreement PDF refused: %s", error)
        raise _pdf_error(
            "Không đọc được tệp PDF (tệp hỏng, được mã hóa hoặc không phải PDF thật)."
        ) from error
    if pages == 0:
        raise _pdf_error("Tệp PDF không có trang nào.")
    if "/JavaScript" in names:  # scripts kept in a compressed object stream, out of the scan's reach
        raise _pdf_error("Tệp PDF có chứa mã lệnh JavaScript; hãy tải lên bản quét hoặc bản in ra PDF.")


def agreement_field_errors(
    *,
    kind: str,
    scope: str,
    signed_on: dt.date,
    expires_on: dt.date,
    approval_share: Any,
    effective_on: dt.date | None = None,
    grade: str = "",
) -> dict[str, list[str]]:
    """The agreement's own checks (dates, validity years, approval share, kind, grade) as messages
    per field, without raising: a form shows them beside its own errors, all at once (issue 12)."""
    errors = Problems()
    data = {
        "kind": kind,
        "scope": scope,
        "signed_on": signed_on,
        "effective_on": effective_on or signed_on,
        "expires_on": expires_on,
        "approval_share": approval_share,
        "grade": grade or "",
        "renewal_of": None,
    }
    _check_fields(data, errors)
    errors.by_field.pop("renewal_of", None)
    return errors.messages()


def _check_fields(data: dict[str, Any], errors: Problems) -> None:
    """Dates, validity years, approval share, kind and grade: the agreement's own fields."""
    signed, effective, expires = data["signed_on"], data["effective_on"], data["expires_on"]
    if data["kind"] not in AgreementKind.values:
        errors.add("kind", "Hình thức thỏa ước không hợp lệ.")
    if data["scope"] not in AgreementScope.values:
        errors.add("scope", "Phạm vi thỏa ước không hợp lệ.")
    if data.get("grade") and data["grade"] not in Grade.values:
        errors.add("grade", "Xếp loại phải là A, B, C hoặc D.")
    if signed > timezone.localdate():
        errors.add("signed_on", "Ngày ký %(day)s ở tương lai.", day=format_date(signed))
    if effective < signed:
        errors.add(
            "effective_on",
            "Ngày có hiệu lực %(eff)s trước ngày ký %(signed)s.",
            eff=format_date(effective),
            signed=format_date(signed),
        )
    if expires <= signed:
        errors.add(
            "expires_on",
            "Ngày hết hạn %(exp)s phải sau ngày ký %(signed)s.",
            exp=format_date(expires),
            signed=format_date(signed),
        )
    elif expires <= effective:
        errors.add(
            "expires_on",
            "Ngày hết hạn %(exp)s phải sau ngày có hiệu lực %(eff)s.",
            exp=format_date(expires),
            eff=format_date(effective),
        )
    else:
        low, high = min_years(), max_years()
        shortest = add_years(effective, low) - dt.timedelta(days=1)
        longest = add_years(effective, high)
        too_short = data["kind"] != AgreementKind.AMENDED and expires < shortest
        if too_short or expires > longest:
            errors.add(
                "expires_on",
                "Thỏa ước có thời hạn từ %(low)s đến %(high)s năm: có hiệu lực từ %(eff)s thì hết hạn "
                "trong khoảng %(first)s – %(last)s.",
                low=low,
                high=high,
                eff=format_date(effective),
                first=format_date(shortest),
                last=format_date(longest),
            )
    share = _share(data["approval_share"])
    if share is None or share <= Decimal("0.5") or share > 1:
        errors.add("approval_share", MSG_APPROVAL)
    else:
        data["approval_share"] = share
    renewal_of = data.get("renewal_of")
    if data["kind"] == AgreementKind.NEW and renewal_of is not None:
        errors.add("kind", "Thỏa ước ký lại hoặc sửa đổi, bổ sung không phải thỏa ước ký mới.")
    if data["kind"] == AgreementKind.AMENDED and renewal_of is None:
        errors.add("renewal_of", "Thỏa ước sửa đổi, bổ sung phải chỉ rõ thỏa ước được sửa đổi.")


def _check_parties(actor: Any, data: dict[str, Any], employers: Sequence[Employer], errors: Problems) -> None:
    """The CĐCS (grassroots, alive when signing, in the actor's scope) and the employers it represents."""
    cdcs: OrgUnit = data["cdcs"]
    if not cdcs.is_grassroots:
        errors.add(
            "cdcs",
            "«%(unit)s» không phải công đoàn cơ sở; thỏa ước doanh nghiệp do CĐCS ký.",
            unit=cdcs.name,
        )
    elif not cdcs.is_alive_on(data["signed_on"]):
        errors.add(
            "cdcs",
            "«%(unit)s» không hoạt động vào ngày ký %(day)s.",
            unit=cdcs.name,
            day=format_date(data["signed_on"]),
        )
    if not employers:
        errors.add("employers", "Chưa chọn đơn vị sử dụng lao động.")
        return
    scope = data["scope"]
    if scope == AgreementScope.ENTERPRISE and len(employers) > 1:
        errors.add("employers", "Thỏa ước doanh nghiệp chỉ có một đơn vị sử dụng lao động.")
    if scope == AgreementScope.MULTI and len(employers) < 2:
        errors.add("employers", "Thỏa ước nhiều doanh nghiệp phải có từ hai đơn vị sử dụng lao động.")
    if scope == AgreementScope.ENTERPRISE:
        for employer in employers:
            if employer.cdcs_id != cdcs.pk:
                errors.add(
                    "employers",
                    "«%(employer)s» không do «%(unit)s» đại diện người lao động.",
                    employer=employer.name,
                    unit=cdcs.name,
                )
    else:
        # Several employers: each has its own CĐCS; the signing CĐCS represents one of them.
        for employer in employers:
            if employer.cdcs_id is None:
                errors.add(
                    "employers", "«%(employer)s» chưa có công đoàn cơ sở đại diện.", employer=employer.name
                )
        if all(e.cdcs_id != cdcs.pk for e in employers):
            errors.add(
                "employers",
                "«%(unit)s» không đại diện người lao động của đơn vị nào trong thỏa ước.",
                unit=cdcs.name,
            )
        others = OrgUnit.objects.filter(pk__in={e.cdcs_id for e in employers if e.cdcs_id})
        require_writable(actor, *others)


def _check_overlap(
    data: dict[str, Any],
    employers: Sequence[Employer],
    errors: Problems,
    *,
    exclude: Iterable[int],
) -> None:
    """No two agreements of one employer hold on the same day (a renewal supersedes its predecessor)."""
    start, end = data["effective_on"], data["expires_on"]
    for employer in employers:
        clash = (
            CollectiveAgreement.objects.filter(
                employers=employer, effective_on__lte=end, expires_on__gte=start
            )
            .filter(Q(superseded_on__isnull=True) | Q(superseded_on__gt=start))
            .exclude(pk__in=list(exclude))
            .order_by("effective_on")
            .first()
        )
        if clash is not None:
            errors.add(
                "effective_on",
                "«%(employer)s» đã có thỏa ước còn hiệu lực từ %(start)s đến %(end)s (ký ngày %(signed)s); "
                "thỏa ước mới không được trùng thời gian.",
                employer=employer.name,
                start=format_date(clash.effective_on),
                end=format_date(clash.last_day),
                signed=format_date(clash.signed_on),
            )


def _check_predecessor(
    data: dict[str, Any], predecessor: CollectiveAgreement, errors: Problems, *, pk: int | None
) -> None:
    if predecessor.cdcs_id != data["cdcs"].pk:
        errors.add("renewal_of", "Thỏa ước được ký lại, sửa đổi phải của cùng công đoàn cơ sở.")
    successor = predecessor.renewals.exclude(pk=pk).first() if pk else predecessor.renewals.first()
    if successor is not None:
        errors.add(
            "renewal_of",
            "Thỏa ước ký ngày %(day)s đã được ký lại hoặc sửa đổi bằng thỏa ước ký ngày %(next)s.",
            day=format_date(predecessor.signed_on),
            next=format_date(successor.signed_on),
        )
    if data["signed_on"] < predecessor.signed_on or data["effective_on"] <= predecessor.effective_on:
        errors.add(
            "effective_on",
            "Thỏa ước ký lại, sửa đổi phải ký và có hiệu lực sau thỏa ước trước (ký ngày %(day)s, "
            "có hiệu lực từ %(eff)s).",
            day=format_date(predecessor.signed_on),
            eff=format_date(predecessor.effective_on),
        )


def _supersede(predecessor: CollectiveAgreement | None, effective_on: dt.date) -> None:
    """A successor starting before the predecessor expires ends it the day before."""
    if predecessor is None:
        return
    value = effective_on if effective_on <= predecessor.expires_on else None
    if predecessor.superseded_on != value:
        before = predecessor.superseded_on
        predecessor.superseded_on = value
        predecessor.save(update_fields=["superseded_on", "updated_at"])
        records_changed(SOURCE, [predecessor.cdcs_id], [before, value])


# The records' name for ``core.registry.records_changed`` (the kept figures of ``indicators.leaf``).
SOURCE = "agreements"


def _dates(agreement: CollectiveAgreement) -> list[dt.date | None]:
    """Every date that decides in which periods ``agreement`` counts."""
    return [agreement.signed_on, agreement.effective_on, agreement.expires_on, agreement.superseded_on]


def _snapshot(agreement: CollectiveAgreement) -> dict[str, Any]:
    data = snapshot(agreement, AGREEMENT_FIELDS)
    data["renewal_of"] = agreement.renewal_of_id
    data["favourable_clauses"] = list(agreement.favourable_clauses or [])
    data["signed_file"] = agreement.signed_file.name if agreement.signed_file else ""
    if agreement.pk:
        data["employers"] = sorted(e.name for e in agreement.employers.all())
    return data


def _attach_file(agreement: CollectiveAgreement, upload: Any) -> None:
    validate_pdf(upload)
    name = f"thoa-uoc-{agreement.pk}-{agreement.signed_on:%Y%m%d}.pdf"
    agreement.signed_file.save(name, upload, save=False)


# -- writes ------------------------------------------------------------------------------------------


@transaction.atomic
def agreement_create(
    *,
    actor: Any,
    cdcs: OrgUnit,
    employers: Sequence[Employer],
    kind: str,
    signed_on: dt.date,
    expires_on: dt.date,
    approval_share: Decimal | str | float,
    effective_on: dt.date | None = None,
    scope: str = AgreementScope.ENTERPRISE,
    favourable_clauses: Iterable[str] = (),
    grade: str = "",
    number: str = "",
    notes: str = "",
    signed_file: Any = None,
    renewal_of: CollectiveAgreement | None = None,
) -> CollectiveAgreement:
    """Record a signed agreement of ``cdcs`` with ``employers``."""
    errors = Problems()
    data: dict[str, Any] = {
        "cdcs": cdcs,
        "kind": kind,
        "scope": scope,
        "signed_on": signed_on,
        "effective_on": effective_on or signed_on,
        "expires_on": expires_on,
        "approval_share": approval_share,
        "grade": grade or "",
        "renewal_of": renewal_of,
        "number": (number or "").strip(),
        "notes": notes or "",
    }
    require_writable(actor, cdcs)
    # Every problem at once (issue 12): the fields, the parties and the predecessor in one error.
    _check_fields(data, errors)
    data["favourable_clauses"] = _clauses(favourable_clauses, errors)
    if signed_file:
        try:
            validate_pdf(signed_file)
        except ValidationError as exc:
            for message in exc.message_dict["signed_file"]:
                errors.add("signed_file", message)
    employers = list(employers)
    _check_parties(actor, data, employers, errors)
    if renewal_of is not None:
        _check_predecessor(data, renewal_of, errors, pk=None)
    errors.raise_if_any()
    _check_overlap(data, employers, errors, exclude=[renewal_of.pk] if renewal_of else [])
    errors.raise_if_any()

    agreement = CollectiveAgreement(**data)
    agreement.full_clean(exclude=["signed_file"])
    agreement.save()
    agreement.employers.set(employers)
    if signed_file:
        _attach_file(agreement, signed_file)
        agreement.save(update_fields=["signed_file"])
    _supersede(renewal_of, agreement.effective_on)
    records_changed(SOURCE, [agreement.cdcs_id], _dates(agreement))
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=agreement,
        unit=cdcs,
        after=_snapshot(agreement),
    )
    return agreement


@transaction.atomic
def agreement_renew(
    *,
    actor: Any,
    agreement: CollectiveAgreement,
    kind: str,
    signed_on: dt.date,
    expires_on: dt.date,
    approval_share: Decimal | str | float,
    effective_on: dt.date | None = None,
    employers: Sequence[Employer] | None = None,
    favourable_clauses: Iterable[str] | None = None,
    number: str = "",
    notes: str = "",
    signed_file: Any = None,
) -> CollectiveAgreement:
    """Re-sign (``resigned``) or amend (``amended``) ``agreement``: a new agreement in its chain, which
    supersedes it from its effective day."""
    if kind not in (AgreementKind.RESIGNED, AgreementKind.AMENDED):
        raise ValidationError({"kind": ["Chỉ ký lại hoặc sửa đổi, bổ sung một thỏa ước đã có."]})
    return agreement_create(
        actor=actor,
        cdcs=agreement.cdcs,
        employers=list(employers) if employers is not None else list(agreement.employers.all()),
        kind=kind,
        signed_on=signed_on,
        effective_on=effective_on,
        expires_on=expires_on,
        approval_share=approval_share,
        scope=agreement.scope,
        favourable_clauses=(
            favourable_clauses if favourable_clauses is not None else agreement.favourable_clauses
        ),
        number=number,
        notes=notes,
        signed_file=signed_file,
        renewal_of=agreement,
    )


@transaction.atomic
def agreement_update(
    *, actor: Any, agreement: CollectiveAgreement, expected_version: str | None = None, **fields: Any
) -> CollectiveAgreement:
    """Correct an agreement's fields, or grade it (``grade=...``). The same rules as at creation.

    ``expected_version``: the agreement's version when the edit form was shown (``core.concurrency``);
    if someone saved it since, nothing is changed and a ValidationError says when."""
    unknown = set(fields) - UPDATABLE
    if unknown:
        raise ValueError(f"agreement_update cannot change {sorted(unknown)}")
    require_writable(actor, agreement.cdcs)
    agreement = check_version(agreement, expected_version, what="Thỏa ước")
    errors = Problems()
    data: dict[str, Any] = {
        key: getattr(agreement, key) for key in AGREEMENT_FIELDS if key not in ("superseded_on",)
    }
    data.update(
        {k: v for k, v in fields.items() if k not in ("employers", "signed_file", "favourable_clauses")}
    )
    data["grade"] = data.get("grade") or ""
    _check_fields(data, errors)
    if "favourable_clauses" in fields:
        data["favourable_clauses"] = _clauses(fields["favourable_clauses"] or [], errors)
    upload = fields.get("signed_file")
    if upload:
        try:
            validate_pdf(upload)
        except ValidationError as exc:
            for message in exc.message_dict["signed_file"]:
                errors.add("signed_file", message)
    employers = list(fields["employers"]) if "employers" in fields else list(agreement.employers.all())
    _check_parties(actor, data, employers, errors)
    predecessor = agreement.renewal_of
    if predecessor is not None:
        _check_predecessor(data, predecessor, errors, pk=agreement.pk)
    errors.raise_if_any()
    exclude = [agreement.pk] + ([predecessor.pk] if predecessor else [])
    _check_overlap(data, employers, errors, exclude=exclude)
    errors.raise_if_any()

    def store_file(saving: CollectiveAgreement) -> None:
        if upload:
            _attach_file(saving, upload)

    def relate(saved: CollectiveAgreement) -> None:
        if "employers" in fields:
            saved.employers.set(employers)
        _supersede(predecessor, saved.effective_on)

    before_unit, before_dates = agreement.cdcs_id, _dates(agreement)
    model_update(
        actor=actor,
        instance=agreement,
        fields=data,
        snapshot_of=_snapshot,
        unit=agreement.cdcs,
        clean_exclude=["signed_file"],
        before_save=store_file,
        after_save=relate,
    )
    records_changed(SOURCE, [before_unit, agreement.cdcs_id], before_dates + _dates(agreement))
    return agreement


def agreement_grade_suggest(
    agreement: CollectiveAgreement | None = None,
    *,
    favourable_clauses: Iterable[str] | None = None,
    year: int | None = None,
) -> str | None:
    """The best grade whose rule (``GradingRule`` of the signing year, or the latest earlier year with
    rules) the agreement meets by its number of favourable clauses; ``None`` without rules."""
    if agreement is not None:
        favourable_clauses = agreement.favourable_clauses
        year = agreement.signed_on.year
    year = year or timezone.localdate().year
    rules_year = GradingRule.objects.filter(year__lte=year).aggregate(y=Max("year"))["y"]
    if rules_year is None:
        return None
    count = len(set(favourable_clauses or []))
    for rule in GradingRule.objects.filter(year=rules_year).order_by("grade"):
        if count >= rule.min_favourable_clauses:
            return rule.grade
    return None
