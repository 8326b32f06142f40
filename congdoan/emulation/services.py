"""Every write of the emulation app: checked first (every problem collected in ``Problems`` and raised
together, nothing written), then written in one transaction, audited and scoped by ``actor``.

Configuration (settings):
- ``EMULATION_SELF_SCORE_DEADLINE`` = ``(12, 15)``: month and day of the year's self-scoring deadline
  given to a new sheet (the sheet keeps its own date, which the upper union may set);
- ``EMULATION_AWARD_RULES``: the exclusions of a proposal (domain.md §8): ``max_absent_days`` (40: that
  many days absent or more excludes), ``min_months_employed`` (10), ``disciplined`` (True: a
  disciplined person is excluded), ``registered`` (True: only who registered for the year).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from congdoan.accounts.permissions import require_writable
from congdoan.core.audit import audit_log, snapshot
from congdoan.core.formatting import format_date
from congdoan.core.models import AuditEntry
from congdoan.core.services import Problems, state_step
from congdoan.members.models import Person
from congdoan.org import tree
from congdoan.org.models import ClusterMember, EmulationCluster, OrgUnit

from . import figures, scoring
from .models import (
    AwardDecision,
    AwardForm,
    AwardLevel,
    AwardProposal,
    Ballot,
    CertificateTemplate,
    Criterion,
    Initiative,
    InitiativeKind,
    Movement,
    Pact,
    ProposalState,
    Recognition,
    Registration,
    ScoreLine,
    ScoreSheet,
    SheetState,
    SheetTemplate,
    Vote,
    VoteReceipt,
    VoteState,
)

CREATE = AuditEntry.Action.CREATE


def _today() -> dt.date:
    return timezone.localdate()


# -- movements, registrations, initiatives ---------------------------------------------------------


@transaction.atomic
def movement_create(
    *, actor: Any, owner: OrgUnit, name: str, starts_on: dt.date, ends_on: dt.date, description: str = ""
) -> Movement:
    require_writable(actor, owner)
    problems = Problems()
    if not name.strip():
        problems.add("name", "Tên phong trào không được để trống.")
    if ends_on < starts_on:
        problems.add(
            "ends_on",
            "Ngày kết thúc %(end)s trước ngày bắt đầu %(start)s.",
            end=format_date(ends_on),
            start=format_date(starts_on),
        )
    problems.raise_if_any()
    movement = Movement.objects.create(
        owner=owner, name=name.strip(), starts_on=starts_on, ends_on=ends_on, description=description
    )
    audit_log(
        actor=actor,
        action=CREATE,
        obj=movement,
        unit=owner,
        after=snapshot(movement, ["name", "starts_on", "ends_on"]),
    )
    return movement


@transaction.atomic
def registration_create(
    *,
    actor: Any,
    unit: OrgUnit,
    year: int,
    title: str,
    person: Person | None = None,
    movement: Movement | None = None,
    goals: str = "",
    registered_on: dt.date | None = None,
) -> Registration:
    require_writable(actor, unit)
    problems = Problems()
    if not title.strip():
        problems.add("title", "Danh hiệu đăng ký không được để trống.")
    dup = Registration.objects.filter(unit=unit, year=year, person=person, title=title.strip())
    if title.strip() and dup.exists():
        problems.add(
            "title",
            "«%(who)s» đã đăng ký «%(title)s» năm %(year)s.",
            who=person.full_name if person else unit.name,
            title=title.strip(),
            year=year,
        )
    problems.raise_if_any()
    reg = Registration.objects.create(
        unit=unit,
        year=year,
        title=title.strip(),
        person=person,
        movement=movement,
        goals=goals,
        registered_on=registered_on or _today(),
    )
    audit_log(
        actor=actor, action=CREATE, obj=reg, unit=unit, after=snapshot(reg, ["year", "title", "person"])
    )
    return reg


@transaction.atomic
def initiative_create(
    *,
    actor: Any,
    unit: OrgUnit,
    title: str,
    submitted_on: dt.date,
    kind: str = InitiativeKind.INITIATIVE,
    person: Person | None = None,
    movement: Movement | None = None,
    benefit: int = 0,
) -> Initiative:
    require_writable(actor, unit)
    problems = Problems()
    if not title.strip():
        problems.add("title", "Tên sáng kiến, công trình không được để trống.")
    if kind not in InitiativeKind.values:
        problems.add("kind", "Loại sáng kiến, công trình không hợp lệ.")
    if submitted_on > _today():
        problems.add("submitted_on", "Ngày đăng ký %(day)s ở tương lai.", day=format_date(submitted_on))
    if benefit < 0:
        problems.add("benefit", "Giá trị làm lợi không được âm.")
    problems.raise_if_any()
    item = Initiative.objects.create(
        unit=unit,
        title=title.strip(),
        submitted_on=submitted_on,
        kind=kind,
        person=person,
        movement=movement,
        benefit=benefit,
    )
    audit_log(
        actor=actor,
        action=CREATE,
        obj=item,
        unit=unit,
        after=snapshot(item, ["title", "kind", "submitted_on"]),
    )
    return item


@transaction.atomic
def initiative_recognise(
    *, actor: Any, initiative: Initiative, recognised: bool, on: dt.date | None = None
) -> Initiative:
    require_writable(actor, initiative.unit)
    day = on or _today()
    if day < initiative.submitted_on:
        problems = Problems()
        problems.add("recognised_on", "Ngày công nhận %(day)s trước ngày đăng ký.", day=format_date(day))
        problems.raise_if_any()
    return state_step(
        actor=actor,
        instance=initiative,
        allowed=[Recognition.SUBMITTED],
        to=Recognition.RECOGNISED if recognised else Recognition.REJECTED,
        action="công nhận" if recognised else "không công nhận",
        unit=initiative.unit,
        dates={"recognised_on": day},
        state_field="status",
    )


# -- clusters: pacts ---------------------------------------------------------------------------------


@transaction.atomic
def pact_create(
    *, actor: Any, cluster: EmulationCluster, signed_on: dt.date, title: str, commitments: str
) -> Pact:
    require_writable(actor, cluster.organiser)
    problems = Problems()
    if not title.strip():
        problems.add("title", "Tên giao ước không được để trống.")
    if not commitments.strip():
        problems.add("commitments", "Nội dung cam kết không được để trống.")
    if signed_on.year not in (cluster.year, cluster.year - 1):
        problems.add(
            "signed_on",
            "Giao ước của cụm năm %(year)s phải ký trong năm %(year)s hoặc cuối năm trước.",
            year=cluster.year,
        )
    problems.raise_if_any()
    pact = Pact.objects.create(
        cluster=cluster, signed_on=signed_on, title=title.strip(), commitments=commitments
    )
    audit_log(
        actor=actor,
        action=CREATE,
        obj=pact,
        unit=cluster.organiser,
        after=snapshot(pact, ["title", "signed_on"]),
    )
    return pact


# -- score sheets ----------------------------------------------------------------------------------


def scored_as(unit: OrgUnit) -> str:
    """The unit type whose templates score ``unit`` (a nghiệp đoàn is scored as a CĐCS)."""
    return "CDCS" if unit.is_grassroots else unit.type


def template_for(unit: OrgUnit, year: int) -> SheetTemplate | None:
    for template in SheetTemplate.objects.filter(unit_type=scored_as(unit)).order_by("-year_from"):
        if template.covers(year):
            return template
    return None


def default_deadline(year: int) -> dt.date:
    month, day = getattr(settings, "EMULATION_SELF_SCORE_DEADLINE", (12, 15))
    return dt.date(year, month, day)


def reference_day(unit: OrgUnit, year: int) -> dt.date:
    """The day the sheet's unit is placed in the tree: the year's last day, or the unit's last day."""
    end = dt.date(year, 12, 31)
    return min(end, unit.last_day) if unit.last_day else end


