"""The kernel's registries: how the domain apps plug themselves into the project.

The kernel (``core`` and ``accounts``) imports no domain app. Whatever it needs from one — the dated
org tree for scoping — and whatever is listed across apps — import kinds, API routes, menu entries,
report sections, demo loaders, home panels — each app registers here from its ``AppConfig.ready()``::

    class OrgConfig(AppConfig):
        def ready(self) -> None:
            from congdoan.core import registry
            from . import tree
            registry.register_org_tree(tree)

The readers (``accounts.scope``, ``congdoan import``, the upload page and API of ``imports``,
``api/urls.py``, the base template's menu, ``congdoan demo``) only read these registries, so a new app
plugs in without editing them (``docs/adding-an-app.md``). Registering the same key twice with a
different value is a programming error and raises; registering an equal value again (a test that
calls ``ready()`` twice) is allowed.

The computed indicators keep their own registry (``congdoan.indicators.providers``): it belongs to the
indicators app, which the apps counting records already depend on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet


def _put(registry: dict[str, Any], key: str, value: Any, what: str) -> None:
    old = registry.get(key)
    if old is not None and old != value:
        raise ImproperlyConfigured(f"{what} «{key}» is registered twice: {old!r} and {value!r}")
    registry[key] = value


# -- the dated org tree ----------------------------------------------------------------------------


class OrgTree(Protocol):
    """The dated tree functions the scope needs (``congdoan.org.tree`` implements them)."""

    def in_subtree(self, root_ids: list[int], on: dt.date) -> Any:
        """An ``id IN (...)`` subquery: ``root_ids`` and every unit under them on day ``on``."""
        ...

    def ever_in_subtree(self, root_id: int, start: dt.date | None, end: dt.date | None) -> Any:
        """An ``id IN (...)`` subquery: every unit that sat under ``root_id`` some day in ``[start, end)``."""
        ...

    def subtree_ids(self, root_id: int, on: dt.date) -> set[int]: ...

    def ancestor_ids(self, unit_id: int, on: dt.date) -> list[int]: ...


_org_tree: list[OrgTree] = []


def register_org_tree(implementation: OrgTree) -> None:
    """Called once by the org app: the functions behind :data:`tree`."""
    if _org_tree and _org_tree[0] is not implementation:
        raise ImproperlyConfigured("The dated org tree is registered twice.")
    _org_tree[:] = [implementation]


def org_tree() -> OrgTree:
    if not _org_tree:
        raise ImproperlyConfigured("No dated org tree registered: is congdoan.org in INSTALLED_APPS?")
    return _org_tree[0]


class _RegisteredTree:
    """``tree.in_subtree(...)`` and friends, answered by whatever the org app registered (looked up at
    call time, so modules may import :data:`tree` before the apps are ready)."""

    def in_subtree(self, root_ids: list[int], on: dt.date) -> Any:
        return org_tree().in_subtree(root_ids, on)

    def ever_in_subtree(self, root_id: int, start: dt.date | None, end: dt.date | None) -> Any:
        return org_tree().ever_in_subtree(root_id, start, end)

    def subtree_ids(self, root_id: int, on: dt.date) -> set[int]:
        return org_tree().subtree_ids(root_id, on)

    def ancestor_ids(self, unit_id: int, on: dt.date) -> list[int]:
        return org_tree().ancestor_ids(unit_id, on)


tree = _RegisteredTree()


# -- importers (``congdoan import KIND FILE``, the upload page, the API) --------------------------


class ImportRunner(Protocol):
    """``run(*, actor, path_or_file, sheet, dry_run, progress) -> ImportResult`` (``imports.reader``)."""

    def __call__(self, *, actor: Any, path_or_file: Any, sheet: Any, dry_run: bool, progress: Any) -> Any: ...


@dataclass(frozen=True)
class Importer:
    kind: str  # the CLI subcommand and ``ImportJob.kind``: "units", "members", ...
    label: str  # what the upload page and the job list call it: "Đoàn viên"
    help: str  # one sentence for ``congdoan import --help``
    columns: str  # the header the file must have (architecture §5)
    run: ImportRunner
    order: int = 100  # position in the CLI, the upload form and the API
    web: bool = True  # offered on the upload page and ``POST /api/v1/imports/`` (else CLI only)


_importers: dict[str, Importer] = {}


def register_importer(importer: Importer) -> Importer:
    _put(_importers, importer.kind, importer, "Import kind")
    return importer


def importers(*, web: bool | None = None) -> dict[str, Importer]:
    """Every registered kind in order (``web=True``: only those the upload page and API offer)."""
    chosen = [i for i in _importers.values() if web is None or i.web == web]
    return {i.kind: i for i in sorted(chosen, key=lambda i: (i.order, i.kind))}


def importer_choices() -> list[tuple[str, str]]:
    """``ImportJob.kind`` choices: every kind (a job of a CLI-only kind still shows its label)."""
    return [(i.kind, i.label) for i in importers().values()]


def web_importer_choices() -> list[tuple[str, str]]:
    """The kinds the upload page and the API accept."""
    return [(i.kind, i.label) for i in importers(web=True).values()]


# -- API routes (``/api/v1/<prefix>/``) ------------------------------------------------------------


@dataclass(frozen=True)
class ApiRoute:
    prefix: str  # "units" → /api/v1/units/
    viewset: type
    basename: str  # URL names "<basename>-list", "<basename>-detail"
    order: int = 100  # position in the API root listing


_api_routes: dict[str, ApiRoute] = {}


def register_api_route(prefix: str, viewset: type, basename: str, *, order: int = 100) -> ApiRoute:
    route = ApiRoute(prefix, viewset, basename, order)
    _put(_api_routes, prefix, route, "API prefix")
    return route


def api_routes() -> list[ApiRoute]:
    return sorted(_api_routes.values(), key=lambda r: (r.order, r.prefix))


# -- navigation (the main menu of ``base.html``) ---------------------------------------------------


@dataclass(frozen=True)
class NavMenu:
    """A dropdown of the main menu; its entries name it in ``NavEntry.menu``."""

    key: str
    label: str
    icon: str  # a Bootstrap Icons name: "bi-building"
    order: int


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str  # "members:list"
    icon: str
    order: int
    menu: str = ""  # the key of its dropdown; "" = a link of its own in the bar
    # Roles that see it (``accounts.models.Role`` values); empty = every signed-in user.
    roles: frozenset[str] = frozenset()
    # A link in the bar is highlighted on every page of its app (URL namespace), unless
    # ``exact``: then only on its own page (the overview and the tree are pages of ``org``).
    exact: bool = False

    @property
    def namespace(self) -> str:
        return self.url_name.rpartition(":")[0]


_nav_menus: dict[str, NavMenu] = {}
_nav_entries: dict[str, NavEntry] = {}


def register_nav_menu(key: str, label: str, icon: str, order: int) -> NavMenu:
    """A dropdown; apps sharing one (bargaining and conferences under "Đại diện") both register it."""
    menu = NavMenu(key, label, icon, order)
    _put(_nav_menus, key, menu, "Menu")
    return menu


def register_nav_entry(
    label: str,
    url_name: str,
    icon: str,
    order: int,
    *,
    menu: str = "",
    roles: Iterable[str] = (),
    exact: bool = False,
) -> NavEntry:
    entry = NavEntry(label, url_name, icon, order, menu, frozenset(roles), exact)
    _put(_nav_entries, url_name, entry, "Menu entry")
    return entry


def nav_menus() -> dict[str, NavMenu]:
    return dict(_nav_menus)


def nav_entries() -> list[NavEntry]:
    return sorted(_nav_entries.values(), key=lambda e: (e.order, e.url_name))


# -- report sections -------------------------------------------------------------------------------
# The annual/period report (``reports.selectors.report_build``) is made of the registered sections, in
# their order: each drafts its opening sentences from its figures and may show a table by child unit.
# An app adds a chapter (care, loans, emulation …) by registering one section; the types below are
# plain data so an app below ``reports`` can describe its section without importing it.


@dataclass(frozen=True)
class ReportColumn:
    """A column of a section's table: the figure of one indicator for each child unit."""

    key: str  # the key of the cell in a row (a template variable: ``r.admitted``)
    label: str
    group: str  # header over several columns (merged cells); "" for a column of its own
    indicator: str
    part: str  # value | target | achievement | numerator | denominator
    kind: str = "int"  # int | pct
    # Columns judged together for "no data": when every figure of the topic is empty (zero or missing)
    # at the reporting unit, its cells show "—" instead of zeros. Default: the header group.
    topic: str = ""

    @property
    def topic_key(self) -> str:
        return self.topic or self.group or self.key


