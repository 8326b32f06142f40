from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "congdoan.accounts"
    label = "accounts"
    verbose_name = "Người dùng và phân quyền"
