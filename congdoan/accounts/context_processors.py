from typing import Any

from django.http import HttpRequest

from .models import Role
from .scope import Scope, user_scope


def scope(request: HttpRequest) -> dict[str, Any]:
    """Expose the user's scope to templates (lazily: only pages that use it pay for it)."""
    if not request.user.is_authenticated:
        return {}
    scope = user_scope(request.user)
    return {"scope": scope, "scope_roots": lambda: scope_root_labels(scope)}


def scope_root_labels(scope: Scope) -> list[str]:
    """ "Công đoàn phường Kim Liên · Cán bộ ..." for each active assignment (called lazily by templates)."""
    from congdoan.org.models import OrgUnit

    names = OrgUnit.objects.in_bulk(scope.root_ids)
    return [f"{names[r.unit_id].name} · {Role(r.role).label}" for r in scope.roots if r.unit_id in names]
