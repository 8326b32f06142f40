from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "congdoan.reports"
    label = "reports"
    verbose_name = "Báo cáo"

    def ready(self) -> None:
        """Plug the reports app into the kernel (``congdoan.core.registry``)."""
        from congdoan.core import registry

        from . import api, drafting, services

        registry.register_api_route("reports", api.GeneratedReportViewSet, "report", order=60)
        registry.register_recovery("reports", services.reports_recover)
        registry.register_nav_entry("Báo cáo", "reports:index", "bi-file-earmark-richtext", 60)

        # The sections of the annual/period report. ``selectors.report_build`` still builds these three
        # itself; the entries say which table and indicators each part uses, so a new app's section
        # has a place to go. TODO: build the parts from ``registry.report_sections()``.
        for section in (
            registry.ReportSection(
                key="org",
                chapter="I",
                title="CÔNG TÁC TỔ CHỨC VÀ PHÁT TRIỂN ĐOÀN VIÊN",
                indicators=("DV_KET_NAP", "DV_TONG", "CDCS_THANH_LAP", "CDCS_TONG", "TL_BAO_PHU"),
                draft=drafting.membership_paragraphs,
                order=10,
            ),
            registry.ReportSection(
                key="agreement",
                chapter="II",
                title="1. Thương lượng, ký kết thỏa ước lao động tập thể",
                indicators=("TU_KY_MOI", "TL_CO_THOA_UOC", "TL_LOAI_AB"),
                draft=drafting.agreement_paragraphs,
                order=20,
            ),
            registry.ReportSection(
                key="conference",
                chapter="II",
                title="2. Hội nghị người lao động, Hội nghị cán bộ, công chức, viên chức "
                "và đối thoại tại nơi làm việc",
                indicators=("TL_HN_NLD", "TL_HN_CBCCVC", "DOI_THOAI"),
                draft=drafting.conference_paragraphs,
                order=30,
            ),
        ):
            registry.register_report_section(section)
