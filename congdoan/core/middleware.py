"""Request checks every page and API endpoint shares."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

NUL_MESSAGE = "Tham số trong địa chỉ chứa ký tự NUL (\\0), không hợp lệ."


class RejectNulInQueryMiddleware:
    """Answer 400 to a query string carrying a NUL character (``?search=%00``).

    PostgreSQL refuses NUL in text, so such a value reaching a filter was a 500 on every list with a
    search box; SQLite took it. Form and serializer fields already refuse NUL; raw ``request.GET``
    reads (search, unit, period, ...) did not. One check here instead of one in every view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": NUL_MESSAGE}, status=400)
            return HttpResponseBadRequest(NUL_MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
