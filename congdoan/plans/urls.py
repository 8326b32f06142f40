from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.task_list, name="list"),
    path("qua-han/", views.task_overdue, name="overdue"),
    path("them/", views.task_create, name="create"),
    path("giao/", views.task_hand_down, name="hand_down"),
    path("<int:pk>/", views.task_detail, name="detail"),
    path("<int:pk>/sua/", views.task_edit, name="edit"),
    path("<int:pk>/minh-chung/", views.task_evidence, name="evidence"),
    path("<int:pk>/trang-thai/<str:step>/", views.task_step, name="step"),
]
