from typing import Any

from django.http import HttpRequest

from .scope import user_scope


def scope(request: HttpRequest) -> dict[str, Any]:
    """Expose the user's scope to templates (lazily: only pages that use it pay for it)."""
    if not request.user.is_authenticated:
        return {}
    return {"scope": user_scope(request.user)}
