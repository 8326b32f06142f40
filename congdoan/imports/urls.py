from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/trang-tinh/", views.choose_sheet, name="choose_sheet"),
    path("<int:pk>/nhap/", views.commit, name="commit"),
    path("<int:pk>/tien-do/", views.progress, name="progress"),
    path("<int:pk>/huy/", views.cancel, name="cancel"),
]
