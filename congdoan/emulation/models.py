"""Emulation and commendation (thi đua, khen thưởng; domain.md §6 and §8).

- movements (phong trào) and registrations (đăng ký thi đua), initiatives and works with their recognition;
- the clusters of ``org`` (one ``EmulationCluster`` per year, so a cluster's 2024 members stay as they
  were after the 2025 restructuring) gain pacts (giao ước thi đua) and a peer vote (bình xét, suy tôn);
- score sheets: a template is a tree of criteria with maximum points per node, for a span of years and a
  unit type; a criterion may be computed from an indicator (linear between two thresholds); a sheet goes
  self-scored → appraised → locked → published and is graded by the template's thresholds;
- awards: proposals checked against configurable rules, decisions with number and date, certificates
  printed from a Word template the federation owns.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.urls import reverse

from congdoan.members.models import Person
from congdoan.org.models import EmulationCluster, OrgUnit, UnitType

POINTS = {"max_digits": 7, "decimal_places": 2}


# -- movements, registrations, initiatives ---------------------------------------------------------


class Movement(models.Model):
    """A phong trào thi đua launched by a union for a period."""

    name = models.CharField("tên phong trào", max_length=255)
    owner = models.ForeignKey(
        OrgUnit, verbose_name="đơn vị phát động", on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField("từ ngày")
    ends_on = models.DateField("đến ngày")
    description = models.TextField("nội dung", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "phong trào thi đua"
        verbose_name_plural = "phong trào thi đua"
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="movement_period"),
        ]

    def __str__(self) -> str:
        return self.name


class Registration(models.Model):
    """A unit's (or one of its members') registration of titles and goals (đăng ký thi đua) for a year."""

    movement = models.ForeignKey(
        Movement,
        verbose_name="phong trào",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    unit = models.ForeignKey(OrgUnit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        Person, verbose_name="cá nhân", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("năm")
    title = models.CharField("danh hiệu đăng ký", max_length=200)
    goals = models.TextField("chỉ tiêu, mục tiêu", blank=True)
    registered_on = models.DateField("ngày đăng ký")

    class Meta:
        verbose_name = "đăng ký thi đua"
        verbose_name_plural = "đăng ký thi đua"
        ordering = ["-year", "unit_id", "id"]
        indexes = [models.Index(fields=["year", "unit"], name="emu_registration_year_idx")]

    def __str__(self) -> str:
        who = self.person.full_name if self.person is not None else self.unit.name
        return f"{who}: {self.title} ({self.year})"


class InitiativeKind(models.TextChoices):
    INITIATIVE = "initiative", "Sáng kiến"
    WORK = "work", "Công trình"
    PRODUCT = "product", "Sản phẩm"


class Recognition(models.TextChoices):
    SUBMITTED = "submitted", "Đã đăng ký"
    RECOGNISED = "recognised", "Được công nhận"
    REJECTED = "rejected", "Không được công nhận"


class Initiative(models.Model):
    """A sáng kiến, công trình or sản phẩm of a unit or a member, and whether it was recognised."""

    kind = models.CharField(
        "loại", max_length=12, choices=InitiativeKind.choices, default=InitiativeKind.INITIATIVE
    )
    title = models.CharField("tên", max_length=255)
    unit = models.ForeignKey(OrgUnit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        Person, verbose_name="tác giả", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    movement = models.ForeignKey(
        Movement, verbose_name="phong trào", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_on = models.DateField("ngày đăng ký")
    status = models.CharField(
        "công nhận", max_length=12, choices=Recognition.choices, default=Recognition.SUBMITTED
    )
    recognised_on = models.DateField("ngày công nhận", null=True, blank=True)
    benefit = models.BigIntegerField("giá trị làm lợi (đồng)", default=0)

    class Meta:
        verbose_name = "sáng kiến, công trình"
        verbose_name_plural = "sáng kiến, công trình"
        ordering = ["-submitted_on", "-id"]
        indexes = [models.Index(fields=["unit", "submitted_on"], name="emu_initiative_unit_idx")]

    def __str__(self) -> str:
        return self.title


# -- clusters: pacts and the peer vote -------------------------------------------------------------


class Pact(models.Model):
    """A giao ước thi đua signed by the members of a cluster for its year."""

    cluster = models.ForeignKey(
        EmulationCluster, verbose_name="cụm thi đua", on_delete=models.PROTECT, related_name="pacts"
    )
    signed_on = models.DateField("ngày ký")
    title = models.CharField("tên giao ước", max_length=255)
    commitments = models.TextField("nội dung cam kết")

    class Meta:
        verbose_name = "giao ước thi đua"
        verbose_name_plural = "giao ước thi đua"
        ordering = ["-signed_on", "id"]

    def __str__(self) -> str:
        return self.title


class VoteState(models.TextChoices):
    OPEN = "open", "Đang bỏ phiếu"
    CLOSED = "closed", "Đã kết thúc"


class Vote(models.Model):
    """The peer vote of a cluster's year (bình xét, suy tôn): one ballot per member unit until
    ``closes_at``. The ranking combines the vote with the members' appraised scores; the first is
    recorded as next year's leader (cụm trưởng), the second as the deputy."""

    cluster = models.OneToOneField(
        EmulationCluster, verbose_name="cụm thi đua", on_delete=models.PROTECT, related_name="vote"
    )
    opens_at = models.DateTimeField("bắt đầu")
    closes_at = models.DateTimeField("kết thúc")
    vote_weight = models.DecimalField(
        "trọng số phiếu bầu",
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.50"),
        help_text="Phần của phiếu bầu trong điểm xếp hạng (phần còn lại là điểm thẩm định).",
    )
    state = models.CharField("trạng thái", max_length=8, choices=VoteState.choices, default=VoteState.OPEN)
    closed_on = models.DateTimeField("ngày kiểm phiếu", null=True, blank=True)
    next_leader = models.ForeignKey(
        OrgUnit,
        verbose_name="cụm trưởng năm sau",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    next_deputy = models.ForeignKey(
        OrgUnit,
        verbose_name="cụm phó năm sau",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "bình xét, suy tôn"
        verbose_name_plural = "bình xét, suy tôn"
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="vote_period")
        ]

    def __str__(self) -> str:
        return f"Bình xét {self.cluster}"

    def get_absolute_url(self) -> str:
        return reverse("emulation:cluster", args=[self.cluster_id])