def parent_of(unit: OrgUnit, year: int) -> OrgUnit | None:
    ids = tree.ancestor_ids(unit.pk, reference_day(unit, year))
    return OrgUnit.objects.filter(pk=ids[0]).first() if ids else None


def leaves(template: SheetTemplate) -> list[Criterion]:
    nodes = list(template.criteria.all())
    parents = {n.parent_id for n in nodes if n.parent_id}
    return [n for n in nodes if n.pk not in parents]


@transaction.atomic
def sheet_open(
    *,
    actor: Any,
    unit: OrgUnit,
    year: int,
    deadline: dt.date | None = None,
    template: SheetTemplate | None = None,
) -> ScoreSheet:
    """The unit's sheet for ``year``: one line per leaf criterion, computed ones filled from the figures."""
    require_writable(actor, unit)
    problems = Problems()
    template = template or template_for(unit, year)
    if template is None:
        problems.add(
            "template",
            "Chưa có mẫu bảng điểm cho «%(type)s» năm %(year)s.",
            type=unit.get_type_display(),
            year=year,
        )
    elif not template.covers(year) or template.unit_type != scored_as(unit):
        problems.add(
            "template",
            "Mẫu «%(t)s» không áp dụng cho «%(unit)s» năm %(year)s.",
            t=template.name,
            unit=unit.name,
            year=year,
        )
    if ScoreSheet.objects.filter(unit=unit, year=year).exists():
        problems.add("year", "«%(unit)s» đã có bảng điểm năm %(year)s.", unit=unit.name, year=year)
    problems.raise_if_any()
    assert template is not None
    sheet = ScoreSheet.objects.create(
        template=template, unit=unit, year=year, deadline=deadline or default_deadline(year)
    )
    ScoreLine.objects.bulk_create(ScoreLine(sheet=sheet, criterion=c) for c in leaves(template))
    _fill_computed([sheet])
    audit_log(
        actor=actor, action=CREATE, obj=sheet, unit=unit, after={"year": year, "template": template.code}
    )
    return sheet


