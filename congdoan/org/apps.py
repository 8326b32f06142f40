from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "congdoan.org"
    label = "org"
    verbose_name = "Tổ chức công đoàn"
