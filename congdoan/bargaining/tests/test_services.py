"""Writing agreements: the rules of domain.md §4 and issue 4's bad input, scope, audit, renewals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from congdoan.accounts.scope import OutOfScope
from congdoan.bargaining import services
from congdoan.bargaining.models import CollectiveAgreement, GradingRule
from congdoan.core.models import AuditEntry

from .conftest import agree, signed_pdf

pytestmark = pytest.mark.django_db
d = dt.date
PDF = signed_pdf()


def messages(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(m for ms in exc.value.message_dict.values() for m in ms)


def test_create_records_and_audits(emp) -> None:
    a = agree(
        emp.fed.gl1, [emp.may1], d(2024, 3, 1), actor=emp.fed.kimlien, favourable_clauses=["wages", "wages"]
    )
    assert a.effective_on == d(2024, 3, 1) and a.expires_on == d(2026, 2, 28)
    assert a.favourable_clauses == ["wages"]
    entry = AuditEntry.objects.get(object_type="bargaining.collectiveagreement", object_id=str(a.pk))
    assert entry.action == "create" and entry.actor == emp.fed.kimlien and entry.unit == emp.fed.gl1
    assert entry.after["employers"] == ["Công ty May Gia Lâm"]


@pytest.mark.parametrize(
    ("kw", "field", "text"),
    [
        ({"expires_on": d(2024, 2, 1)}, "expires_on", "phải sau ngày ký 01/03/2024"),
        ({"effective_on": d(2024, 2, 1)}, "effective_on", "trước ngày ký"),
        ({"expires_on": d(2028, 3, 2)}, "expires_on", "từ 1 đến 3 năm"),
        ({"expires_on": d(2024, 12, 31)}, "expires_on", "từ 1 đến 3 năm"),
        (
            {"approval_share": Decimal("0.5")},
            "approval_share",
            "trên 50% người lao động biểu quyết tán thành",
        ),
        ({"approval_share": "abc"}, "approval_share", "trên 50%"),
        ({"signed_on": d(2030, 1, 1), "expires_on": d(2031, 1, 1)}, "signed_on", "ở tương lai"),
        ({"kind": "amended"}, "renewal_of", "phải chỉ rõ thỏa ước được sửa đổi"),
        ({"grade": "E"}, "grade", "A, B, C hoặc D"),
        ({"favourable_clauses": ["bogus"]}, "favourable_clauses", "không có trong danh mục"),
    ],
)
def test_bad_fields_change_nothing(emp, kw, field, text) -> None:
    fields = {"signed_on": d(2024, 3, 1), "expires_on": d(2026, 2, 28), **kw}
    signed = fields.pop("signed_on")
    with pytest.raises(ValidationError) as exc:
        agree(emp.fed.gl1, [emp.may1], signed, **fields)
    assert field in exc.value.message_dict
    assert text in messages(exc)
    assert CollectiveAgreement.objects.count() == 0
    assert not AuditEntry.objects.filter(object_type="bargaining.collectiveagreement").exists()


def test_validity_years_are_settings(emp, settings) -> None:
    settings.BARGAINING_MAX_YEARS = 5
    a = agree(emp.fed.gl1, [emp.may1], d(2021, 3, 1), years=5)
    assert a.expires_on == d(2026, 2, 28)
    settings.BARGAINING_MIN_YEARS = 2
    with pytest.raises(ValidationError, match="từ 2 đến 5 năm"):
        agree(emp.fed.gl1, [emp.may2], d(2021, 3, 1), years=1)


def test_overlap_for_same_employer(emp) -> None:
    agree(emp.fed.gl1, [emp.may1], d(2024, 3, 1))
    with pytest.raises(ValidationError) as exc:
        agree(emp.fed.gl1, [emp.may1], d(2025, 1, 1))
    assert "«Công ty May Gia Lâm» đã có thỏa ước còn hiệu lực từ 01/03/2024 đến 28/02/2026" in messages(exc)
    assert CollectiveAgreement.objects.count() == 1
    # another employer of the same CĐCS, and the next period of the same employer, are fine
    agree(emp.fed.gl1, [emp.may2], d(2025, 1, 1))
    agree(emp.fed.gl1, [emp.may1], d(2026, 3, 1), kind="resigned")
    assert CollectiveAgreement.objects.count() == 3


def test_cdcs_must_be_grassroots(emp) -> None:
    with pytest.raises(ValidationError) as exc:
        agree(emp.fed.kl, [emp.may1], d(2025, 9, 1))
    assert "không phải công đoàn cơ sở" in messages(exc)


def test_cdcs_must_be_alive_when_signing(emp) -> None:
    with pytest.raises(ValidationError, match="không hoạt động vào ngày ký 01/01/2009"):
        agree(emp.fed.gl1, [emp.may1], d(2009, 1, 1))


def test_employer_must_be_represented_by_cdcs(emp) -> None:
    with pytest.raises(ValidationError) as exc:
        agree(emp.fed.gl1, [emp.school], d(2024, 3, 1))
    assert "«Trường THCS Đặng Xá» không do «CĐCS Công ty May Gia Lâm» đại diện người lao động." in messages(
        exc
    )
    with pytest.raises(ValidationError, match="chỉ có một đơn vị"):
        agree(emp.fed.gl1, [emp.may1, emp.may2], d(2024, 3, 1))
    with pytest.raises(ValidationError, match="Chưa chọn đơn vị sử dụng lao động"):
        agree(emp.fed.gl1, [], d(2024, 3, 1))
    assert CollectiveAgreement.objects.count() == 0


def test_multi_employer_agreement(emp) -> None:
    a = agree(emp.fed.gl1, [emp.may1, emp.may2, emp.school], d(2024, 3, 1), scope="multi")
    assert a.employers.count() == 3
    with pytest.raises(ValidationError, match="chưa có công đoàn cơ sở đại diện"):
        agree(emp.fed.gl1, [emp.may3, emp.other], d(2024, 3, 1), scope="multi")
    with pytest.raises(ValidationError, match="hai đơn vị"):
        agree(emp.fed.gl1, [emp.may3], d(2024, 3, 1), scope="multi")


def test_scope(emp) -> None:
    fed = emp.fed
    with pytest.raises(OutOfScope):
        agree(fed.gl2, [emp.school], d(2025, 9, 1), actor=fed.kimlien)
    with pytest.raises(OutOfScope):  # an ended district writes nothing
        agree(fed.gl1, [emp.may1], d(2025, 3, 1), actor=fed.gialam)
    with pytest.raises(OutOfScope):  # viewers read only
        agree(fed.gl1, [emp.may1], d(2025, 3, 1), actor=fed.viewer)
    # a multi-employer agreement reaching a CĐCS outside the actor's subtree
    with pytest.raises(OutOfScope):
        agree(fed.gl1, [emp.may1, emp.school], d(2025, 9, 1), actor=fed.kimlien, scope="multi")
    assert CollectiveAgreement.objects.count() == 0
    agree(fed.gl1, [emp.may1], d(2025, 9, 1), actor=fed.kimlien)
    agree(fed.gl2, [emp.school], d(2025, 9, 1), actor=fed.thanhpho)


def test_renew_supersedes_and_chains(emp) -> None:
    first = agree(emp.fed.gl1, [emp.may1], d(2023, 1, 1), years=3, favourable_clauses=["wages", "osh"])
    second = services.agreement_renew(
        actor=emp.fed.kimlien,
        agreement=first,
        kind="amended",
        signed_on=d(2024, 6, 1),
        expires_on=d(2025, 12, 31),
        approval_share="0.9",
    )
    first.refresh_from_db()
    assert first.superseded_on == d(2024, 6, 1) and first.last_day == d(2024, 5, 31)
    assert second.renewal_of == first and second.favourable_clauses == ["wages", "osh"]
    assert list(second.employers.all()) == [emp.may1]
    assert not first.is_valid_on(d(2024, 6, 1)) and second.is_valid_on(d(2024, 6, 1))
    with pytest.raises(ValidationError, match="đã được ký lại hoặc sửa đổi"):
        services.agreement_renew(
            actor=None,
            agreement=first,
            kind="resigned",
            signed_on=d(2024, 7, 1),
            expires_on=d(2026, 6, 30),
            approval_share="0.9",
        )
    third = services.agreement_renew(
        actor=None,
        agreement=second,
        kind="resigned",
        signed_on=d(2025, 12, 15),
        effective_on=d(2026, 1, 1),
        expires_on=d(2027, 12, 31),
        approval_share="0.7",
    )
    second.refresh_from_db()
    assert second.superseded_on is None  # it ran to its end; the next one starts the day after
    from congdoan.bargaining.selectors import agreement_chain

    assert agreement_chain(second) == [first, second, third]
    with pytest.raises(ValidationError, match="Chỉ ký lại hoặc sửa đổi"):
        services.agreement_renew(
            actor=None,
            agreement=third,
            kind="new",
            signed_on=d(2026, 1, 1),
            expires_on=d(2027, 1, 1),
            approval_share=1,
        )


def test_renewal_cannot_start_before_predecessor(emp) -> None:
    first = agree(emp.fed.gl1, [emp.may1], d(2024, 1, 1))
    with pytest.raises(ValidationError, match="phải ký và có hiệu lực sau thỏa ước trước"):
        services.agreement_renew(
            actor=None,
            agreement=first,
            kind="resigned",
            signed_on=d(2023, 6, 1),
            expires_on=d(2025, 6, 1),
            approval_share="0.9",
        )


def test_update_grades_and_checks(emp) -> None:
    a = agree(emp.fed.gl1, [emp.may1], d(2024, 3, 1))
    b = agree(emp.fed.gl1, [emp.may2], d(2024, 3, 1))
    services.agreement_update(actor=emp.fed.kimlien, agreement=a, grade="A")
    a.refresh_from_db()
    assert a.grade == "A"
    entry = AuditEntry.objects.filter(object_id=str(a.pk), action="update").get()
    assert entry.before == {"grade": ""} and entry.after == {"grade": "A"}
    with pytest.raises(ValidationError, match="đã có thỏa ước còn hiệu lực"):
        services.agreement_update(actor=None, agreement=b, employers=[emp.may1])
    with pytest.raises(ValidationError, match="trên 50%"):
        services.agreement_update(actor=None, agreement=b, approval_share=Decimal("0.2"))
    b.refresh_from_db()
    assert b.approval_share == Decimal("0.8") and list(b.employers.all()) == [emp.may2]
    with pytest.raises(OutOfScope):
        services.agreement_update(actor=emp.fed.gialam, agreement=b, grade="B")
    with pytest.raises(ValueError):
        services.agreement_update(actor=None, agreement=b, cdcs=emp.fed.gl2)


def test_signed_file_pdf_only(emp, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile("thoa-uoc.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError, match="phải là tệp PDF"):
        agree(emp.fed.gl1, [emp.may1], d(2024, 3, 1), signed_file=fake)
    settings.BARGAINING_MAX_FILE_BYTES = 10
    big = SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")
    with pytest.raises(ValidationError, match="Tệp quá lớn"):
        agree(emp.fed.gl1, [emp.may1], d(2024, 3, 1), signed_file=big)
    assert CollectiveAgreement.objects.count() == 0
    settings.BARGAINING_MAX_FILE_BYTES = 1024 * 1024
    a = agree(emp.fed.gl1, [emp.may1], d(2024, 3, 1), signed_file=SimpleUploadedFile("x.exe", PDF))
    assert a.signed_file.name.endswith(".pdf") and a.signed_file.read().startswith(b"%PDF-")
    assert services.validate_pdf(BytesIO(PDF)) is None


POLYGLOT = b"%PDF-1.4\n<html><body><script>fetch('/api/v1/members/')</script></body></html>\n%%EOF\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (POLYGLOT, "có chứa mã HTML hoặc mã lệnh (script)"),
        (b"%PDF-1.7\n<!DOCTYPE html>\n<p>x</p>\n%%EOF", "có chứa mã HTML"),
        (PDF.replace(b"%PDF-1.3", b"%PDF-1.3\n<SCRIPT src=//x.example></SCRIPT>", 1), "mã lệnh (script)"),
        (PDF + b"\n<iframe src=/admin/>", "có chứa mã HTML"),
        (b"%PDF-1.7\n%%EOF\n", "Không đọc được tệp PDF"),
        (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "Không đọc được tệp PDF"),
        (PDF[: len(PDF) // 2], "thiếu phần kết thúc %%EOF"),
        (
            PDF.replace(
                b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>", 1
            ),
            "mã lệnh JavaScript",
        ),
    ],
)
def test_signed_file_must_be_a_real_pdf(emp, settings, tmp_path, content: bytes, message: str) -> None:
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("thoa-uoc.pdf", content, content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        agree(emp.fed.gl1, [emp.may1], d(2024, 3, 1), signed_file=upload)
    assert message in messages(exc)
    assert CollectiveAgreement.objects.count() == 0
    assert not list(tmp_path.rglob("*.pdf"))  # nothing stored


def test_grade_suggestion_from_rules(emp) -> None:
    a = agree(emp.fed.gl1, [emp.may1], d(2024, 3, 1), favourable_clauses=["wages", "bonus", "shift_meal"])
    assert services.agreement_grade_suggest(a) is None  # no criteria configured
    GradingRule.objects.create(year=2023, grade="A", min_favourable_clauses=5)
    GradingRule.objects.create(year=2023, grade="B", min_favourable_clauses=3)
    GradingRule.objects.create(year=2023, grade="C", min_favourable_clauses=1)
    GradingRule.objects.create(year=2023, grade="D", min_favourable_clauses=0)
    assert services.agreement_grade_suggest(a) == "B"  # 2024 uses the 2023 rules
    GradingRule.objects.create(year=2024, grade="A", min_favourable_clauses=3)
    assert services.agreement_grade_suggest(a) == "A"
    assert services.agreement_grade_suggest(favourable_clauses=[], year=2023) == "D"
