from django.urls import path

from . import views

app_name = "recommendations"

urlpatterns = [
    path("", views.rec_list, name="list"),
    path("them/", views.rec_create, name="create"),
    path("<int:pk>/", views.rec_detail, name="detail"),
    path("<int:pk>/tra-loi/", views.rec_answer, name="answer"),
    path("<int:pk>/chuyen/", views.rec_route, name="route"),
    path("<int:pk>/dong/", views.rec_close, name="close"),
]
