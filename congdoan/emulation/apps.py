from django.apps import AppConfig


class EmulationConfig(AppConfig):
    name = "congdoan.emulation"
    label = "emulation"
    verbose_name = "Thi đua, khen thưởng"

    def ready(self) -> None:
        """Plug the emulation app into the kernel (``congdoan.core.registry``)."""
        from congdoan.core import registry

        from . import api, award_import, demo, providers, report, sheet_import  # noqa: F401

        registry.register_importer(
            registry.Importer(
                kind=sheet_import.KIND,
                label="Bảng điểm thi đua",
                help="Nhập điểm tự chấm và/hoặc điểm thẩm định bảng điểm thi đua, mỗi dòng một tiêu chí.",
                columns=sheet_import.HEADER,
                run=sheet_import.import_sheets,
                order=140,
            )
        )
        registry.register_importer(
            registry.Importer(
                kind=award_import.KIND,
                label="Đề nghị, quyết định khen thưởng",
                help=(
                    "Nhập danh sách đề nghị khen thưởng (tập thể hoặc cá nhân), "
                    "kèm số và ngày quyết định nếu đã có."
                ),
                columns=award_import.HEADER,
                run=award_import.import_awards,
                order=141,
            )
        )

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

        registry.register_nav_entry(
            "Phong trào, đăng ký thi đua", "emulation:movements", "bi-flag", 84, menu="emulation"
        )

        registry.register_report_section(report.SECTION)
        registry.register_demo_loader(registry.DemoLoader("emulation", 60, demo.demo_command_emulation))
