"""``/api/v1/``: the router is built from the routes each app registers in its ``AppConfig.ready()``
(``core.registry.register_api_route``); this module names no app."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from congdoan.core.registry import api_routes

router = DefaultRouter()
for route in api_routes():
    router.register(route.prefix, route.viewset, basename=route.basename)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
]
