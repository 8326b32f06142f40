from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "congdoan.org"
    label = "org"
    verbose_name = "Tổ chức công đoàn"

    def ready(self) -> None:
        """Plug the org app into the kernel (``congdoan.core.registry``)."""
        from congdoan.core import registry

        from . import api, demo, home, tree, unit_import

        # The dated tree behind every scope (``accounts.scope`` reads it through the registry).
        registry.register_org_tree(tree)
        registry.register_importer(
            registry.Importer(
                kind="units",
                label="Đơn vị công đoàn",
                help="Nhập đơn vị công đoàn và quan hệ trực thuộc.",
                columns="code,name,type,parent_code[,sector,valid_from]",
                run=unit_import.import_units,
                order=10,
            )
        )
        registry.register_api_route("units", api.UnitViewSet, "unit", order=10)
        registry.register_api_route("employers", api.EmployerViewSet, "employer", order=20)

        registry.register_nav_entry("Tổng quan", "org:home", "bi-speedometer2", 10, exact=True)
        registry.register_nav_entry("Cây tổ chức", "org:tree", "bi-diagram-3", 20, exact=True)
        registry.register_nav_menu("org", "Tổ chức", "bi-building", 30)
        registry.register_nav_entry("Đơn vị", "org:unit_list", "bi-building", 31, menu="org")
        registry.register_nav_entry("Doanh nghiệp", "org:employer_list", "bi-briefcase", 32, menu="org")
        registry.register_nav_entry("Phát triển tổ chức", "org:organising", "bi-flag", 33, menu="org")
        registry.register_nav_entry("Cụm thi đua", "org:cluster_list", "bi-trophy", 34, menu="org")

        for panel in home.PANELS:
            registry.register_home_panel(panel)

        registry.register_demo_loader(registry.DemoLoader("units", 10, demo.demo_command_units))
        registry.register_demo_loader(registry.DemoLoader("logins", 1000, demo.demo_command_logins))
