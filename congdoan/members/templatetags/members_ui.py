"""``{% load members_ui %}{% member_panel unit %}``: members, workforce and coverage on a unit page."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from congdoan.core.formatting import format_percent
from congdoan.members import selectors
from congdoan.members.forms import WorkforceForm
from congdoan.org.models import OrgUnit

register = template.Library()


@register.inclusion_tag("members/_unit_panel.html", takes_context=True)
def member_panel(context: dict[str, Any], unit: OrgUnit) -> dict[str, Any]:
    """The unit page's context gives the day shown (``day``) and whether the user may change the unit
    (``can_write``); the unit has already been checked against the user's scope."""
    day = context.get("day") or timezone.localdate()
    summary = selectors.member_summary(unit=unit, on=day)
    can_write = bool(context.get("can_write")) and unit.is_grassroots
    return {
        "unit": unit,
        "day": day,
        "summary": summary,
        "coverage": format_percent(summary["members"], summary["workers"]),
        "women_share": format_percent(summary["women_members"], summary["members"]),
        "workforce_form": WorkforceForm(unit=unit) if can_write else None,
        "can_write": can_write,
        "csrf_token": context.get("csrf_token"),
    }
