from django.apps import AppConfig


class EmulationConfig(AppConfig):
    name = "congdoan.emulation"
    label = "emulation"
    verbose_name = "Thi đua, khen thưởng"

    def ready(self) -> None:
        """Plug the emulation app into the kernel (``congdoan.core.registry``)."""
        from congdoan.core import registry

        from . import api, demo, providers, report  # noqa: F401  (the computed indicators register on import)

        registry.register_api_route("emulation-sheets", api.ScoreSheetViewSet, "emulation-sheet", order=140)
        registry.register_api_route(
            "emulation-awards", api.AwardProposalViewSet, "emulation-award", order=141
        )
        registry.register_api_route("emulation-clusters", api.ClusterViewSet, "emulation-cluster", order=142)

        registry.register_nav_menu("emulation", "Thi đua", "bi-trophy", 80)
        registry.register_nav_entry(
            "Bảng điểm thi đua", "emulation:sheets", "bi-clipboard-check", 81, menu="emulation"
        )
        registry.register_nav_entry("Xếp loại CĐCS", "emulation:grades", "bi-bar-chart", 82, menu="emulation")
        registry.register_nav_entry(
            "Cụm thi đua, bình xét", "emulation:clusters", "bi-people", 83, menu="emulation"
        )
        registry.register_nav_entry("Khen thưởng", "emulation:awards", "bi-award", 84, menu="emulation")
        registry.register_nav_entry(
            "Sáng kiến, công trình", "emulation:initiatives", "bi-lightbulb", 85, menu="emulation"
        )

        registry.register_report_section(report.SECTION)
        registry.register_demo_loader(registry.DemoLoader("emulation", 60, demo.demo_command_emulation))
