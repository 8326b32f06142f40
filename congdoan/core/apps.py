from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "congdoan.core"
    label = "core"
    verbose_name = "Dùng chung"

    def ready(self) -> None:
        from .tables import cached_signatures

        cached_signatures()
