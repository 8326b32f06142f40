from django.urls import path

from . import views

app_name = "loans"

urlpatterns = [
    path("", views.loan_list, name="list"),
    path("<int:pk>/", views.loan_detail, name="detail"),
    path("<int:pk>/tra-no/", views.repayment_create, name="repay"),
    path("<int:pk>/kiem-tra/", views.check_create, name="check"),
    path("<int:pk>/sao-ke/", views.loan_statement, name="statement"),
    path("<int:pk>/<slug:action>/", views.loan_action, name="action"),
    path("du-an/", views.project_list, name="projects"),
    path("du-an/them/", views.project_create, name="project_create"),
    path("du-an/<int:pk>/", views.project_detail, name="project"),
    path("du-an/<int:pk>/<slug:action>/", views.project_action, name="project_action"),
    path("qua-han/", views.arrears, name="arrears"),
    path("qua-han/tinh-lai/", views.arrears_recompute, name="arrears_recompute"),
    path("qua-han/tinh-lai/<int:pk>/", views.arrears_run, name="arrears_run"),
    path("quy/", views.fund_list, name="funds"),
    path("quy/<int:pk>/sao-ke/", views.fund_statement, name="fund_statement"),
]
