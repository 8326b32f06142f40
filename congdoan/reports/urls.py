from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("mau/", views.templates, name="templates"),
    path("cum/<int:pk>/", views.cluster, name="cluster"),
    path("mau/bien/", views.variables, name="variables"),
    path("tep/<int:pk>/", views.detail, name="detail"),
    path("tep/<int:pk>/tien-do/", views.progress, name="progress"),
    path("tep/<int:pk>/tai-ve/", views.download, name="download"),
    path("<str:code>/", views.preview, name="preview"),
    path("<str:code>/tao/", views.generate, name="generate"),
]
