from typing import Any

from django.http import HttpRequest

from .models import Role, RoleAssignment
from .navigation import main_menu
from .scope import Scope, user_scope


def scope(request: HttpRequest) -> dict[str, Any]:
    """Expose the user's scope to templates (lazily: only pages that use it pay for it)."""
    if not request.user.is_authenticated:
        return {}
    scope = user_scope(request.user)
    return {
        "scope": scope,
        "scope_roots": lambda: scope_root_labels(scope),
        "main_menu": lambda: main_menu(scope, request.resolver_match),
    }


def scope_root_labels(scope: Scope) -> list[str]:
    """ "Công đoàn phường Kim Liên · Cán bộ ..." for each active assignment (called lazily by templates)."""
    # The unit model is the one role assignments point at (the kernel imports no domain app).
    units: Any = RoleAssignment._meta.get_field("unit").related_model._default_manager
    names = units.in_bulk(scope.root_ids)
    return [f"{names[r.unit_id].name} · {Role(r.role).label}" for r in scope.roots if r.unit_id in names]
