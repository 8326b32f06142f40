from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "congdoan.activities"
    label = "activities"
    verbose_name = "Hoạt động, phong trào"

    def ready(self) -> None:
        """Plug the activities app into the kernel (``congdoan.core.registry``)."""
        from congdoan.core import registry

        # The computed indicators of activities register themselves on import.
        from . import api, attendee_import, demo, providers, report  # noqa: F401

        registry.register_importer(attendee_import.IMPORTER)
        registry.register_api_route("activities", api.ActivityViewSet, "activity", order=160)
        registry.register_api_route("activity-kinds", api.ActivityKindViewSet, "activity-kind", order=161)
        registry.register_nav_menu("work", "Công tác", "bi-clipboard-check", 85)
        registry.register_nav_entry(
            "Hoạt động, phong trào", "activities:list", "bi-calendar-event", 88, menu="work"
        )
        registry.register_report_section(report.SECTION)
        registry.register_demo_loader(registry.DemoLoader("activities", 64, demo.demo_command_activities))
