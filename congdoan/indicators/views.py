"""Pages of the indicators app: dashboard, achievement by child unit, cluster comparison, drill-down to
entered values, the targets grid (with XLSX import) and data entry of report forms.

Thin views: every figure comes from ``selectors.achievement_table`` (scoped; one engine), every write
goes through ``services`` (targets, values, submissions) or ``imports.import_values``; out-of-scope
units answer 404.

The pages live in one module per concern; this module names them for ``urls.py``:
``views_shared`` (unit and period from the query string, a figure as shown), ``views_dashboard``
(dashboard, by child unit, the records behind a figure), ``views_cluster`` (cluster comparison),
``views_targets`` (targets grid) and ``views_entry`` (data entry).
"""

from __future__ import annotations

from .views_cluster import cluster
from .views_dashboard import by_unit, dashboard, records, values
from .views_entry import entry
from .views_shared import Shown, available, default_period, ended_note, period_choices, show
from .views_targets import targets, targets_template

__all__ = [
    "Shown",
    "available",
    "by_unit",
    "cluster",
    "dashboard",
    "default_period",
    "ended_note",
    "entry",
    "period_choices",
    "records",
    "show",
    "targets",
    "targets_template",
    "values",
]
