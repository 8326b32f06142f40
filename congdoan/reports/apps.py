from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "congdoan.reports"
    label = "reports"
    verbose_name = "Báo cáo"
