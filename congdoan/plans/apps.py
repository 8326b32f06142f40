from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "congdoan.plans"
    label = "plans"
    verbose_name = "Nhiệm vụ trọng tâm"

    def ready(self) -> None:
        """Plug the key tasks into the kernel (``congdoan.core.registry``)."""
        from congdoan.core import registry

        # The computed indicators (tasks due, completed, open) register themselves on import.
        from . import api, demo, home, providers, report, task_import  # noqa: F401

        registry.register_importer(
            registry.Importer(
                kind=task_import.KIND,
                label="Nhiệm vụ trọng tâm",
                help="Nhập nhiệm vụ trọng tâm của đơn vị hoặc giao cho đơn vị cấp dưới.",
                columns=task_import.HEADER,
                run=task_import.import_tasks,
                order=90,
            )
        )
        registry.register_api_route("key-tasks", api.KeyTaskViewSet, "key-task", order=150)
        registry.register_nav_menu("work", "Công tác", "bi-clipboard-check", 85)
        registry.register_nav_entry("Nhiệm vụ trọng tâm", "plans:list", "bi-list-check", 86, menu="work")
        registry.register_report_section(report.SECTION)
        registry.register_home_panel(home.PANEL)
        registry.register_demo_loader(registry.DemoLoader("plans", 62, demo.demo_command_plans))
