from django.urls import path

from . import views

app_name = "bargaining"

urlpatterns = [
    path("", views.agreement_list, name="agreement_list"),
    path("them/", views.agreement_create, name="agreement_create"),
    path("sap-het-han/", views.expiring, name="expiring"),
    path("cdcs-het-han/", views.lapsed, name="lapsed"),
    path("cdcs/", views.cdcs_list, name="cdcs_list"),
    path("<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("<int:pk>/sua/", views.agreement_edit, name="agreement_edit"),
    path("<int:pk>/ky-lai/", views.agreement_renew, name="agreement_renew"),
    path("<int:pk>/tep/", views.agreement_file, name="agreement_file"),
    # Drill-down targets of the indicator providers (``?unit=&from=&to=``).
    path("so-lieu/ky-moi/", views.records, {"preset": "new"}, name="records_new"),
    path("so-lieu/ky-lai/", views.records, {"preset": "resigned"}, name="records_resigned"),
    path("so-lieu/sua-doi/", views.records, {"preset": "amended"}, name="records_amended"),
    path("so-lieu/loai-ab/", views.records, {"preset": "grade_ab"}, name="records_grade_ab"),
    path("so-lieu/da-xep-loai/", views.records, {"preset": "graded"}, name="records_graded"),
    path("so-lieu/cdcs-co-thoa-uoc/", views.records, {"preset": "cdcs_valid"}, name="records_cdcs_valid"),
    path(
        "so-lieu/cdcs-doanh-nghiep/",
        views.records,
        {"preset": "enterprise_cdcs"},
        name="records_enterprise_cdcs",
    ),
]
