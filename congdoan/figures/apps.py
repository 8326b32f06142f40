from django.apps import AppConfig


class FiguresConfig(AppConfig):
    name = "congdoan.figures"
    label = "figures"
    verbose_name = "Kiểm tra số liệu báo cáo"

    def ready(self) -> None:
        """Plug the figure checker into the kernel (``congdoan.core.registry``): a link in the bar."""
        from congdoan.core import registry

        registry.register_nav_entry("Kiểm tra số liệu", "figures:check", "bi-check2-square", 65)
