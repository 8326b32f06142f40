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
    path("tro-von/", include("congdoan.loans.urls")),
    path("bao-cao/", include("congdoan.reports.urls")),
    path("api/v1/", include("congdoan.api.urls")),
    path("admin/", admin.site.urls),
]
