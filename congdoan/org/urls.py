from django.urls import path

from . import views

app_name = "org"

urlpatterns = [
    path("", views.home, name="home"),
    path("cay-to-chuc/", views.tree, name="tree"),
    path("cay-to-chuc/tim-kiem/", views.tree_search, name="tree_search"),
    path("cay-to-chuc/nhanh/<str:code>/", views.tree_children, name="tree_children"),
    path("goi-y/don-vi/", views.unit_suggest, name="unit_suggest"),
    path("don-vi/", views.unit_list, name="unit_list"),
    path("don-vi/<str:code>/", views.unit_detail, name="unit_detail"),
    path("don-vi/<str:code>/sua/", views.unit_edit, name="unit_edit"),
    path("don-vi/<str:code>/them-truc-thuoc/", views.unit_create, name="unit_create"),
    path("don-vi/<str:code>/chuyen/", views.unit_move, name="unit_move"),
    path("don-vi/<str:code>/hop-nhat/", views.unit_merge, name="unit_merge"),
    path("don-vi/<str:code>/giai-the/", views.unit_dissolve, name="unit_dissolve"),
    path("doanh-nghiep/", views.employer_list, name="employer_list"),
    path("doanh-nghiep/them/", views.employer_create, name="employer_create"),
    path("doanh-nghiep/<int:pk>/", views.employer_detail, name="employer_detail"),
    path("doanh-nghiep/<int:pk>/sua/", views.employer_edit, name="employer_edit"),
    path("cum-thi-dua/", views.cluster_list, name="cluster_list"),
    path("phat-trien-to-chuc/", views.organising, name="organising"),
]
