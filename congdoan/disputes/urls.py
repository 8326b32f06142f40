from django.urls import path

from . import views

app_name = "disputes"

urlpatterns = [
    path("", views.dispute_list, name="list"),
    path("them/", views.dispute_create, name="create"),
    path("<int:pk>/", views.dispute_detail, name="detail"),
    path("<int:pk>/sua/", views.dispute_edit, name="edit"),
    path("<int:pk>/hoa-giai/", views.mediation_add, name="mediation"),
    path("<int:pk>/ket-qua/", views.dispute_close, name="close"),
    path("tu-tuong/", views.sentiment_list, name="sentiment_list"),
    path("tu-tuong/them/", views.sentiment_create, name="sentiment_create"),
]
