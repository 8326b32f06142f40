from django.apps import AppConfig


class LoansConfig(AppConfig):
    name = "congdoan.loans"
    label = "loans"
    verbose_name = "Quỹ trợ vốn CNVCLĐ nghèo"