def _fill_computed(sheets: list[ScoreSheet], known: Mapping[tuple[str, int], Any] | None = None) -> None:
    """Set the figure and the points (own and appraised) of every computed line of ``sheets``."""
    lines = list(
        ScoreLine.objects.filter(sheet__in=sheets, criterion__indicator_code__gt="").select_related(
            "criterion", "sheet__unit"
        )
    )
    if not lines:
        return
    found = dict(known or {})
    changed = []
    for line in lines:
        key = (line.criterion.indicator_code, line.sheet.unit_id)
        if key not in found:
            found[key] = figures.figure_of(line.criterion.indicator_code, line.sheet.unit, line.sheet.year)
        value, achievement = found[key] if found[key] is not None else (None, None)
        c = line.criterion
        x = scoring.basis_value(value, achievement, c.basis)
        points = scoring.computed_points(c.max_points, c.low, c.high, x)
        if (line.figure, line.self_points, line.appraised_points) != (x, points, points):
            line.figure = x
            line.self_points = line.appraised_points = points
            changed.append(line)
    if changed:  # a sheet scored again keeps its figures: nothing to write
        ScoreLine.objects.bulk_update(changed, ["figure", "self_points", "appraised_points"])


def _parse_points(raw: Any) -> Decimal | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, Decimal):
        return raw
    try:
        return Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        raise ValueError(raw) from None


def check_point(c: Criterion, raw: Any) -> tuple[Decimal | None, str]:
    """One entered point of ``c`` parsed and checked (a number within [0, max], two decimals at most):
    ``(value, "")``, ``(None, "")`` when nothing was entered, or ``(None, the Vietnamese reason)``.
    The pages and the import (``sheet_import``) check points with it."""
    try:
        value = _parse_points(raw)
    except ValueError:
        return None, f"Tiêu chí {c.number}: «{raw}» không phải là số điểm."
    if value is None:
        return None, ""
    if value < 0:
        return None, f"Tiêu chí {c.number}: điểm không được âm."
    if value > c.max_points:
        return None, f"Tiêu chí {c.number}: {_fmt(value)} điểm vượt quá điểm tối đa {_fmt(c.max_points)}."
    if value != scoring.q2(value):
        return None, f"Tiêu chí {c.number}: điểm chỉ có tối đa hai chữ số thập phân."
    return value, ""


def _check_points(
    problems: Problems, lines: list[ScoreLine], points: Mapping[int, Any], *, required: bool
) -> dict[int, Decimal | None]:
    """Parse and check the entered points by criterion id: within [0, max], present when required."""
    out: dict[int, Decimal | None] = {}
    for line in lines:
        c = line.criterion
        if c.computed:
            continue
        field = f"c{c.pk}"
        value, problem = check_point(c, points.get(c.pk))
        if problem:
            problems.add(field, problem)
        elif value is None and required:
            problems.add(field, "Tiêu chí %(n)s: chưa có điểm.", n=c.number)
        out[c.pk] = value
    return out


