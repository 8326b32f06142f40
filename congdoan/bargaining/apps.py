from django.apps import AppConfig


class BargainingConfig(AppConfig):
    name = "congdoan.bargaining"
    label = "bargaining"
    verbose_name = "Thỏa ước lao động tập thể"

    def ready(self) -> None:
        # The computed indicators of agreements register themselves on import.
        from . import providers  # noqa: F401
