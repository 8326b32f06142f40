from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [
    path("", views.activity_list, name="list"),
    path("them/", views.activity_create, name="create"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/sua/", views.activity_edit, name="edit"),
    path("<int:pk>/anh/", views.photo_upload, name="photo_upload"),
    path("anh/<int:pk>/", views.photo, name="photo"),
    path("so-lieu/", views.records, name="records"),
]
