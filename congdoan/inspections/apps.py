from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "congdoan.inspections"
    label = "inspections"
    verbose_name = "Kiểm tra, giám sát"

    def ready(self) -> None:
        """Plug the inspections app into the kernel (``congdoan.core.registry``)."""
        from congdoan.core import registry

        from . import api, demo, providers, report  # noqa: F401

        registry.register_api_route("inspections", api.InspectionViewSet, "inspection", order=162)
        registry.register_nav_menu("work", "Công tác", "bi-clipboard-check", 85)
        registry.register_nav_entry("Kiểm tra, giám sát", "inspections:list", "bi-search", 89, menu="work")
        registry.register_report_section(report.SECTION)
        registry.register_demo_loader(registry.DemoLoader("inspections", 65, demo.demo_command_inspections))
