from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "congdoan.recommendations"
    label = "recommendations"
    verbose_name = "Kiến nghị"

    def ready(self) -> None:
        """Plug the recommendations into the kernel (``congdoan.core.registry``)."""
        from congdoan.core import registry

        # The computed indicators (raised, answered, waiting, overdue) register themselves on import.
        from . import api, demo, home, providers, report  # noqa: F401

        registry.register_api_route("recommendations", api.RecommendationViewSet, "recommendation", order=151)
        registry.register_nav_menu("work", "Công tác", "bi-clipboard-check", 85)
        registry.register_nav_entry("Kiến nghị", "recommendations:list", "bi-megaphone", 87, menu="work")
        registry.register_report_section(report.SECTION)
        registry.register_home_panel(home.PANEL)
        registry.register_demo_loader(
            registry.DemoLoader("recommendations", 63, demo.demo_command_recommendations)
        )
