from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "congdoan.members"
    label = "members"
    verbose_name = "Đoàn viên"

    def ready(self) -> None:
        """Plug the members app into the kernel (``congdoan.core.registry``)."""
        from congdoan.core import registry

        from . import api, demo, member_import

        registry.register_importer(
            registry.Importer(
                kind="members",
                label="Đoàn viên",
                help="Nhập đoàn viên và nơi sinh hoạt (CĐCS).",
                columns="cdcs_code,full_name,birth_date,gender,cccd,phone,join_date,card_number",
                run=member_import.import_members,
                order=20,
            )
        )
        registry.register_api_route("members", api.MemberViewSet, "member", order=30)

        # "Đoàn viên" holds the member list and the import page (registered by ``imports``).
        registry.register_nav_menu("members", "Đoàn viên", "bi-people", 70)
        registry.register_nav_entry("Danh sách đoàn viên", "members:list", "bi-people", 71, menu="members")

        registry.register_demo_loader(
            registry.DemoLoader(
                "members", 20, demo.demo_command_members, arguments=demo.demo_command_arguments
            )
        )
