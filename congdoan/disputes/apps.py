from django.apps import AppConfig


class DisputesConfig(AppConfig):
    name = "congdoan.disputes"
    label = "disputes"
    verbose_name = "Tranh chấp lao động, ngừng việc tập thể"

    def ready(self) -> None:
        """Plug the disputes app into the kernel (``congdoan.core.registry``)."""
        from congdoan.core import registry

        from . import api, demo, providers, report  # noqa: F401

        registry.register_api_route("disputes", api.DisputeViewSet, "dispute", order=163)
        registry.register_api_route("sentiment-notes", api.SentimentViewSet, "sentiment-note", order=164)
        registry.register_nav_menu("work", "Công tác", "bi-clipboard-check", 85)
        registry.register_nav_entry(
            "Tranh chấp, ngừng việc", "disputes:list", "bi-exclamation-octagon", 90, menu="work"
        )
        registry.register_report_section(report.SECTION)
        registry.register_demo_loader(registry.DemoLoader("disputes", 66, demo.demo_command_disputes))