@dataclass(frozen=True)
class ReportTable:
    """A section's table by child unit ("Bảng n. <title> theo đơn vị")."""

    key: str
    title: str
    columns: tuple[ReportColumn, ...]


@dataclass(frozen=True)
class SectionFigures:
    """What a section's ``draft`` gets: the reporting unit's figures (``reports.drafting.Stat``, or
    ``None`` for no data) of the indicators the section reads, and the words around them."""

    period: Any  # ``core.periods.Period``
    area: str  # "toàn huyện"
    start: dt.date
    end: dt.date  # the period end, or the unit's last day when it ended during the period
    ended: bool
    reason: str  # why every figure of the section is missing ("" when some has data)
    stats: dict[str, Any] = field(default_factory=dict)

    def stat(self, code: str) -> Any:
        return self.stats.get(code)


@dataclass(frozen=True)
class ReportSection:
    """A part of the annual/period report: its heading, the table it shows and the function drafting
    its opening sentences from the figures (``draft(SectionFigures) -> list[str]``).

    Consecutive sections with the same ``chapter`` form one chapter ("II. …"). A section with no
    ``chapter_title`` is a chapter of its own headed by ``title``; with one, the chapter is headed by
    ``chapter_title`` and the section is a part under it headed by ``title`` ("1. …")."""

    key: str  # "org", "agreement", "conference": the prefix of its template variables (``org_rows``)
    chapter: str  # "I", "II"
    title: str  # heading of the part
    indicators: tuple[str, ...]  # indicator codes the draft reads (besides the table's)
    draft: Callable[[SectionFigures], list[str]]
    order: int = 100
    table: ReportTable | None = None
    chapter_title: str = ""


