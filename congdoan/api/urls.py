from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from congdoan.bargaining.api import AgreementViewSet
from congdoan.conferences.api import ConferenceViewSet
from congdoan.imports.api import ImportJobViewSet
from congdoan.indicators.api import AchievementViewSet, IndicatorViewSet, TargetViewSet, ValueViewSet
from congdoan.members.api import MemberViewSet
from congdoan.org.api import EmployerViewSet, UnitViewSet
from congdoan.reports.api import GeneratedReportViewSet

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
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
]
