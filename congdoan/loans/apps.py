from django.apps import AppConfig


class LoansConfig(AppConfig):
    name = "congdoan.loans"
    label = "loans"
    verbose_name = "Quỹ trợ vốn CNVCLĐ nghèo"

    def ready(self) -> None:
        """Plug the loan fund into the kernel (``congdoan.core.registry``)."""
        from congdoan.core import registry

        # The computed indicators (loans disbursed, outstanding, PAR) register themselves on import.
        from . import api, demo, loan_import, providers, report, services  # noqa: F401

        registry.register_importer(
            registry.Importer(
                kind=loan_import.KIND,
                label="Dự án vay vốn và người vay",
                help="Nhập dự án vay vốn của CĐCS với đề nghị vay của từng đoàn viên (Quỹ trợ vốn).",
                columns=loan_import.HEADER,
                run=loan_import.import_loans,
                order=55,
            )
        )
        registry.register_api_route("loans", api.LoanViewSet, "loan", order=130)
        registry.register_api_route("loan-projects", api.ProjectViewSet, "loan-project", order=131)
        registry.register_api_route("loan-funds", api.FundViewSet, "loan-fund", order=132)
        registry.register_api_route("loan-products", api.ProductViewSet, "loan-product", order=133)

        registry.register_nav_menu("loans", "Trợ vốn", "bi-cash-coin", 75)
        registry.register_nav_entry("Khoản vay", "loans:list", "bi-list-ul", 76, menu="loans")
        registry.register_nav_entry("Dự án vay vốn", "loans:projects", "bi-folder2", 77, menu="loans")
        registry.register_nav_entry(
            "Nợ quá hạn", "loans:arrears", "bi-exclamation-triangle", 78, menu="loans"
        )
        registry.register_nav_entry("Quỹ và sản phẩm", "loans:funds", "bi-bank", 79, menu="loans")

        registry.register_report_section(report.SECTION)
        registry.register_recovery("loans_arrears", services.arrears_recover)
        registry.register_demo_loader(registry.DemoLoader("loans", 55, demo.demo_command_loans))