_report_sections: dict[str, ReportSection] = {}


def register_report_section(section: ReportSection) -> ReportSection:
    _put(_report_sections, section.key, section, "Report section")
    return section


def unregister_report_section(key: str) -> ReportSection | None:
    """Remove a section (tests that register one of their own); returns what was registered."""
    return _report_sections.pop(key, None)


def report_sections() -> list[ReportSection]:
    return sorted(_report_sections.values(), key=lambda s: (s.order, s.key))


# -- demo loaders (``congdoan demo``) --------------------------------------------------------------


@dataclass
class DemoRun:
    """What a demo loader gets: the command's options, its output and styles."""

    options: dict[str, Any]
    stdout: Any  # the command's OutputWrapper (``write`` adds the newline)
    style: Any  # the command's color style (``style.SUCCESS``)
    results: dict[str, Any] = field(default_factory=dict)  # what a loader returned, by name


@dataclass(frozen=True)
class DemoLoader:
    name: str
    order: int  # loaders run in this order: the tree before members before activity ...
    load: Callable[[DemoRun], Any]
    # Adds the loader's own options to ``congdoan demo`` (``--members``), if any.
    arguments: Callable[[Any], None] | None = None


_demo_loaders: dict[str, DemoLoader] = {}


def register_demo_loader(loader: DemoLoader) -> DemoLoader:
    _put(_demo_loaders, loader.name, loader, "Demo loader")
    return loader


def demo_loaders() -> list[DemoLoader]:
    return sorted(_demo_loaders.values(), key=lambda d: (d.order, d.name))


