from django.apps import AppConfig


class BargainingConfig(AppConfig):
    name = "congdoan.bargaining"
    label = "bargaining"
    verbose_name = "Thỏa ước lao động tập thể"

    def ready(self) -> None:
        """Plug the bargaining app into the kernel (``congdoan.core.registry``)."""
        from congdoan.core import registry

        # The computed indicators of agreements register themselves on import.
        from . import api, home, providers  # noqa: F401

        registry.register_home_panel(home.PANEL)
        registry.register_api_route("agreements", api.AgreementViewSet, "agreement", order=40)

        # "Đại diện" (representing the workers) holds agreements and conferences; both apps register it.
        registry.register_nav_menu("representation", "Đại diện", "bi-file-earmark-text", 40)
        registry.register_nav_entry(
            "Thỏa ước lao động tập thể",
            "bargaining:agreement_list",
            "bi-file-earmark-text",
            41,
            menu="representation",
        )
        # The demo's agreements are loaded with the conferences (``conferences.demo.load_activity``).
