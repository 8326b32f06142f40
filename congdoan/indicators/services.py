"""Writes of indicators, targets, entered values and report submissions: validated, atomic, audited."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from congdoan.accounts.permissions import is_global, require_writable
from congdoan.accounts.scope import scope_for
from congdoan.core.audit import audit_log
from congdoan.core.formatting import format_date
from congdoan.core.models import AuditEntry
from congdoan.core.periods import Period, parse_period, period_or_error
from congdoan.core.text import nfc
from congdoan.org import selectors as org_selectors
from congdoan.org.models import OrgUnit
from congdoan.org.selectors import began_on

from .catalogue import STANDARD, STANDARD_FORM
from .models import DataValue, Indicator, ReportForm, Submission, Target
from .providers import REGISTRY

# The stored column is numeric(20, 4): at most 16 digits before the point and 4 after. Beyond
# that PostgreSQL refuses the row and SQLite keeps a number nothing can read back (a 500 on every
# list that shows it), so every figure is checked here, before any write.
MAX_STORABLE = Decimal(10) ** 16
DECIMAL_PLACES = 4
# Per đơn vị tính: counts of people and things are whole numbers no federation comes near; money is
# whole đồng (up to a million tỷ); a share is 0–100 %; anything else keeps the column's bounds.
COUNT_UNITS = frozenset(
    {"người", "bản", "đơn vị", "cuộc", "buổi", "lượt", "lần", "doanh nghiệp", "cđcs", "hội nghị", "hộ"}
)
MAX_COUNT = Decimal(10) ** 9
MAX_MONEY = Decimal(10) ** 15
MAX_OTHER = Decimal(10) ** 12
_QUANTUM = Decimal(1).scaleb(-DECIMAL_PLACES)


def _shown(value: Any) -> str:
    """The input as the user typed it, cut short so a 10 000-digit number does not flood the message."""
    text = str(value).strip()
    return text if len(text) <= 30 else text[:27] + "..."


def decimal_or_error(value: Any, field: str = "value", *, rounded: bool = False) -> Decimal:
    """A finite, non-negative number that fits the stored column: below 10^16 and, unless the caller
    rounds it itself (``rounded``), with at most 4 decimals."""
    if isinstance(value, bool):
        raise ValidationError({field: [f"Giá trị «{value}» không phải là số."]})
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: [f"Giá trị «{_shown(value)}» không phải là số."]}) from None
    if not number.is_finite():
        raise ValidationError({field: [f"Giá trị «{_shown(value)}» không phải là một số hữu hạn."]})
    if number < 0:
        raise ValidationError({field: ["Giá trị phải là số không âm."]})
    if number >= MAX_STORABLE:
        raise ValidationError({field: [f"Giá trị «{_shown(value)}» quá lớn."]})
    if not rounded and number != number.quantize(_QUANTUM):
        raise ValidationError(
            {field: [f"Giá trị «{_shown(value)}» có quá {DECIMAL_PLACES} chữ số thập phân."]}
        )
    return number


def figure_or_error(indicator: Indicator, value: Any, *, share_as_percent: bool = False) -> Decimal:
    """Validate a target or entered value of ``indicator`` against the bounds of its unit.

    A ratio indicator stores a fraction 0–1; with ``share_as_percent`` (targets) a number above 1 is
    read as a percentage ("70" → 0.7) and rounded to 0,01 %. Raises ``ValidationError`` on ``value``."""
    if value is None or str(value).strip() == "":
        raise ValidationError({"value": ["Chưa nhập giá trị."]})
    unit = nfc(indicator.unit or "").strip().lower()
    if indicator.is_ratio:
        number = decimal_or_error(value, rounded=True)
        if share_as_percent and number > 1:
            number = number / 100
        if number > 1:
            raise ValidationError({"value": ["Tỷ lệ phải từ 0 đến 100%."]})
        return number.quantize(_QUANTUM, rounding=ROUND_HALF_UP)
    number = decimal_or_error(value)
    if unit == "đồng":
        if number != number.to_integral_value():
            raise ValidationError({"value": [f"Số tiền phải là số nguyên đồng: «{_shown(value)}»."]})
        if number > MAX_MONEY:
            raise ValidationError(
                {"value": [f"Số tiền «{_shown(value)}» vượt quá mức cho phép (1.000.000 tỷ đồng)."]}
            )
    elif unit in COUNT_UNITS:
        if number != number.to_integral_value():
            raise ValidationError({"value": [f"Số {indicator.unit} phải là số nguyên: «{_shown(value)}»."]})
        if number > MAX_COUNT:
            raise ValidationError(
                {"value": [f"Số {indicator.unit} «{_shown(value)}» vượt quá mức cho phép (1 tỷ)."]}
            )
    elif unit == "%":
        if number > 100:
            raise ValidationError({"value": ["Tỷ lệ phần trăm phải từ 0 đến 100."]})
    elif number > MAX_OTHER:
        raise ValidationError({"value": [f"Giá trị «{_shown(value)}» vượt quá mức cho phép."]})
    return number


@transaction.atomic
def indicator_upsert(
    *,
    actor: Any,
    code: str,
    name: str,
    unit: str = "",
    aggregation: str = "sum",
    source: str = "",
    provider: str = "",
    numerator: str = "",
    denominator: str = "",
    decimals: int = 0,
    standard: bool = False,
    sort_order: int = 0,
) -> tuple[Indicator, bool]:
    """Create or update an indicator by code; returns (indicator, changed)."""
    errors: dict[str, list[str]] = {}
    code = (code or "").strip().upper()
    if not code:
        errors["code"] = ["Chưa có mã chỉ tiêu."]
    if not (name or "").strip():
        errors["name"] = ["Chưa có tên chỉ tiêu."]
    if aggregation not in Indicator.Aggregation.values:
        errors["aggregation"] = ["Cách tổng hợp phải là sum, last hoặc ratio."]
    parts: dict[str, Indicator | None] = {"numerator": None, "denominator": None}
    if aggregation == Indicator.Aggregation.RATIO:
        for key, part_code in (("numerator", numerator), ("denominator", denominator)):
            if not part_code:
                errors[key] = ["Chỉ tiêu tỷ lệ cần có tử số và mẫu số."]
                continue
            part = Indicator.objects.filter(code=part_code.strip().upper()).first()
            if part is None:
                errors[key] = [f"Không có chỉ tiêu «{part_code}»."]
            elif part.is_ratio:
                errors[key] = [f"«{part_code}» là chỉ tiêu tỷ lệ; tử số và mẫu số phải là số đếm."]
            parts[key] = part
    source = source or ("computed" if provider or aggregation == "ratio" else "entered")
    if source == Indicator.Source.COMPUTED and aggregation != "ratio" and provider not in REGISTRY:
        errors["provider"] = [f"Không có bộ tính «{provider}»."]
    if errors:
        raise ValidationError(errors)
    fields = {
        "name": nfc(name),
        "unit": nfc(unit or ("%" if aggregation == "ratio" else "")),
        "aggregation": aggregation,
        "source": source,
        "provider": provider,
        "numerator": parts["numerator"],
        "denominator": parts["denominator"],
        "decimals": decimals,
        "standard": standard,
        "sort_order": sort_order,
    }
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is not None:
        if all(getattr(indicator, k) == v for k, v in fields.items()):
            return indicator, False
        for key, value in fields.items():
            setattr(indicator, key, value)
        indicator.save()
        audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=indicator, after={"name": indicator.name})
        return indicator, True
    indicator = Indicator.objects.create(code=code, **fields)
    audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=indicator, after={"name": indicator.name})
    return indicator, True


@transaction.atomic
def load_standard_catalogue(*, actor: Any = None) -> int:
    """Create or refresh the standard catalogue and report form; returns how many changed."""
    changed = 0
    for order, (code, name, unit, agg, source, provider, num, den, decimals) in enumerate(STANDARD):
        _, did = indicator_upsert(
            actor=actor,
            code=code,
            name=name,
            unit=unit,
            aggregation=agg,
            source=source,
            provider=provider,
            numerator=num,
            denominator=den,
            decimals=decimals,
            standard=True,
            sort_order=order * 10,
        )
        changed += did
    form_code, form_name, kind, codes = STANDARD_FORM
    form, _ = ReportForm.objects.get_or_create(
        code=form_code, defaults={"name": form_name, "period_kind": kind}
    )
    form.indicators.set(Indicator.objects.filter(code__in=codes))
    return changed


def require_existed(unit: OrgUnit, period: Period, what: str = "số liệu") -> None:
    """A value or target belongs to a period in which the unit existed: founded (or, without a founding
    date, first placed in the tree) by the period's last day, and not ended before its first day.
    Otherwise the roll-ups would never count it (the tree of that period has no such unit)."""
    began = began_on(unit)  # the one rule (``org.selectors.not_founded_message`` on the pages)
    if began is not None and began > period.end:
        raise ValidationError(
            {
                "period": [
                    f"Đơn vị «{unit.code}» bắt đầu hoạt động từ ngày {format_date(began)}, "
                    f"sau {period.label}: không nhập được {what} cho kỳ này."
                ]
            }
        )
    if unit.dissolved_on is not None and unit.dissolved_on <= period.start:
        raise ValidationError(
            {
                "period": [
                    f"Đơn vị «{unit.code}» đã chấm dứt hoạt động từ ngày {format_date(unit.dissolved_on)}, "
                    f"trước {period.label}: không nhập được {what} cho kỳ này."
                ]
            }
        )


def _require_top_down(actor: Any, unit: OrgUnit, period: Period | None = None) -> None:
    """Targets are handed down: set by an officer above the unit (or an administrator), in the tree
    of the period (a district that has since ended can still get its 2024 target)."""
    if actor is None or is_global(actor):
        return
    on = None
    if period is not None:
        on = min(period.end, unit.last_day) if unit.last_day else period.end
    require_writable(actor, unit, on=on)
    if unit.pk in scope_for(actor).root_ids:
        raise ValidationError(
            "Chỉ tiêu của đơn vị do đơn vị cấp trên giao; bạn không tự giao cho đơn vị mình."
        )


@transaction.atomic
def target_set(*, actor: Any, unit: OrgUnit, indicator: Indicator, period: str, value: Any) -> Target | None:
    """Set (or, with ``value`` None/"", clear) the target of ``unit`` for ``indicator`` and ``period``."""
    p = period_or_error(period)
    if actor is not None:
        org_selectors.unit_get(user=actor, code=unit.code)  # 404 first: say nothing of others' units
    require_existed(unit, p, "chỉ tiêu")  # before the tree of the period, which has no such unit
    _require_top_down(actor, unit, p)
    existing = Target.objects.filter(unit=unit, indicator=indicator, period=p.code).first()
    if value is None or str(value).strip() == "":
        if existing is not None:
            existing.delete()
            audit_log(
                actor=actor,
                action=AuditEntry.Action.DELETE,
                object_type="indicators.target",
                object_id=f"{unit.code}/{indicator.code}/{p.code}",
                object_repr=str(indicator),
                unit=unit,
                before={"value": str(existing.value)},
            )
        return None
    number = figure_or_error(indicator, value, share_as_percent=True)  # "70" for a share means 70 %
    if existing is not None and existing.value == number:
        return existing
    target, _ = Target.objects.update_or_create(
        unit=unit,
        indicator=indicator,
        period=p.code,
        defaults={"value": number, "set_by": actor if getattr(actor, "is_authenticated", False) else None},
    )
    audit_log(
        actor=actor,
        action=AuditEntry.Action.UPDATE if existing else AuditEntry.Action.CREATE,
        object_type="indicators.target",
        object_id=f"{unit.code}/{indicator.code}/{p.code}",
        object_repr=str(indicator),
        unit=unit,
        before={"value": str(existing.value)} if existing else None,
        after={"value": str(number)},
    )
    return target


def _locked(unit: OrgUnit, indicator: Indicator, period: str) -> bool:
    return Submission.objects.filter(
        unit=unit, period=period, status=Submission.Status.APPROVED, form__indicators=indicator
    ).exists()


@transaction.atomic
def value_set(*, actor: Any, unit: OrgUnit, indicator: Indicator, period: str, value: Any) -> DataValue:
    """Enter the actual of an entered indicator; refused once the unit's report is approved."""
    p = period_or_error(period)
    if indicator.source != Indicator.Source.ENTERED:
        raise ValidationError(
            {"indicator": [f"Chỉ tiêu «{indicator.code}» được tính từ dữ liệu, không nhập tay."]}
        )
    require_writable(actor, unit)
    require_existed(unit, p)
    if _locked(unit, indicator, p.code):
        raise ValidationError(
            "Báo cáo kỳ %(p)s của %(u)s đã được duyệt nên không sửa được số liệu.",
            params={"p": p.label, "u": unit.name},
            code="locked",
        )
    number = figure_or_error(indicator, value)
    existing = DataValue.objects.filter(unit=unit, indicator=indicator, period=p.code).first()
    if existing is not None and existing.value == number:
        return existing
    data_value, _ = DataValue.objects.update_or_create(
        unit=unit,
        indicator=indicator,
        period=p.code,
        defaults={
            "value": number,
            "entered_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    audit_log(
        actor=actor,
        action=AuditEntry.Action.UPDATE if existing else AuditEntry.Action.CREATE,
        object_type="indicators.datavalue",
        object_id=f"{unit.code}/{indicator.code}/{p.code}",
        object_repr=str(indicator),
        unit=unit,
        before={"value": str(existing.value)} if existing else None,
        after={"value": str(number)},
    )
    return data_value


@transaction.atomic
def submission_submit(*, actor: Any, form: ReportForm, unit: OrgUnit, period: str) -> Submission:
    p = period_or_error(period)
    require_writable(actor, unit)
    require_existed(unit, p, "báo cáo")
    submission, _ = Submission.objects.get_or_create(form=form, unit=unit, period=p.code)
    if submission.status == Submission.Status.APPROVED:
        raise ValidationError("Báo cáo đã được duyệt.")
    missing = form.indicators.exclude(values__unit=unit, values__period=p.code)
    if missing.exists():
        names = ", ".join(i.name for i in missing)
        raise ValidationError(f"Chưa nhập đủ số liệu: {names}.")
    submission.status = Submission.Status.SUBMITTED
    submission.submitted_by = actor if getattr(actor, "is_authenticated", False) else None
    submission.submitted_at = timezone.now()
    submission.save()
    audit_log(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="indicators.submission",
        object_id=str(submission.pk),
        object_repr=str(submission),
        unit=unit,
        after={"status": "submitted"},
    )
    return submission


@transaction.atomic
def submission_approve(*, actor: Any, submission: Submission) -> Submission:
    """The parent unit approves; the figures are then locked."""
    _require_top_down(actor, submission.unit, parse_period(submission.period))
    if submission.status != Submission.Status.SUBMITTED:
        raise ValidationError("Chỉ duyệt được báo cáo đã gửi.")
    submission.status = Submission.Status.APPROVED
    submission.approved_by = actor if getattr(actor, "is_authenticated", False) else None
    submission.approved_at = timezone.now()
    submission.save()
    audit_log(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="indicators.submission",
        object_id=str(submission.pk),
        object_repr=str(submission),
        unit=submission.unit,
        after={"status": "approved"},
    )
    return submission