# -- home page panels (``/``, the officer's day) ---------------------------------------------------
# The home page (``org.views.home``) is made of the registered panels, in their order: each app says what
# its records mean for the user's day (agreements expiring, CĐCS without a conference, reports due …).
# The page builds one :class:`HomeContext` and calls every panel whose roles and levels fit the user.

HOME_LEVELS = ("city", "upper", "cdcs", "ended")  # province/city · district, ward … · CĐCS · ended unit


@dataclass(frozen=True)
class HomeContext:
    """What a panel's ``build`` gets: the user, the units they act for and the day the page shows."""

    user: Any
    units: list[Any]  # ``org.OrgUnit``: the user's scope roots (every top unit for a superuser)
    day: dt.date  # today, or an ended unit's last day
    today: dt.date
    level: str  # one of ``HOME_LEVELS``
    roles: frozenset[str] = frozenset()  # the user's roles (``accounts.models.Role`` values)

    @property
    def unit_ids(self) -> list[int]:
        return [u.pk for u in self.units]


@dataclass(frozen=True)
class HomeItem:
    """One line of "Việc cần làm": what, how urgent (``danger`` overdue, ``warning`` soon, ``info``)."""

    text: str
    url: str = ""
    tone: str = "info"  # danger | warning | info | success
    due: dt.date | None = None
    note: str = ""
    badge: str = ""  # the label before it; default by tone: "Quá hạn", "Sắp đến hạn", "Xong", "Cần xem"


@dataclass(frozen=True)
class HomeLink:
    """A shortcut to a daily task ("Kết nạp đoàn viên", "Nhập dữ liệu" …)."""

    label: str
    url: str
    icon: str = "bi-arrow-right-circle"


@dataclass
class HomeBlock:
    """What ``build`` returns (``None`` hides the panel): a titled card of figures, to-do items and
    shortcuts. ``template`` renders ``context`` inside the card when the plain lists are not enough."""

    title: str
    icon: str = "bi-grid"
    figures: list[tuple[str, Any, str]] = field(default_factory=list)  # (label, value, note or url)
    items: list[HomeItem] = field(default_factory=list)
    links: list[HomeLink] = field(default_factory=list)
    empty: str = ""  # said when there are no figures nor items
    template: str = ""
    context: dict[str, Any] = field(default_factory=dict)
    more_url: str = ""
    more_label: str = "Xem tất cả"


@dataclass(frozen=True)
class HomePanel:
    key: str
    order: int
    build: Callable[[HomeContext], HomeBlock | None]
    # Roles that see it (``accounts.models.Role`` values); empty = every role. A superuser sees all.
    roles: frozenset[str] = frozenset()
    # Levels that see it (``HOME_LEVELS``); empty = every level.
    levels: frozenset[str] = frozenset()
    area: str = "main"  # "todo": the "Việc cần làm" column; "main": the figures


_home_panels: dict[str, HomePanel] = {}


def register_home_panel(panel: HomePanel) -> HomePanel:
    unknown = set(panel.levels) - set(HOME_LEVELS)
    if unknown:
        raise ImproperlyConfigured(f"Home panel «{panel.key}»: unknown levels {sorted(unknown)}")
    _put(_home_panels, panel.key, panel, "Home panel")
    return panel


def unregister_home_panel(key: str) -> HomePanel | None:
    """Remove a panel (tests that register one of their own); returns what was registered."""
    return _home_panels.pop(key, None)


def home_panels(ctx: HomeContext | None = None, *, superuser: bool = False) -> list[HomePanel]:
    """Every panel in order; with ``ctx``, only those whose roles and levels fit the user."""
    panels = sorted(_home_panels.values(), key=lambda p: (p.order, p.key))
    if ctx is None:
        return panels
    return [
        p
        for p in panels
        if (not p.levels or ctx.level in p.levels) and (superuser or not p.roles or p.roles & ctx.roles)
    ]


# -- recovery of background work --------------------------------------------------------------------
# The worker (``imports.worker``) calls each app's recovery once at start and then every minute, to end
# the work a dead worker left unfinished (e.g. report files "running" for ever).


