"""Services of the emulation app: the happy paths and every "Bad input" line of issue 15."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from congdoan.accounts.scope import OutOfScope
from congdoan.core.models import AuditEntry
from congdoan.emulation import certificates, selectors, services
from congdoan.emulation.models import (
    AwardProposal,
    Ballot,
    ScoreSheet,
    SheetState,
    SheetTemplate,
    VoteReceipt,
)
from congdoan.members.models import Person
from congdoan.org import services as org_services

from .conftest import YEAR, Emu, full_points

d = dt.date
pytestmark = pytest.mark.django_db


def messages(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.messages)


def test_shipped_templates() -> None:
    t = SheetTemplate.objects.get(code="HD1294_CDCS")
    groups = {c.number: c.max_points for c in t.criteria.filter(parent=None)}
    assert groups == {"1": 40, "2": 40, "3": 15, "T": 5}
    assert t.covers(2024) and not t.covers(2018)
    old = SheetTemplate.objects.get(code="TRUOC2019_CDCS")
    assert [g["min"] for g in old.grades] == [85, 70, 50, 0] and old.covers(2018)
    assert t.criteria.filter(indicator_code="DV_KET_NAP").exists()


def self_scored(emu: Emu, unit=None, share: Decimal = Decimal(1)) -> ScoreSheet:  # type: ignore[no-untyped-def]
    unit = unit or emu.bv
    sheet = services.sheet_open(actor=emu.fed.thanhpho, unit=unit, year=YEAR, deadline=d(YEAR, 12, 15))
    return services.sheet_self_score(
        actor=emu.bavi, sheet=sheet, points=full_points(sheet, share), today=d(YEAR, 12, 1)
    )


def test_workflow_self_score_appraise_lock_publish(emu: Emu) -> None:
    sheet = self_scored(emu)
    assert sheet.state == SheetState.SELF_SCORED
    # the computed criteria (no members admitted, no target) give 0 of their 25 points
    assert sheet.self_total == Decimal("75.00")
    points = full_points(sheet, Decimal("0.9"))
    first = next(iter(points))
    sheet = services.sheet_appraise(
        actor=emu.fed.thanhpho,
        sheet=sheet,
        by_unit=emu.fed.hn,
        points=points,
        comments={first: "Thiếu minh chứng"},
    )
    assert sheet.state == SheetState.APPRAISED and sheet.appraised_by == emu.fed.hn
    assert sheet.appraised_total == Decimal("67.50") and sheet.grade == "hoan_thanh"
    assert sheet.lines.get(criterion_id=first).comment == "Thiếu minh chứng"
    sheet = services.sheet_lock(actor=emu.fed.thanhpho, sheet=sheet)
    sheet = services.sheet_publish(actor=emu.fed.thanhpho, sheet=sheet)
    assert sheet.state == SheetState.PUBLISHED and sheet.published_on
    states = AuditEntry.objects.filter(object_type="emulation.scoresheet", object_id=str(sheet.pk)).count()
    assert states == 5  # opened, self-scored, appraised, locked, published
    with pytest.raises(ValidationError) as exc:
        services.sheet_appraise(actor=emu.fed.thanhpho, sheet=sheet, by_unit=emu.fed.hn, points=points)
    assert "chỉ thẩm định bảng điểm đã tự chấm" in messages(exc)


def test_score_above_maximum_changes_nothing(emu: Emu) -> None:
    sheet = services.sheet_open(actor=emu.bavi, unit=emu.bv, year=YEAR, deadline=d(YEAR, 12, 15))
    points = full_points(sheet)
    first = next(iter(points))
    points[first] = Decimal("99")
    with pytest.raises(ValidationError) as exc:
        services.sheet_self_score(actor=emu.bavi, sheet=sheet, points=points, today=d(YEAR, 12, 1))
    assert "vượt quá điểm tối đa" in messages(exc)
    sheet.refresh_from_db()
    assert sheet.state == SheetState.DRAFT and sheet.self_total is None
    assert not sheet.lines.filter(self_points=99).exists()
    points[first] = "mười"
    with pytest.raises(ValidationError) as exc:
        services.sheet_self_score(actor=emu.bavi, sheet=sheet, points=points, today=d(YEAR, 12, 1))
    assert "không phải là số điểm" in messages(exc)


def test_self_scoring_after_the_deadline_is_refused(emu: Emu) -> None:
    sheet = services.sheet_open(actor=emu.bavi, unit=emu.bv, year=YEAR, deadline=d(YEAR, 12, 15))
    with pytest.raises(ValidationError) as exc:
        services.sheet_self_score(
            actor=emu.bavi, sheet=sheet, points=full_points(sheet), today=d(YEAR, 12, 16)
        )
    assert "quá hạn tự chấm điểm (15/12/2025)" in messages(exc)
    sheet.refresh_from_db()
    assert sheet.state == SheetState.DRAFT


def test_appraisal_by_a_unit_that_is_not_the_parent(emu: Emu) -> None:
    sheet = services.sheet_open(actor=emu.bavi, unit=emu.bv1, year=YEAR, deadline=d(YEAR, 12, 15))
    sheet = services.sheet_self_score(
        actor=emu.bv1_user, sheet=sheet, points=full_points(sheet), today=d(YEAR, 12, 1)
    )
    # the city is above Ba Vì's CĐCS, but not its direct upper union
    with pytest.raises(ValidationError) as exc:
        services.sheet_appraise(
            actor=emu.fed.thanhpho, sheet=sheet, by_unit=emu.fed.hn, points=full_points(sheet)
        )
    assert "không phải công đoàn cấp trên trực tiếp" in messages(exc) and "LĐLĐ huyện Ba Vì" in messages(exc)
    # Phúc Thọ acting for itself: not the parent either; for Ba Vì: out of its scope (404)
    with pytest.raises(ValidationError):
        services.sheet_appraise(actor=emu.phuctho, sheet=sheet, by_unit=emu.pt, points=full_points(sheet))
    with pytest.raises(OutOfScope):
        services.sheet_appraise(actor=emu.phuctho, sheet=sheet, by_unit=emu.bv, points=full_points(sheet))
    sheet.refresh_from_db()
    assert sheet.state == SheetState.SELF_SCORED and sheet.appraised_total is None
    sheet = services.sheet_appraise(actor=emu.bavi, sheet=sheet, by_unit=emu.bv, points=full_points(sheet))
    assert sheet.state == SheetState.APPRAISED


def test_a_cdcs_officer_cannot_open_another_units_sheet(emu: Emu) -> None:
    with pytest.raises(OutOfScope):
        services.sheet_open(actor=emu.bv1_user, unit=emu.pt1, year=YEAR)
    with pytest.raises(ValidationError) as exc:
        services.sheet_open(actor=emu.fed.thanhpho, unit=emu.fed.kl, year=YEAR)
    assert "Chưa có mẫu bảng điểm" in messages(exc)


def test_grading_rule_no_group_below_half(emu: Emu) -> None:
    sheet = services.sheet_open(actor=emu.bavi, unit=emu.bv1, year=YEAR, deadline=d(YEAR, 12, 15))
    sheet = services.sheet_self_score(
        actor=emu.bv1_user, sheet=sheet, points=full_points(sheet), today=d(YEAR, 12, 1)
    )
    points = full_points(sheet)
    # full points but the computed 2.1 (10) gives 0: total 90 → "xuất sắc" needs every group at 50%
    sheet = services.sheet_appraise(actor=emu.bavi, sheet=sheet, by_unit=emu.bv, points=points)
    assert sheet.appraised_total == Decimal("90.00") and sheet.grade == "xuat_sac"
    # group 3 (15 points) at 7: total 82 → "tốt"
    for line in sheet.lines.select_related("criterion"):
        if line.criterion.number.startswith("3."):
            points[line.criterion_id] = Decimal("3.5")
    sheet = services.sheet_appraise(actor=emu.bavi, sheet=sheet, by_unit=emu.bv, points=points)
    assert sheet.appraised_total == Decimal("82.00") and sheet.grade == "tot"
    # the pre-2019 scheme: 89 points but standard II at 9 of 20 (< 50%): "Khá", not "Vững mạnh"
    old = services.sheet_open(actor=emu.bavi, unit=emu.bv1, year=2018, deadline=d(2018, 12, 15))
    assert old.template.code == "TRUOC2019_CDCS"
    points = full_points(old)
    for line in old.lines.select_related("criterion"):
        if line.criterion.number == "II.1":
            points[line.criterion_id] = Decimal(9)
    old = services.sheet_self_score(actor=emu.bv1_user, sheet=old, points=points, today=d(2018, 12, 1))
    old = services.sheet_appraise(actor=emu.bavi, sheet=old, by_unit=emu.bv, points=points)
    assert old.appraised_total == Decimal("89.00") and old.grade == "kha"
    points = full_points(old)
    old = services.sheet_appraise(actor=emu.bavi, sheet=old, by_unit=emu.bv, points=points)
    assert old.grade == "vung_manh"


def test_batch_grading_counts(emu: Emu) -> None:
    for unit, user in ((emu.bv1, emu.bv1_user),):
        sheet = services.sheet_open(actor=None, unit=unit, year=YEAR, deadline=d(YEAR, 12, 15))
        sheet = services.sheet_self_score(
            actor=user, sheet=sheet, points=full_points(sheet), today=d(YEAR, 12, 1)
        )
        services.sheet_appraise(actor=emu.bavi, sheet=sheet, by_unit=emu.bv, points=full_points(sheet))
    assert services.sheets_grade(actor=emu.fed.thanhpho, root=emu.fed.hn, year=YEAR) == {"xuat_sac": 1}
    rows, total = selectors.grade_counts(user=emu.fed.thanhpho, year=YEAR)
    assert total == 1 and rows[0].label == "Hoàn thành xuất sắc nhiệm vụ" and rows[0].share == 1


# -- the vote --------------------------------------------------------------------------------------


def open_vote(emu: Emu):  # type: ignore[no-untyped-def]
    now = timezone.now()
    return services.vote_open(
        actor=emu.fed.thanhpho,
        cluster=emu.cluster,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(hours=1),
    )


def test_vote_secret_once_per_unit_and_closes(emu: Emu) -> None:
    vote = open_vote(emu)
    services.ballot_cast(actor=emu.bavi, vote=vote, voter=emu.bv, choice=emu.pt)
    assert VoteReceipt.objects.filter(vote=vote, voter=emu.bv).exists()
    assert Ballot.objects.filter(vote=vote).count() == 1
    assert not any(f.name == "voter" for f in Ballot._meta.fields)  # how is never linked to who
    entry = AuditEntry.objects.filter(object_type="emulation.votereceipt").get()
    assert "PT" not in str(entry.after) and str(emu.pt.pk) not in str(entry.after.get("choice", ""))
    with pytest.raises(ValidationError) as exc:
        services.ballot_cast(actor=emu.bavi, vote=vote, voter=emu.bv, choice=emu.fed.kl)
    assert "đã bỏ phiếu" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.ballot_cast(actor=emu.phuctho, vote=vote, voter=emu.pt, choice=emu.pt)
    assert "tự suy tôn" in messages(exc)
    late = vote.closes_at + dt.timedelta(seconds=1)
    with pytest.raises(ValidationError) as exc:
        services.ballot_cast(actor=emu.phuctho, vote=vote, voter=emu.pt, choice=emu.bv, now=late)
    assert "đã kết thúc" in messages(exc)
    assert Ballot.objects.filter(vote=vote).count() == 1 and VoteReceipt.objects.count() == 1
    with pytest.raises(ValidationError) as exc:
        services.vote_close(actor=emu.fed.thanhpho, vote=vote)
    assert "Chưa hết thời gian bỏ phiếu" in messages(exc)
    vote = services.vote_close(actor=emu.fed.thanhpho, vote=vote, now=late)
    assert vote.state == "closed" and vote.next_leader == emu.pt


def test_ranking_combines_scores_and_votes_ties_by_score(emu: Emu) -> None:
    for unit, share in ((emu.bv, Decimal("0.6")), (emu.pt, Decimal("1"))):
        sheet = services.sheet_open(actor=None, unit=unit, year=YEAR, deadline=d(YEAR, 12, 15))
        sheet = services.sheet_self_score(
            actor=None, sheet=sheet, points=full_points(sheet, share), today=d(YEAR, 12, 1)
        )
        services.sheet_appraise(actor=None, sheet=sheet, by_unit=emu.fed.hn, points=full_points(sheet, share))
    vote = open_vote(emu)
    services.ballot_cast(actor=None, vote=vote, voter=emu.bv, choice=emu.fed.kl)
    services.ballot_cast(actor=None, vote=vote, voter=emu.fed.kl, choice=emu.bv)
    rows = selectors.vote_tally_rows(vote)
    # Ba Vì and Kim Liên tie with one vote each: Ba Vì's score (45) breaks the tie; Kim Liên has none
    assert [(u.code, n) for u, n, _ in rows] == [("BV", 1), ("KL", 1), ("PT", 0)]
    ranking = selectors.cluster_ranking(emu.cluster)
    # PT: 75 × 0.5 + 0 = 37.5; BV: 45 × 0.5 + 50 × 0.5 = 47.5; KL: 0 + 25 = 25
    assert [(s.unit.code, s.combined) for s in ranking] == [
        ("BV", Decimal("47.50")),
        ("PT", Decimal("37.50")),
        ("KL", Decimal("25.00")),
    ]
    vote = services.vote_close(actor=None, vote=vote, now=vote.closes_at)
    assert (vote.next_leader, vote.next_deputy) == (emu.bv, emu.pt)


def test_history_of_a_2024_cluster_keeps_its_ended_members(emu: Emu) -> None:
    fed = emu.fed
    old = org_services.cluster_create(
        actor=None,
        name="Cụm thi đua số 3",
        year=2024,
        organiser=fed.hn,
        members=[fed.gl, fed.dd],
        leader=fed.gl,
    )
    ranking = selectors.cluster_ranking(old)
    assert {s.unit.code for s in ranking} == {"GL", "DD"}  # ended in 2025, still the 2024 cluster
    assert selectors.cluster_get(user=fed.gialam, pk=old.pk) == old


# -- awards ----------------------------------------------------------------------------------------


def person(name: str = "Nguyễn Văn Giỏi") -> Person:
    return Person.objects.create(full_name=name, gender="M")


def test_award_excluded_by_the_rules(emu: Emu, settings) -> None:  # type: ignore[no-untyped-def]
    p = person()
    with pytest.raises(ValidationError) as exc:
        services.proposal_create(
            actor=emu.bavi,
            unit=emu.bv1,
            year=YEAR,
            form="lao_dong_gioi",
            level="upper",
            person=p,
            absent_days=45,
            months_employed=8,
            disciplined=True,
        )
    text = messages(exc)
    assert (
        "nghỉ 45 ngày" in text
        and "8 tháng" in text
        and "bị kỷ luật" in text
        and "không đăng ký thi đua" in text
    )
    assert not AwardProposal.objects.exists()
    services.registration_create(actor=emu.bavi, unit=emu.bv1, year=YEAR, title="Lao động giỏi", person=p)
    settings.EMULATION_AWARD_RULES = {"max_absent_days": 60}  # configurable
    proposal = services.proposal_create(
        actor=emu.bavi,
        unit=emu.bv1,
        year=YEAR,
        form="lao_dong_gioi",
        level="upper",
        person=p,
        absent_days=45,
        achievement="Hoàn thành xuất sắc nhiệm vụ",
    )
    decision = services.decision_create(
        actor=emu.bavi, issuer=emu.bv, number="15/QĐ-LĐLĐ", signed_on=d(2026, 1, 10), proposals=[proposal]
    )
    proposal.refresh_from_db()
    assert (
        proposal.state == "awarded"
        and proposal.decision == decision
        and proposal.awarded_on == d(2026, 1, 10)
    )
    with pytest.raises(ValidationError) as exc:
        services.decision_create(
            actor=emu.bavi, issuer=emu.bv, number="15/QĐ-LĐLĐ", signed_on=d(2026, 1, 10), proposals=[proposal]
        )
    assert "đã được dùng" in messages(exc) and "đã được xử lý" in messages(exc)


def test_certificate_docx_and_template_check(emu: Emu) -> None:
    import io

    from docx import Document

    services.registration_create(actor=None, unit=emu.bv1, year=YEAR, title="Tập thể lao động xuất sắc")
    proposal = services.proposal_create(actor=None, unit=emu.bv1, year=YEAR, form="giay_khen", level="upper")
    services.decision_create(
        actor=None,
        issuer=emu.bv,
        number="20/QĐ",
        signed_on=d(2026, 1, 5),
        proposals=[proposal],
        signer="Lê Văn Ký",
    )
    proposal.refresh_from_db()
    data = certificates.render(proposal)
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert (
        "GIẤY KHEN" in text and "CĐCS Trường THPT Ba Vì" in text and "20/QĐ" in text and "05/01/2026" in text
    )
    # a template with an unknown variable is refused, naming it; nothing stored
    bad = certificates.default_template().replace(b"{{ nam }}", b"{{ nam_sinh }}")
    bad = _docx_with("{{ nguoi_nhan }} {{ chuc_danh_la }}")
    with pytest.raises(ValidationError) as exc:
        services.certificate_template_upload(
            actor=emu.bavi, owner=emu.bv, name="Mẫu", data=bad, filename="mau.docx"
        )
    assert "«chuc_danh_la»" in messages(exc) and "biến không có trong danh sách" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.certificate_template_upload(
            actor=emu.bavi, owner=emu.bv, name="Mẫu", data=b"xx", filename="mau.pdf"
        )
    assert ".docx" in messages(exc)
    own = services.certificate_template_upload(
        actor=emu.bavi,
        owner=emu.bv,
        name="Mẫu Ba Vì",
        data=_docx_with("BA VÌ TẶNG {{ nguoi_nhan }}"),
        filename="mau.docx",
    )
    assert own.pk
    text = "\n".join(p.text for p in Document(io.BytesIO(certificates.render(proposal))).paragraphs)
    assert "BA VÌ TẶNG CĐCS Trường THPT Ba Vì" in text


def _docx_with(text: str) -> bytes:
    import io

    from docx import Document

    doc = Document()
    doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_initiatives_and_pacts(emu: Emu) -> None:
    item = services.initiative_create(
        actor=emu.bv1_user, unit=emu.bv1, title="Cải tiến dây chuyền", submitted_on=d(YEAR, 3, 1)
    )
    item = services.initiative_recognise(actor=emu.bavi, initiative=item, recognised=True, on=d(YEAR, 6, 1))
    assert item.status == "recognised"
    with pytest.raises(ValidationError) as exc:
        services.initiative_recognise(actor=emu.bavi, initiative=item, recognised=False)
    assert "Không thể không công nhận" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.initiative_create(actor=emu.bv1_user, unit=emu.bv1, title=" ", submitted_on=d(2099, 1, 1))
    assert "không được để trống" in messages(exc) and "ở tương lai" in messages(exc)
    pact = services.pact_create(
        actor=emu.fed.thanhpho,
        cluster=emu.cluster,
        signed_on=d(YEAR, 2, 1),
        title="Giao ước thi đua 2025",
        commitments="Phát triển 1.000 đoàn viên",
    )
    assert list(selectors.pacts_of(emu.cluster)) == [pact]
    with pytest.raises(OutOfScope):
        services.pact_create(
            actor=emu.bavi, cluster=emu.cluster, signed_on=d(YEAR, 2, 1), title="x", commitments="y"
        )
