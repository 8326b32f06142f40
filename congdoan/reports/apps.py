from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "congdoan.reports"
    label = "reports"
    verbose_name = "Báo cáo"

    def ready(self) -> None:
        """Plug the reports app into the kernel (``congdoan.core.registry``)."""
        from congdoan.core import registry

        from . import api, demo, home, sections, services

        registry.register_api_route("reports", api.GeneratedReportViewSet, "report", order=60)
        registry.register_recovery("reports", services.reports_recover)
        registry.register_home_panel(home.PANEL)
        registry.register_demo_loader(registry.DemoLoader("deadlines", 50, demo.demo_command_deadlines))
        registry.register_nav_entry("Báo cáo", "reports:index", "bi-file-earmark-richtext", 60)

        # The sections of the annual/period report; ``selectors.report_build`` makes the report from
        # ``registry.report_sections()``, so another app adds a chapter by registering its own.
        for section in sections.SECTIONS:
            registry.register_report_section(section)
