from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("", views.member_list, name="list"),
    path("them/", views.member_admit, name="admit"),
    path("<int:person_id>/", views.member_detail, name="detail"),
    path("<int:person_id>/sua/", views.member_edit, name="edit"),
    path("<int:person_id>/chuyen-sinh-hoat/", views.member_transfer, name="transfer"),
    path("<int:person_id>/thoi-sinh-hoat/", views.member_leave, name="leave"),
    path("so-lao-dong/<str:code>/", views.workforce_record, name="workforce"),
]
