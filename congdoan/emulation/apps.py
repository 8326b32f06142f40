from django.apps import AppConfig


class EmulationConfig(AppConfig):
    name = "congdoan.emulation"
    label = "emulation"
    verbose_name = "Thi đua, khen thưởng"

    def ready(self) -> None:
        """Plug the emulation app into the kernel (``congdoan.core.registry``)."""
        from . import providers  # noqa: F401  (the computed indicators register on import)
