from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "congdoan.care"
    label = "care"
    verbose_name = "Chăm lo đoàn viên"
