from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("congdoan.org.urls")),
    path("tai-khoan/", include("congdoan.accounts.urls")),
    path("api/v1/", include("congdoan.api.urls")),
    path("admin/", admin.site.urls),
]
