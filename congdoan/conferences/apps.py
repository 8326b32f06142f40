from django.apps import AppConfig


class ConferencesConfig(AppConfig):
    name = "congdoan.conferences"
    label = "conferences"
    verbose_name = "Hội nghị người lao động và đối thoại"

    def ready(self) -> None:
        """Plug the conferences app into the kernel (``congdoan.core.registry``)."""
        from congdoan.core import registry

        # The computed indicators of conferences and dialogues register themselves on import.
        from . import api, demo, home, providers  # noqa: F401

        registry.register_home_panel(home.PANEL)
        registry.register_api_route("conferences", api.ConferenceViewSet, "conference", order=50)

        registry.register_nav_menu("representation", "Đại diện", "bi-file-earmark-text", 40)
        registry.register_nav_entry(
            "Hội nghị, đối thoại", "conferences:list", "bi-chat-square-text", 42, menu="representation"
        )

        # Agreements, conferences and the 2024 targets, after the members and the catalogue.
        registry.register_demo_loader(registry.DemoLoader("activity", 40, demo.demo_command_activity))