class Recovery(Protocol):
    def __call__(self, *, now: Any = None) -> Any: ...


_recoveries: dict[str, Recovery] = {}


def register_recovery(key: str, recover: Recovery) -> Recovery:
    _put(_recoveries, key, recover, "recovery")
    return recover


def recoveries() -> dict[str, Recovery]:
    return dict(_recoveries)


# -- computed indicators (``indicators.engine`` reads them) ----------------------------------------
# A provider answers ``values(units, start, end) -> {unit_id: number}`` for the units of an id
# subquery and, for drill-down, ``records(units, start, end)``; apps with records to count
# (members, agreements, conferences, …) register theirs (see ``indicators/providers.py`` for helpers).

UnitIds = Any  # an ``id IN (...)`` subquery: tree.in_subtree(...) or a queryset of ids
Values = dict[int, Decimal]


@dataclass(frozen=True)
class Provider:
    code: str
    label: str
    values: Callable[[UnitIds, dt.date, dt.date], Values]
    records: Callable[[UnitIds, dt.date, dt.date], QuerySet[Any]] | None = None
    # URL name of the list page showing ``records`` (drill-down), with ?unit=&from=&to=
    records_url: str = ""
    batch: str = ""  # name of the batch (``register_provider_batch``) that also answers this provider


Batch = Callable[[UnitIds, dt.date, dt.date], dict[str, Values]]

REGISTRY: dict[str, Provider] = {}
BATCHES: dict[str, Batch] = {}


def register_provider(provider: Provider) -> Provider:
    REGISTRY[provider.code] = provider
    return provider


def register_provider_batch(name: str, values: Batch) -> Batch:
    """``values(units, start, end)`` returns ``{provider code: {unit_id: number}}`` for every provider
    registered with ``batch=name`` (an empty dict for a code with nothing to count)."""
    BATCHES[name] = values
    return values


def get_provider(code: str) -> Provider:
    try:
        return REGISTRY[code]
    except KeyError:
        raise ValueError(f"Không có bộ tính «{code}» cho chỉ tiêu.") from None


# -- records changed (kept figures) ---------------------------------------------------------------
# A service that writes records counted by computed indicators (memberships, agreements, conferences …)
# calls ``records_changed(source, unit_ids, dates)`` inside its transaction: the units the records are
# counted at (before and after the change) and every date the change touched (old and new). The
# listeners (``indicators.leaf``: the per-CĐCS figures kept by period) update what they keep in the
# same transaction. Apps below ``indicators`` (members) reach it through here.

RecordsListener = Callable[[str, list[int], list[dt.date | None], list[int]], None]
_records_listeners: list[RecordsListener] = []


def register_records_listener(listener: RecordsListener) -> RecordsListener:
    if listener not in _records_listeners:
        _records_listeners.append(listener)
    return listener


def records_changed(
    source: str, unit_ids: Iterable[int], dates: Iterable[dt.date | None], *, added: Iterable[int] = ()
) -> None:
    """Tell the listeners that records of ``source`` counted at ``unit_ids`` changed on ``dates``.
    ``added``: the change was only the addition of these records (their ids), and nothing else of the
    source changed: a listener may add what they count instead of recounting the units."""
    units, days, records = list(unit_ids), list(dates), list(added)
    for listener in _records_listeners:
        listener(source, units, days, records)


# A unit's own attributes (type, sector, founded_on, dissolved_on) are read by some counted providers too
# (CĐCS counts, enterprise CĐCS, conferences expected …). The org services, which must not name the
# indicators' sources, report such a change under this one name; ``indicators.leaf`` recounts every
# kept source declared as reading units (``keep(…, reads_units=True)``).
UNIT_ATTRIBUTES = "org_units"


def units_changed(unit_ids: Iterable[int], dates: Iterable[dt.date | None] = ()) -> None:
    """The type, sector or dates of ``unit_ids`` changed in the caller's transaction: ``dates`` the
    earliest day from which their figures may differ (old and new dates), none for every period."""
    records_changed(UNIT_ATTRIBUTES, unit_ids, dates)
