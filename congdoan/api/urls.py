"""``/api/v1/``: the router is built from the routes each app registers in its ``AppConfig.ready()``
(``core.registry.register_api_route``); this module names no app."""

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseBase
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.exceptions import NotAuthenticated
from rest_framework.routers import DefaultRouter

from congdoan.core.registry import api_routes


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI for signed-in users (SERVE_PERMISSIONS); a visitor is sent to the login page.

    The split view serves its start-up script as a file, which the Content-Security-Policy allows."""

    # DRF's stubs say Response; any HttpResponse is accepted at run time (finalize_response).
    def handle_exception(self, exc: Exception) -> HttpResponseBase:  # type: ignore[override]
        if isinstance(exc, NotAuthenticated):
            return redirect_to_login(self.request.get_full_path())
        return super().handle_exception(exc)


router = DefaultRouter()
for route in api_routes():
    router.register(route.prefix, route.viewset, basename=route.basename)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
]
