from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("congdoan.org.urls")),
    path("tai-khoan/", include("congdoan.accounts.urls")),
    path("doan-vien/", include("congdoan.members.urls")),
    path("nhap-du-lieu/", include("congdoan.imports.urls")),
    path("chi-tieu/", include("congdoan.indicators.urls")),
    path("thoa-uoc/", include("congdoan.bargaining.urls")),
    path("hoi-nghi/", include("congdoan.conferences.urls")),
    path("cham-lo/", include("congdoan.care.urls")),
    path("tro-von/", include("congdoan.loans.urls")),
    path("thi-dua/", include("congdoan.emulation.urls")),
    path("nhiem-vu/", include("congdoan.plans.urls")),
    path("kien-nghi/", include("congdoan.recommendations.urls")),
    path("hoat-dong/", include("congdoan.activities.urls")),
    path("kiem-tra-giam-sat/", include("congdoan.inspections.urls")),
    path("tranh-chap/", include("congdoan.disputes.urls")),
    path("bao-cao/", include("congdoan.reports.urls")),
    path("kiem-tra-so-lieu/", include("congdoan.figures.urls")),
    path("api/v1/", include("congdoan.api.urls")),
    path("admin/", admin.site.urls),
]

# Vietnamese error pages that say why (not found, out of scope, read-only); DEBUG too (ErrorPageMiddleware).
handler404 = "congdoan.accounts.errors.page_not_found"
handler403 = "congdoan.accounts.errors.permission_denied"
handler500 = "congdoan.accounts.errors.server_error"
