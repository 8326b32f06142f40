from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "congdoan.care"
    label = "care"
    verbose_name = "Chăm lo đoàn viên"

    def ready(self) -> None:
        """Plug the care app into the kernel (``congdoan.core.registry``)."""
        # The computed indicators of care register themselves on import.
        from . import providers  # noqa: F401
