from django.urls import path

from . import views

app_name = "emulation"

urlpatterns = [
    path("", views.sheet_list, name="sheets"),
    path("bang-diem/them/", views.sheet_create, name="sheet_create"),
    path("bang-diem/<int:pk>/", views.sheet_detail, name="sheet"),
    path("bang-diem/<int:pk>/<str:step>/", views.sheet_score, name="sheet_score"),
    path("bang-diem/<int:pk>/buoc/<str:step>/", views.sheet_step, name="sheet_step"),
    path("xep-loai/", views.grades, name="grades"),
    path("cum/", views.cluster_list, name="clusters"),
    path("cum/<int:pk>/", views.cluster_detail, name="cluster"),
    path("cum/<int:pk>/<str:action>/", views.cluster_action, name="cluster_action"),
    path("khen-thuong/", views.award_list, name="awards"),
    path("khen-thuong/quyet-dinh/", views.decision_create, name="decision_create"),
    path("khen-thuong/<int:pk>/", views.award_detail, name="award"),
    path("khen-thuong/<int:pk>/giay-chung-nhan/", views.award_certificate, name="certificate"),
    path("khen-thuong/de-nghi/", views.proposal_create, name="proposal_create"),
    path("khen-thuong/mau-giay-chung-nhan/", views.certificate_template, name="certificate_template"),
    path("sang-kien/", views.initiative_list, name="initiatives"),
    path("sang-kien/them/", views.initiative_create, name="initiative_create"),
    path("phong-trao/", views.movement_list, name="movements"),
    path("phong-trao/them/", views.movement_create, name="movement_create"),
    path("phong-trao/dang-ky/", views.registration_create, name="registration_create"),
]
