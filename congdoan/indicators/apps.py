from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "congdoan.indicators"
    label = "indicators"
    verbose_name = "Chỉ tiêu và kết quả"

    def ready(self) -> None:
        """Plug the indicators app into the kernel (``congdoan.core.registry``)."""
        from congdoan.core import registry

        # Computed providers register themselves when their modules are imported.
        from . import api, demo, home, imports, leaf, providers  # noqa: F401  (leaf: the records listener)

        registry.register_importer(
            registry.Importer(
                kind="indicators",
                label="Danh mục chỉ tiêu",
                help="Nhập danh mục chỉ tiêu.",
                columns="code,name,unit,aggregation,numerator,denominator",
                run=imports.import_indicators,
                order=30,
                web=False,  # the catalogue and the figures have their own pages (/chi-tieu/)
            )
        )
        registry.register_importer(
            registry.Importer(
                kind="values",
                label="Chỉ tiêu giao và kết quả thực hiện",
                help="Nhập chỉ tiêu giao (target) và kết quả thực hiện (actual).",
                columns="unit_code,indicator_code,period,kind,value",
                run=imports.import_values,
                order=40,
                # Web-enabled: every row goes through target_set/value_set, which check the actor's
                # scope (404 → a row error). The targets grid uploads through this kind.
                web=True,
            )
        )
        registry.register_api_route("indicators", api.IndicatorViewSet, "indicator", order=80)
        registry.register_api_route("targets", api.TargetViewSet, "target", order=90)
        registry.register_api_route("values", api.ValueViewSet, "value", order=100)
        registry.register_api_route("achievements", api.AchievementViewSet, "achievement", order=110)

        registry.register_home_panel(home.PANEL)
        registry.register_nav_entry("Chỉ tiêu", "indicators:dashboard", "bi-bullseye", 50)

        registry.register_demo_loader(registry.DemoLoader("catalogue", 30, demo.demo_command_catalogue))
