from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "congdoan.care"
    label = "care"
    verbose_name = "Chăm lo đoàn viên"

    def ready(self) -> None:
        """Plug the care app into the kernel (``congdoan.core.registry``)."""
        from congdoan.core import registry

        # The computed indicators of care register themselves on import.
        from . import api, care_import, demo, providers, report  # noqa: F401

        registry.register_importer(
            registry.Importer(
                kind=care_import.KIND,
                label="Danh sách chăm lo, hỗ trợ",
                help="Nhập danh sách hồ sơ hỗ trợ của một chương trình chăm lo (quà Tết, trợ cấp …).",
                columns=care_import.HEADER,
                run=care_import.import_cases,
                order=50,
            )
        )
        registry.register_api_route("care-campaigns", api.CampaignViewSet, "care-campaign", order=60)
        registry.register_api_route("care-cases", api.CaseViewSet, "care-case", order=61)
        registry.register_api_route("care-payments", api.PaymentViewSet, "care-payment", order=62)
        registry.register_nav_menu("care", "Chăm lo", "bi-heart", 45)
        registry.register_nav_entry("Chương trình chăm lo", "care:campaign_list", "bi-gift", 46, menu="care")
        registry.register_nav_entry("Hồ sơ hỗ trợ", "care:case_list", "bi-person-check", 47, menu="care")
        registry.register_nav_entry("Mái ấm Công đoàn", "care:houses", "bi-house-heart", 48, menu="care")
        registry.register_nav_entry("Phúc lợi đoàn viên", "care:deals", "bi-tags", 49, menu="care")
        registry.register_report_section(report.SECTION)
        registry.register_demo_loader(registry.DemoLoader("care", 45, demo.demo_command_care))
