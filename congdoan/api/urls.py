from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseBase
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.exceptions import NotAuthenticated
from rest_framework.routers import DefaultRouter

from congdoan.bargaining.api import AgreementViewSet
from congdoan.conferences.api import ConferenceViewSet
from congdoan.imports.api import ImportJobViewSet
from congdoan.indicators.api import AchievementViewSet, IndicatorViewSet, TargetViewSet, ValueViewSet
from congdoan.members.api import MemberViewSet
from congdoan.org.api import EmployerViewSet, UnitViewSet
from congdoan.reports.api import GeneratedReportViewSet


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI for signed-in users (SERVE_PERMISSIONS); a visitor is sent to the login page.

    The split view serves its start-up script as a file, which the Content-Security-Policy allows."""

    # DRF's stubs say Response; any HttpResponse is accepted at run time (finalize_response).
    def handle_exception(self, exc: Exception) -> HttpResponseBase:  # type: ignore[override]
        if isinstance(exc, NotAuthenticated):
            return redirect_to_login(self.request.get_full_path())
        return super().handle_exception(exc)


router = DefaultRouter()
router.register("units", UnitViewSet, basename="unit")
router.register("employers", EmployerViewSet, basename="employer")
router.register("members", MemberViewSet, basename="member")
router.register("agreements", AgreementViewSet, basename="agreement")
router.register("conferences", ConferenceViewSet, basename="conference")
router.register("reports", GeneratedReportViewSet, basename="report")
router.register("imports", ImportJobViewSet, basename="import")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("targets", TargetViewSet, basename="target")
router.register("values", ValueViewSet, basename="value")
router.register("achievements", AchievementViewSet, basename="achievement")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
]
