from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "congdoan.imports"
    label = "imports"
    verbose_name = "Nhập dữ liệu"

    def ready(self) -> None:
        """Plug the import pages into the kernel (``congdoan.core.registry``). The kinds of file are not
        listed here: each app registers its own importer."""
        from congdoan.core import registry

        from . import api, home

        registry.register_home_panel(home.PANEL)
        registry.register_api_route("imports", api.ImportJobViewSet, "import", order=70)
        registry.register_nav_menu("members", "Đoàn viên", "bi-people", 70)
        registry.register_nav_entry(
            "Nhập dữ liệu từ Excel", "imports:upload", "bi-upload", 72, menu="members"
        )
