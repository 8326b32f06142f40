from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "congdoan.api"
    label = "api"
    verbose_name = "API"
