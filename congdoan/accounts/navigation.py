"""The main menu of ``base.html``, built from the entries the apps register
(``core.registry.register_nav_entry`` / ``register_nav_menu``) and filtered by the user's roles.

Highlighting: a link of its own in the bar is active on every page of its app (URL namespace), or
only on its own page when registered ``exact`` (the overview and the tree are pages of ``org``); a
dropdown is active on the pages of the apps of its entries — unless an exact link claims the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from congdoan.core import registry

from .scope import Scope


@dataclass
class MenuItem:
    label: str
    icon: str
    url: str = "#"
    active: bool = False
    children: list[MenuItem] = field(default_factory=list)


def _visible(entry: registry.NavEntry, scope: Scope) -> bool:
    if not entry.roles or scope.is_global:
        return True
    return any(root.role in entry.roles for root in scope.roots)


def main_menu(scope: Scope, resolver_match: Any = None) -> list[MenuItem]:
    """The menu for a user with ``scope`` on the page ``resolver_match`` (``request.resolver_match``)."""
    namespace = getattr(resolver_match, "namespace", "") or ""
    here = f"{namespace}:{getattr(resolver_match, 'url_name', '') or ''}"
    menus = registry.nav_menus()
    entries = [e for e in registry.nav_entries() if _visible(e, scope)]

    top: list[tuple[int, MenuItem, set[str], registry.NavEntry | None]] = []
    dropdowns: dict[str, tuple[MenuItem, set[str]]] = {}
    for entry in entries:
        item = MenuItem(entry.label, entry.icon, reverse(entry.url_name))
        if not entry.menu:
            top.append((entry.order, item, {entry.namespace}, entry))
            continue
        if entry.menu not in dropdowns:
            menu = menus[entry.menu]
            dropdown = MenuItem(menu.label, menu.icon)
            dropdowns[entry.menu] = (dropdown, set())
            top.append((menu.order, dropdown, dropdowns[entry.menu][1], None))
        dropdown, namespaces = dropdowns[entry.menu]
        dropdown.children.append(item)
        namespaces.add(entry.namespace)
    top.sort(key=lambda row: row[0])

    exact = [item for _, item, _, link in top if link is not None and link.exact and link.url_name == here]
    if exact:
        exact[0].active = True
    else:
        for _, item, namespaces, link in top:
            if (link is None or not link.exact) and namespace in namespaces:
                item.active = True
    return [item for _, item, _, _ in top]
