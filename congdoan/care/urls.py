from django.urls import path

from . import views

app_name = "care"

urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("chuong-trinh/them/", views.campaign_create, name="campaign_create"),
    path("chuong-trinh/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("chuong-trinh/<int:pk>/de-xuat/", views.case_create, name="case_create"),
    path("chuong-trinh/<int:pk>/duyet/", views.approve_batch, name="approve_batch"),
    path("chuong-trinh/<int:pk>/chi/", views.pay_batch, name="pay_batch"),
    path("chuong-trinh/<int:pk>/tep-chi-ho/", views.bank_file, name="bank_file"),
    path("chuong-trinh/<int:pk>/danh-sach-ky-nhan/", views.cash_list, name="cash_list"),
    path("ho-so/", views.case_list, name="case_list"),
    path("ho-so/<int:pk>/", views.case_detail, name="case_detail"),
    path("ho-so/<int:pk>/duyet/", views.case_approve, name="case_approve"),
    path("ho-so/<int:pk>/chi/", views.case_pay, name="case_pay"),
    path("ho-so/<int:pk>/hoan/", views.case_reverse, name="case_reverse"),
    path("so-lieu/", views.records, name="records"),
    path("ho-so/<int:pk>/tai-lieu/", views.document_upload, name="document_upload"),
    path("ho-so/<int:pk>/tai-lieu/<int:doc>/", views.document_download, name="document_download"),
    path("mai-am/", views.houses, name="houses"),
    path("mai-am/them/", views.house_create, name="house_create"),
    path("phuc-loi/", views.deals, name="deals"),
    path("phuc-loi/them/", views.deal_create, name="deal_create"),
]