class VoteReceipt(models.Model):
    """Who voted, and when (never how): one per voting unit."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="receipts")
    voter = models.ForeignKey(
        OrgUnit, verbose_name="đơn vị bỏ phiếu", on_delete=models.PROTECT, related_name="+"
    )
    cast_at = models.DateTimeField("thời điểm bỏ phiếu")

    class Meta:
        verbose_name = "phiếu đã bỏ"
        verbose_name_plural = "phiếu đã bỏ"
        constraints = [models.UniqueConstraint(fields=["vote", "voter"], name="vote_one_ballot_per_unit")]

    def __str__(self) -> str:
        return f"Phiếu của {self.voter}"


class Ballot(models.Model):
    """How one ballot was filled in, with nothing that leads back to its voter: a random key (no
    sequence, no time) and the unit chosen."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="ballots")
    choice = models.ForeignKey(
        OrgUnit, verbose_name="đơn vị được suy tôn", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "lá phiếu"
        verbose_name_plural = "lá phiếu"

    def __str__(self) -> str:
        return "Lá phiếu"


# -- score sheets ----------------------------------------------------------------------------------


class SheetTemplate(models.Model):
    """A scoring scheme: the criteria tree for a unit type over a span of years, and its grades.

    ``grades``: list of ``{"code", "label", "min", "groups"}`` from the best down; a sheet gets the first
    whose ``min`` its total reaches and, when ``groups`` is true, whose every group reaches
    ``group_min_share`` of its maximum. The last grade has ``min`` 0."""

    code = models.CharField("mã mẫu", max_length=32, unique=True)
    name = models.CharField("tên mẫu", max_length=255)
    unit_type = models.CharField("loại đơn vị", max_length=16, choices=UnitType.choices)
    year_from = models.PositiveSmallIntegerField("từ năm")
    year_to = models.PositiveSmallIntegerField("đến năm", null=True, blank=True)
    grades = models.JSONField("xếp loại", default=list)
    group_min_share = models.DecimalField(
        "tỷ lệ điểm tối thiểu mỗi nhóm", max_digits=4, decimal_places=2, default=Decimal("0.50")
    )
    basis = models.TextField("căn cứ", blank=True)

    class Meta:
        verbose_name = "mẫu bảng điểm"
        verbose_name_plural = "mẫu bảng điểm"
        ordering = ["-year_from", "code"]

    def __str__(self) -> str:
        return self.name

    def covers(self, year: int) -> bool:
        return self.year_from <= year and (self.year_to is None or year <= self.year_to)


class Basis(models.TextChoices):
    VALUE = "value", "Số thực hiện"
    ACHIEVEMENT = "achievement", "Tỷ lệ đạt chỉ tiêu (%)"


class Criterion(models.Model):
    """A node of the criteria tree: a group (no parent) or a criterion under it, with its maximum.

    A computed criterion reads the indicator ``indicator_code`` for the unit and the year: 0 points at or
    below ``low``, full points at or above ``high``, linear between (``basis``: the value, or the
    achievement of the target in percent)."""

    template = models.ForeignKey(SheetTemplate, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    number = models.CharField("số thứ tự", max_length=12)
    name = models.CharField("nội dung", max_length=500)
    max_points = models.DecimalField("điểm tối đa", **POINTS)  # type: ignore[arg-type]
    bonus = models.BooleanField("điểm thưởng", default=False)
    order = models.PositiveSmallIntegerField(default=0)
    indicator_code = models.CharField("chỉ tiêu tính điểm", max_length=40, blank=True)
    basis = models.CharField("căn cứ tính", max_length=12, choices=Basis.choices, default=Basis.ACHIEVEMENT)
    low = models.DecimalField("ngưỡng 0 điểm", max_digits=12, decimal_places=2, null=True, blank=True)
    high = models.DecimalField("ngưỡng đủ điểm", max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = "tiêu chí"
        verbose_name_plural = "tiêu chí"
        ordering = ["template_id", "order", "id"]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    @property
    def computed(self) -> bool:
        return bool(self.indicator_code)


class SheetState(models.TextChoices):
    DRAFT = "draft", "Đang chấm"
    SELF_SCORED = "self_scored", "Đã tự chấm"
    APPRAISED = "appraised", "Đã thẩm định"
    LOCKED = "locked", "Đã khóa"
    PUBLISHED = "published", "Đã công bố"


SCORED_STATES = (SheetState.APPRAISED, SheetState.LOCKED, SheetState.PUBLISHED)


class ScoreSheet(models.Model):
    """One unit's score sheet for one year."""

    template = models.ForeignKey(
        SheetTemplate, verbose_name="mẫu", on_delete=models.PROTECT, related_name="sheets"
    )
    unit = models.ForeignKey(OrgUnit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("năm")
    deadline = models.DateField("hạn tự chấm")
    state = models.CharField(
        "trạng thái", max_length=12, choices=SheetState.choices, default=SheetState.DRAFT
    )
    self_total = models.DecimalField("điểm tự chấm", null=True, blank=True, **POINTS)  # type: ignore[arg-type]
    appraised_total = models.DecimalField("điểm thẩm định", null=True, blank=True, **POINTS)  # type: ignore[arg-type]
    grade = models.CharField("xếp loại", max_length=32, blank=True)
    appraised_by = models.ForeignKey(
        OrgUnit,
        verbose_name="đơn vị thẩm định",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    self_scored_on = models.DateField("ngày tự chấm", null=True, blank=True)
    appraised_on = models.DateField("ngày thẩm định", null=True, blank=True)
    locked_on = models.DateField("ngày khóa", null=True, blank=True)
    published_on = models.DateField("ngày công bố", null=True, blank=True)

    class Meta:
        verbose_name = "bảng điểm"
        verbose_name_plural = "bảng điểm"
        ordering = ["-year", "unit__name", "id"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="emu_sheet_once_a_year")]
        indexes = [models.Index(fields=["year", "state", "grade"], name="emu_sheet_year_idx")]

    def __str__(self) -> str:
        return f"Bảng điểm {self.year} – {self.unit.name}"

    def get_absolute_url(self) -> str:
        return reverse("emulation:sheet", args=[self.pk])

    @property
    def grade_label(self) -> str:
        return next((g["label"] for g in self.template.grades if g["code"] == self.grade), "")

    @property
    def total(self) -> Decimal | None:
        return self.appraised_total if self.state in SCORED_STATES else self.self_total


class ScoreLine(models.Model):
    """The points of one leaf criterion on a sheet: the unit's own, the appraiser's, the evidence and
    the appraiser's comment; for a computed criterion, the indicator's figure it was computed from."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="lines")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    self_points = models.DecimalField("điểm tự chấm", null=True, blank=True, **POINTS)  # type: ignore[arg-type]
    appraised_points = models.DecimalField("điểm thẩm định", null=True, blank=True, **POINTS)  # type: ignore[arg-type]
    figure = models.DecimalField("số liệu", max_digits=18, decimal_places=4, null=True, blank=True)
    evidence = models.TextField("minh chứng", blank=True)
    comment = models.TextField("nhận xét thẩm định", blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sheet", "criterion"], name="emu_line_once")]

    def __str__(self) -> str:
        return f"{self.sheet_id}/{self.criterion_id}"


# -- awards ----------------------------------------------------------------------------------------


class AwardForm(models.TextChoices):
    GIAY_KHEN = "giay_khen", "Giấy khen"
    BANG_KHEN = "bang_khen", "Bằng khen"
    CO_THI_DUA = "co_thi_dua", "Cờ thi đua"
    LAO_DONG_GIOI = "lao_dong_gioi", "Lao động giỏi"
    LAO_DONG_SANG_TAO = "lao_dong_sang_tao", "Bằng Lao động sáng tạo"
    DOAN_VIEN_XUAT_SAC = "doan_vien_xuat_sac", "Đoàn viên công đoàn xuất sắc"
    CDCS_VUNG_MANH = "cdcs_vung_manh", "CĐCS vững mạnh"


class AwardLevel(models.TextChoices):
    CDCS = "cdcs", "Công đoàn cơ sở"
    UPPER = "upper", "Công đoàn cấp trên trực tiếp cơ sở"
    CITY = "city", "LĐLĐ tỉnh, thành phố"
    TLD = "tld", "Tổng Liên đoàn"


class ProposalState(models.TextChoices):
    PROPOSED = "proposed", "Đề nghị"
    AWARDED = "awarded", "Đã khen thưởng"
    REFUSED = "refused", "Không khen thưởng"


class AwardDecision(models.Model):
    """A decision (quyết định khen thưởng) with its number and date, issued by a union."""

    number = models.CharField("số quyết định", max_length=40)
    signed_on = models.DateField("ngày ký")
    issuer = models.ForeignKey(
        OrgUnit, verbose_name="đơn vị quyết định", on_delete=models.PROTECT, related_name="+"
    )
    signer = models.CharField("người ký", max_length=120, blank=True)

    class Meta:
        verbose_name = "quyết định khen thưởng"
        verbose_name_plural = "quyết định khen thưởng"
        ordering = ["-signed_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["issuer", "number"], name="emu_decision_number_once")]

    def __str__(self) -> str:
        return f"Quyết định số {self.number}"


class AwardProposal(models.Model):
    """An award proposed upward for a collective (``unit``) or an individual (``person`` of ``unit``),
    with the facts the eligibility rules read."""

    year = models.PositiveSmallIntegerField("năm")
    form = models.CharField("hình thức", max_length=24, choices=AwardForm.choices)
    level = models.CharField("cấp khen", max_length=8, choices=AwardLevel.choices)
    unit = models.ForeignKey(OrgUnit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        Person, verbose_name="cá nhân", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    achievement = models.TextField("thành tích", blank=True)
    absent_days = models.PositiveSmallIntegerField("số ngày nghỉ", default=0)
    months_employed = models.PositiveSmallIntegerField("số tháng công tác", default=12)
    disciplined = models.BooleanField("bị kỷ luật", default=False)
    proposed_on = models.DateField("ngày đề nghị")
    state = models.CharField(
        "trạng thái", max_length=8, choices=ProposalState.choices, default=ProposalState.PROPOSED
    )
    decision = models.ForeignKey(
        AwardDecision,
        verbose_name="quyết định",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="awards",
    )
    awarded_on = models.DateField("ngày khen thưởng", null=True, blank=True)

    class Meta:
        verbose_name = "đề nghị khen thưởng"
        verbose_name_plural = "đề nghị khen thưởng"
        ordering = ["-year", "-proposed_on", "-id"]
        indexes = [models.Index(fields=["unit", "year"], name="emu_proposal_unit_idx")]

    def __str__(self) -> str:
        return f"{self.get_form_display()} – {self.recipient}"

    def get_absolute_url(self) -> str:
        return reverse("emulation:award", args=[self.pk])

    @property
    def recipient(self) -> str:
        return self.person.full_name if self.person is not None else self.unit.name

    @property
    def individual(self) -> bool:
        return self.person_id is not None


class CertificateTemplate(models.Model):
    """The federation's own Word template for certificates (docxtpl); the newest active one is used."""

    owner = models.ForeignKey(OrgUnit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("tên mẫu", max_length=200)
    content = models.BinaryField("tệp mẫu")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "mẫu giấy chứng nhận"
        verbose_name_plural = "mẫu giấy chứng nhận"
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.name
