from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("giao/", views.targets, name="targets"),
    path("giao/mau/", views.targets_template, name="targets_template"),
    path("nhap/", views.entry, name="entry"),
    path("so-lieu/", views.values, name="values"),
    path("ban-ghi/", views.records, name="records"),
    path("cum/<int:pk>/", views.cluster, name="cluster"),
    path("<str:code>/", views.by_unit, name="by_unit"),
]