def _fmt(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def sheet_lines(sheet: ScoreSheet) -> list[ScoreLine]:
    return list(sheet.lines.select_related("criterion").order_by("criterion__order", "criterion_id"))


def sheet_result(
    sheet: ScoreSheet, lines: list[ScoreLine], which: str, criteria: list[Criterion] | None = None
) -> tuple[Decimal, str]:
    """Total and grade of a sheet from its lines' ``self_points`` or ``appraised_points``."""
    nodes = criteria if criteria is not None else list(sheet.template.criteria.all())
    groups = [c for c in nodes if c.parent_id is None]
    by_group: dict[int, list[Decimal | None]] = {g.pk: [] for g in groups}
    for line in lines:
        by_group.setdefault(line.criterion.parent_id or line.criterion_id, []).append(getattr(line, which))
    scores = scoring.group_scores((g.number, g.max_points, g.bonus, by_group[g.pk]) for g in groups)
    total = scoring.total(scores)
    t = sheet.template
    return total, scoring.grade_for(total, scores, t.grades, t.group_min_share)


@transaction.atomic
def sheet_self_score(
    *,
    actor: Any,
    sheet: ScoreSheet,
    points: Mapping[int, Any],
    evidence: Mapping[int, str] | None = None,
    today: dt.date | None = None,
    known: Mapping[tuple[str, int], Any] | None = None,
) -> ScoreSheet:
    """The unit scores itself (until the deadline; again while not yet appraised). ``known``: the
    indicator figures by (code, unit id) when the caller read them for many sheets at once
    (``figures.figures_under``); the others are read here."""
    require_writable(actor, sheet.unit)
    sheet = ScoreSheet.objects.select_for_update().select_related("template", "unit").get(pk=sheet.pk)
    day = today or _today()
    problems = Problems()
    if day > sheet.deadline:
        problems.add(
            "__all__",
            "Đã quá hạn tự chấm điểm (%(d)s); không thể tự chấm bảng điểm năm %(y)s.",
            d=format_date(sheet.deadline),
            y=sheet.year,
        )
    lines = sheet_lines(sheet)
    values = _check_points(problems, lines, points, required=True)
    if sheet.state not in (SheetState.DRAFT, SheetState.SELF_SCORED):
        problems.add(
            "state",
            "Bảng điểm đang ở trạng thái «%(s)s»: không thể tự chấm lại.",
            s=sheet.get_state_display(),
        )
    problems.raise_if_any()
    _fill_computed([sheet], known)
    lines = sheet_lines(sheet)
    for line in lines:
        if line.criterion_id in values:
            line.self_points = values[line.criterion_id]
        if evidence and line.criterion_id in evidence:
            line.evidence = evidence[line.criterion_id]
    ScoreLine.objects.bulk_update(lines, ["self_points", "evidence"])
    total, _ = sheet_result(sheet, lines, "self_points")
    return state_step(
        actor=actor,
        instance=sheet,
        allowed=[SheetState.DRAFT, SheetState.SELF_SCORED],
        to=SheetState.SELF_SCORED,
        action="tự chấm điểm",
        unit=sheet.unit,
        dates={"self_scored_on": day},
        fields={"self_total": total},
    )


@transaction.atomic
def sheet_appraise(
    *,
    actor: Any,
    sheet: ScoreSheet,
    by_unit: OrgUnit,
    points: Mapping[int, Any],
    comments: Mapping[int, str] | None = None,
    today: dt.date | None = None,
    known: Mapping[tuple[str, int], Any] | None = None,
) -> ScoreSheet:
    """The direct upper union appraises the self-scored sheet (again while not locked), with comments
    per criterion; the appraised total gives the grade (``known``: as for ``sheet_self_score``)."""
    require_writable(actor, by_unit)
    sheet = ScoreSheet.objects.select_for_update().select_related("template", "unit").get(pk=sheet.pk)
    problems = Problems()
    parent = parent_of(sheet.unit, sheet.year)
    if parent is None or parent.pk != by_unit.pk:
        problems.add(
            "__all__",
            "«%(by)s» không phải công đoàn cấp trên trực tiếp của «%(unit)s»: "
            "chỉ %(parent)s được thẩm định bảng điểm này.",
            by=by_unit.name,
            unit=sheet.unit.name,
            parent=f"«{parent.name}»" if parent else "cấp trên trực tiếp",
        )
    if sheet.state not in (SheetState.SELF_SCORED, SheetState.APPRAISED):
        problems.add(
            "state",
            "Bảng điểm đang ở trạng thái «%(s)s»: chỉ thẩm định bảng điểm đã tự chấm.",
            s=sheet.get_state_display(),
        )
    lines = sheet_lines(sheet)
    values = _check_points(problems, lines, points, required=True)
    problems.raise_if_any()
    _fill_computed([sheet], known)
    lines = sheet_lines(sheet)
    for line in lines:
        if line.criterion_id in values:
            line.appraised_points = values[line.criterion_id]
        if comments and line.criterion_id in comments:
            line.comment = comments[line.criterion_id]
    ScoreLine.objects.bulk_update(lines, ["appraised_points", "comment"])
    total, grade = sheet_result(sheet, lines, "appraised_points")
    return state_step(
        actor=actor,
        instance=sheet,
        allowed=[SheetState.SELF_SCORED, SheetState.APPRAISED],
        to=SheetState.APPRAISED,
        action="thẩm định",
        unit=sheet.unit,
        dates={"appraised_on": today or _today()},
        fields={"appraised_total": total, "grade": grade, "appraised_by": by_unit},
    )


def _upper_step(
    actor: Any, sheet: ScoreSheet, allowed: list[str], to: str, action: str, date_field: str
) -> ScoreSheet:
    parent = parent_of(sheet.unit, sheet.year)
    require_writable(actor, parent or sheet.unit)
    if actor is not None and parent is None:
        require_writable(actor, sheet.unit)
    sheet = ScoreSheet.objects.select_for_update().select_related("template", "unit").get(pk=sheet.pk)
    return state_step(
        actor=actor,
        instance=sheet,
        allowed=allowed,
        to=to,
        action=action,
        unit=sheet.unit,
        dates={date_field: _today()},
    )


@transaction.atomic
def sheet_lock(*, actor: Any, sheet: ScoreSheet) -> ScoreSheet:
    return _upper_step(actor, sheet, [SheetState.APPRAISED], SheetState.LOCKED, "khóa", "locked_on")


@transaction.atomic
def sheet_publish(*, actor: Any, sheet: ScoreSheet) -> ScoreSheet:
    return _upper_step(actor, sheet, [SheetState.LOCKED], SheetState.PUBLISHED, "công bố", "published_on")


def sheets_grade(*, actor: Any, root: OrgUnit, year: int) -> dict[str, int]:
    """Grade again every appraised (not yet locked) sheet of ``year`` under ``root``: computed criteria
    read from one roll-up of the indicators over the whole tree, totals and grades from the points.
    Returns the count per grade."""
    require_writable(actor, root)
    day = dt.date(year, 12, 31)
    sheets = list(
        ScoreSheet.objects.filter(
            year=year, state=SheetState.APPRAISED, unit_id__in=tree.in_subtree([root.pk], day)
        ).select_related("template", "unit")
    )
    known = figures.figures_under(
        root, year, {c.indicator_code for s in sheets for c in _computed(s.template)}
    )
    counts: dict[str, int] = {}
    with transaction.atomic():
        for start in range(0, len(sheets), 500):
            _fill_computed(sheets[start : start + 500], known)
        lines_by_sheet: dict[int, list[ScoreLine]] = {}
        for line in (
            ScoreLine.objects.filter(sheet__in=[s.pk for s in sheets]).select_related("criterion").order_by()
        ):
            lines_by_sheet.setdefault(line.sheet_id, []).append(line)
        groups_cache: dict[int, list[Criterion]] = {}
        for sheet in sheets:
            if sheet.template_id not in groups_cache:
                groups_cache[sheet.template_id] = list(sheet.template.criteria.all())
            criteria = groups_cache[sheet.template_id]
            total, grade = sheet_result(sheet, lines_by_sheet.get(sheet.pk, []), "appraised_points", criteria)
            sheet.appraised_total, sheet.grade = total, grade
            counts[grade] = counts.get(grade, 0) + 1
        ScoreSheet.objects.bulk_update(sheets, ["appraised_total", "grade"], batch_size=500)
        audit_log(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            object_type="emulation.scoresheet",
            object_repr=f"Xếp loại năm {year}",
            unit=root,
            after={"year": year, "graded": len(sheets)},
        )
    return counts


def _computed(template: SheetTemplate) -> list[Criterion]:
    return [c for c in template.criteria.all() if c.computed]


# -- the peer vote ---------------------------------------------------------------------------------


def _member_ids(cluster: EmulationCluster) -> set[int]:
    return set(ClusterMember.objects.filter(cluster=cluster).values_list("unit_id", flat=True))


@transaction.atomic
def vote_open(
    *,
    actor: Any,
    cluster: EmulationCluster,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    vote_weight: Decimal = Decimal("0.50"),
) -> Vote:
    require_writable(actor, cluster.organiser)
    problems = Problems()
    if closes_at <= opens_at:
        problems.add("closes_at", "Thời điểm kết thúc phải sau thời điểm bắt đầu bỏ phiếu.")
    if not Decimal(0) <= vote_weight <= Decimal(1):
        problems.add("vote_weight", "Trọng số phiếu bầu phải từ 0 đến 1.")
    if Vote.objects.filter(cluster=cluster).exists():
        problems.add("__all__", "«%(c)s» đã tổ chức bình xét.", c=str(cluster))
    if len(_member_ids(cluster)) < 2:
        problems.add("__all__", "Cụm cần ít nhất hai đơn vị để bình xét.")
    problems.raise_if_any()
    vote = Vote.objects.create(
        cluster=cluster, opens_at=opens_at, closes_at=closes_at, vote_weight=vote_weight
    )
    audit_log(
        actor=actor,
        action=CREATE,
        obj=vote,
        unit=cluster.organiser,
        after={"opens_at": opens_at.isoformat(), "closes_at": closes_at.isoformat()},
    )
    return vote


@transaction.atomic
def ballot_cast(
    *, actor: Any, vote: Vote, voter: OrgUnit, choice: OrgUnit, now: dt.datetime | None = None
) -> VoteReceipt:
    """One secret ballot of ``voter`` for ``choice``: the receipt records who voted, the ballot how,
    with nothing linking the two (and the audit holds only the receipt)."""
    require_writable(actor, voter)
    vote = Vote.objects.select_for_update().select_related("cluster").get(pk=vote.pk)
    at = now or timezone.now()
    members = _member_ids(vote.cluster)
    problems = Problems()
    if vote.state != "open" or at >= vote.closes_at:
        problems.add(
            "__all__",
            "Cuộc bình xét đã kết thúc lúc %(t)s; không nhận thêm phiếu.",
            t=timezone.localtime(vote.closes_at).strftime("%H:%M %d/%m/%Y"),
        )
    elif at < vote.opens_at:
        problems.add(
            "__all__",
            "Chưa đến giờ bỏ phiếu (bắt đầu lúc %(t)s).",
            t=timezone.localtime(vote.opens_at).strftime("%H:%M %d/%m/%Y"),
        )
    if voter.pk not in members:
        problems.add("voter", "«%(u)s» không phải thành viên của «%(c)s».", u=voter.name, c=str(vote.cluster))
    elif VoteReceipt.objects.filter(vote=vote, voter=voter).exists():
        problems.add("voter", "«%(u)s» đã bỏ phiếu; mỗi đơn vị chỉ được bỏ một phiếu.", u=voter.name)
    if choice.pk not in members:
        problems.add("choice", "«%(u)s» không phải thành viên của cụm.", u=choice.name)
    elif choice.pk == voter.pk:
        problems.add("choice", "Đơn vị không được tự suy tôn mình.")
    problems.raise_if_any()
    receipt = VoteReceipt.objects.create(vote=vote, voter=voter, cast_at=at)
    Ballot.objects.create(vote=vote, choice=choice)
    audit_log(
        actor=actor, action=CREATE, obj=receipt, unit=voter, after={"vote": vote.pk, "voter": voter.code}
    )
    return receipt


def tally(vote: Vote) -> dict[int, int]:
    """Ballots per member unit, counted from the stored ballots (members with none: 0)."""
    counts = {pk: 0 for pk in _member_ids(vote.cluster)}
    for choice_id in Ballot.objects.filter(vote=vote).values_list("choice_id", flat=True):
        counts[choice_id] = counts.get(choice_id, 0) + 1
    return counts


@transaction.atomic
def vote_close(*, actor: Any, vote: Vote, now: dt.datetime | None = None) -> Vote:
    """Count the ballots after the closing time and record next year's leader and deputy (the first
    two of the ranking: vote combined with the appraised scores)."""
    from .selectors import cluster_ranking  # the ranking is a read

    require_writable(actor, vote.cluster.organiser)
    vote = Vote.objects.select_for_update().select_related("cluster").get(pk=vote.pk)
    at = now or timezone.now()
    problems = Problems()
    if vote.state != VoteState.OPEN:
        problems.add("__all__", "Cuộc bình xét đã được kiểm phiếu.")
    elif at < vote.closes_at:
        problems.add(
            "__all__",
            "Chưa hết thời gian bỏ phiếu (kết thúc lúc %(t)s).",
            t=timezone.localtime(vote.closes_at).strftime("%H:%M %d/%m/%Y"),
        )
    problems.raise_if_any()
    ranking = cluster_ranking(vote.cluster, vote=vote)
    leader = ranking[0].unit if ranking else None
    deputy = ranking[1].unit if len(ranking) > 1 else None
    return state_step(
        actor=actor,
        instance=vote,
        allowed=[VoteState.OPEN],
        to=VoteState.CLOSED,
        action="kiểm phiếu",
        unit=vote.cluster.organiser,
        dates={"closed_on": at},
        fields={"next_leader": leader, "next_deputy": deputy},
    )


# -- awards ----------------------------------------------------------------------------------------

DEFAULT_RULES = {"max_absent_days": 40, "min_months_employed": 10, "disciplined": True, "registered": True}


def award_rules() -> dict[str, Any]:
    return {**DEFAULT_RULES, **getattr(settings, "EMULATION_AWARD_RULES", {})}


def eligibility(
    *,
    unit: OrgUnit,
    person: Person | None,
    year: int,
    absent_days: int,
    months_employed: int,
    disciplined: bool,
    registered: bool | None = None,
) -> list[str]:
    """Why the rules exclude this proposal (Vietnamese), empty when eligible. ``registered``: whether
    the unit or person registered for the year, when the caller has read it already (an import reads
    every row's at once); else it is read here."""
    rules = award_rules()
    who = person.full_name if person else unit.name
    out = []
    if person is not None:
        most = rules.get("max_absent_days")
        if most is not None and absent_days >= most:
            out.append(
                f"{who} nghỉ {absent_days} ngày làm việc trong năm "
                f"(từ {most} ngày trở lên không được xét khen thưởng)."
            )
        least = rules.get("min_months_employed")
        if least is not None and months_employed < least:
            out.append(f"{who} mới công tác {months_employed} tháng (cần ít nhất {least} tháng).")
    if rules.get("disciplined") and disciplined:
        out.append(f"{who} bị kỷ luật trong năm {year}: không được xét khen thưởng.")
    if rules.get("registered"):
        if registered is None:
            registered = Registration.objects.filter(unit=unit, year=year, person=person).exists()
        if not registered:
            out.append(f"{who} không đăng ký thi đua năm {year}.")
    return out


@transaction.atomic
def proposal_create(
    *,
    actor: Any,
    unit: OrgUnit,
    year: int,
    form: str,
    level: str,
    person: Person | None = None,
    achievement: str = "",
    absent_days: int = 0,
    months_employed: int = 12,
    disciplined: bool = False,
    proposed_on: dt.date | None = None,
    registered: bool | None = None,
) -> AwardProposal:
    require_writable(actor, unit)
    problems = Problems()
    if form not in AwardForm.values:
        problems.add("form", "Hình thức khen thưởng không hợp lệ.")
    if level not in AwardLevel.values:
        problems.add("level", "Cấp khen thưởng không hợp lệ.")
    if absent_days < 0 or months_employed < 0:
        problems.add("absent_days", "Số ngày nghỉ, số tháng công tác không được âm.")
    for reason in eligibility(
        unit=unit,
        person=person,
        year=year,
        absent_days=absent_days,
        months_employed=months_employed,
        disciplined=disciplined,
        registered=registered,
    ):
        problems.add("__all__", reason)
    if (
        AwardProposal.objects.filter(unit=unit, person=person, year=year, form=form)
        .exclude(state=ProposalState.REFUSED)
        .exists()
    ):
        problems.add(
            "form",
            "«%(who)s» đã được đề nghị «%(f)s» năm %(y)s.",
            who=person.full_name if person else unit.name,
            f=AwardForm(form).label if form in AwardForm.values else form,
            y=year,
        )
    problems.raise_if_any()
    proposal = AwardProposal.objects.create(
        unit=unit,
        year=year,
        form=form,
        level=level,
        person=person,
        achievement=achievement,
        absent_days=absent_days,
        months_employed=months_employed,
        disciplined=disciplined,
        proposed_on=proposed_on or _today(),
    )
    audit_log(
        actor=actor,
        action=CREATE,
        obj=proposal,
        unit=unit,
        after=snapshot(proposal, ["year", "form", "level", "person"]),
    )
    return proposal


@transaction.atomic
def decision_create(
    *,
    actor: Any,
    issuer: OrgUnit,
    number: str,
    signed_on: dt.date,
    proposals: Iterable[AwardProposal],
    signer: str = "",
) -> AwardDecision:
    """A decision (number, date) awarding ``proposals``, which must be pending and within the issuer."""
    require_writable(actor, issuer)
    chosen = list(AwardProposal.objects.select_for_update().filter(pk__in=[p.pk for p in proposals]))
    problems = Problems()
    if not number.strip():
        problems.add("number", "Số quyết định không được để trống.")
    elif AwardDecision.objects.filter(issuer=issuer, number=number.strip()).exists():
        problems.add("number", "Số quyết định «%(n)s» đã được dùng.", n=number.strip())
    if signed_on > _today():
        problems.add("signed_on", "Ngày ký %(d)s ở tương lai.", d=format_date(signed_on))
    if not chosen:
        problems.add("proposals", "Chọn ít nhất một đề nghị khen thưởng.")
    for p in chosen:
        if p.state != ProposalState.PROPOSED:
            problems.add("proposals", "Đề nghị «%(p)s» đã được xử lý.", p=str(p))
        if p.unit_id != issuer.pk and issuer.pk not in tree.ancestor_ids(p.unit_id, min(signed_on, _today())):
            problems.add("proposals", "«%(u)s» không thuộc «%(i)s».", u=p.unit.name, i=issuer.name)
    problems.raise_if_any()
    decision = AwardDecision.objects.create(
        issuer=issuer, number=number.strip(), signed_on=signed_on, signer=signer
    )
    for p in chosen:
        state_step(
            actor=actor,
            instance=p,
            allowed=[ProposalState.PROPOSED],
            to=ProposalState.AWARDED,
            action="khen thưởng",
            unit=p.unit,
            dates={"awarded_on": signed_on},
            fields={"decision": decision},
        )
    audit_log(
        actor=actor,
        action=CREATE,
        obj=decision,
        unit=issuer,
        after={"number": decision.number, "signed_on": signed_on.isoformat(), "awards": len(chosen)},
    )
    return decision


@transaction.atomic
def proposal_refuse(*, actor: Any, proposal: AwardProposal, note: str = "") -> AwardProposal:
    require_writable(actor, proposal.unit)
    return state_step(
        actor=actor,
        instance=proposal,
        allowed=[ProposalState.PROPOSED],
        to=ProposalState.REFUSED,
        action="từ chối",
        unit=proposal.unit,
        note=note,
    )


@transaction.atomic
def certificate_template_upload(
    *, actor: Any, owner: OrgUnit, name: str, data: bytes, filename: str
) -> CertificateTemplate:
    """Store the federation's certificate template after checking it (``certificates.check_template``)."""
    from . import certificates

    require_writable(actor, owner)
    certificates.check_template(data, filename)  # raises with the Vietnamese reason
    template = CertificateTemplate.objects.create(owner=owner, name=name.strip() or filename, content=data)
    audit_log(actor=actor, action=CREATE, obj=template, unit=owner, after={"name": template.name})
    return template
