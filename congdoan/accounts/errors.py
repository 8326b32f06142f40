"""Vietnamese error pages that say why (issue 12): not found, out of scope, read-only, forbidden, error.

``handler404`` / ``handler403`` / ``handler500`` in ``congdoan/urls.py`` point here; with DEBUG on,
:class:`ErrorPageMiddleware` renders the same pages instead of Django's English debug pages (a 500 keeps
the debug page, which the developer needs). The status stays what it was: out of scope is still 404,
so a record's existence never leaks; a read-only officer (every unit ended) learns only what is
true of every page: that the account may only read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import Resolver404, resolve

from congdoan.core.formatting import format_date

from .scope import user_scope

__all__ = ["ErrorPageMiddleware", "error_context", "page_not_found", "permission_denied", "server_error"]

# Last path segments of pages that add, change or remove something: a read-only officer asking for
# one is told the unit ended, not "not found".
WRITE_SEGMENTS = frozenset(
    {
        "them",
        "sua",
        "them-truc-thuoc",
        "chuyen",
        "hop-nhat",
        "giai-the",
        "ky-lai",
        "chuyen-sinh-hoat",
        "thoi-sinh-hoat",
        "tao",
        "huy",
        "doi-mat-khau",
    }
)

MSG_NOT_FOUND = "Trang hoặc bản ghi này không tồn tại, hoặc không thuộc phạm vi đơn vị bạn được giao."
MSG_NO_PAGE = "Địa chỉ này không phải một trang của hệ thống. Hãy kiểm tra lại đường dẫn hoặc dùng trình đơn."
MSG_FORBIDDEN = "Tài khoản của bạn không có quyền thực hiện thao tác này."


def _is_write(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        return True
    segments = [s for s in request.path_info.split("/") if s]
    return bool(segments) and segments[-1] in WRITE_SEGMENTS


def _read_only_reason(request: HttpRequest) -> str:
    """ "«LĐLĐ huyện Gia Lâm» đã chấm dứt hoạt động từ 30/06/2025 …" for a user whose units all ended."""
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    scope = user_scope(user)
    until = scope.read_only_until
    if until is None:
        return ""
    units = apps.get_model("org", "OrgUnit")._default_manager.filter(pk__in=scope.root_ids)
    ended = [u for u in units if u.dissolved_on is not None]
    names = ", ".join(f"«{u.name}»" for u in ended) or "Đơn vị của bạn"
    since = max((u.dissolved_on for u in ended if u.dissolved_on), default=until + dt.timedelta(days=1))
    return (
        f"{names} đã chấm dứt hoạt động từ {format_date(since)}. Tài khoản của bạn chỉ được xem số liệu "
        f"đến ngày {format_date(until)}: không thể thêm mới, sửa hoặc xóa."
    )


def _own_message(exception: BaseException | None) -> str:
    """The exception's message when it was written for users (Vietnamese), else ""."""
    if exception is None or not exception.args:
        return ""
    message = str(exception.args[0])
    return message if any(ord(c) > 127 for c in message) else ""


def error_context(
    request: HttpRequest, status: int, exception: BaseException | None = None
) -> dict[str, Any]:
    """Title, reason and kind (``read_only``, ``forbidden``, ``not_found``, ``no_page``) of an error page."""
    read_only = _read_only_reason(request) if status in (403, 404) and _is_write(request) else ""
    if read_only:
        return {"kind": "read_only", "title": "Chỉ được xem, không được thay đổi", "reason": read_only}
    if status == 403:
        return {
            "kind": "forbidden",
            "title": "Không có quyền",
            "reason": _own_message(exception) or MSG_FORBIDDEN,
        }
    try:
        resolve(request.path_info)
    except Resolver404:
        return {"kind": "no_page", "title": "Không có trang này", "reason": MSG_NO_PAGE}
    return {
        "kind": "not_found",
        "title": "Không tìm thấy",
        "reason": _own_message(exception) or MSG_NOT_FOUND,
    }


def page_not_found(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    """``handler404``."""
    return render(request, "errors/error.html", error_context(request, 404, exception), status=404)


def permission_denied(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    """``handler403``."""
    return render(request, "errors/error.html", error_context(request, 403, exception), status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: a self-contained page (no menu, no database), as the failure may be there."""
    return HttpResponseServerError(loader.get_template("500.html").render())


class ErrorPageMiddleware:
    """With DEBUG on, the Vietnamese 404/403 pages instead of Django's English debug pages (the API
    keeps its JSON answers). With DEBUG off the handlers above already answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.DEBUG and not self._skipped(request):
            try:
                resolve(request.path_info)
            except Resolver404:
                # An unknown address: APPEND_SLASH (CommonMiddleware, outside) still redirects "/x" to "/x/".
                return page_not_found(request)
        return self.get_response(request)

    @staticmethod
    def _skipped(request: HttpRequest) -> bool:
        path = request.path_info
        return path.startswith(("/api/", "/admin/", "/" + str(settings.STATIC_URL or "static/").lstrip("/")))

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not settings.DEBUG or self._skipped(request):
            return None
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            return permission_denied(request, exception)
        return None
