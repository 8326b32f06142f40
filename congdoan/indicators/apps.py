from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "congdoan.indicators"
    label = "indicators"
    verbose_name = "Chỉ tiêu và kết quả"

    def ready(self) -> None:
        # Computed providers register themselves when their modules are imported.
        from . import providers  # noqa: F401
