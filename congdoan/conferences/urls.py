from django.urls import path

from . import views

app_name = "conferences"

urlpatterns = [
    path("", views.conference_list, name="list"),
    path("them/", views.conference_create, name="create"),
    path("<int:pk>/", views.conference_detail, name="detail"),
    path("<int:pk>/sua/", views.conference_edit, name="edit"),
    path("don-vi/", views.units, name="units"),
    # Drill-down targets of the indicator providers (``?unit=&from=&to=``).
    path("so-lieu/hoi-nghi-nld/", views.records, {"preset": "workers"}, name="records_workers"),
    path("so-lieu/doanh-nghiep/", views.records, {"preset": "enterprises"}, name="records_enterprises"),
    path("so-lieu/hoi-nghi-cbccvc/", views.records, {"preset": "civil"}, name="records_civil"),
    path("so-lieu/co-quan-hcsn/", views.records, {"preset": "public"}, name="records_public"),
    path("so-lieu/doi-thoai/", views.records, {"preset": "dialogues"}, name="records_dialogues"),
]
