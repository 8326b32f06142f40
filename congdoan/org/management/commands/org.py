"""``congdoan org move|merge|dissolve ... --date D``: dated restructuring from the console (§5).

    congdoan org move UNIT NEW_PARENT --date 2025-08-01 [--reason ...]
    congdoan org merge UNIT INTO --date 01/07/2025
    congdoan org dissolve UNIT --date 2025-06-30 [--children-to CODE]

Dates are ``yyyy-mm-dd`` or ``dd/mm/yyyy``; ``--date`` is the first day of the new situation (a unit
dissolved ``--date 2025-06-30`` has 29/06/2025 as its last day). Without ``--user`` the operator
acts as the system. Every change goes through :mod:`congdoan.org.services` and is audited there.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from congdoan.accounts.scope import OutOfScope
from congdoan.core.formatting import format_date, parse_date
from congdoan.org import services
from congdoan.org.models import OrgUnit


def _label(unit: OrgUnit) -> str:
    return f"«{unit.code}» ({unit.name})"


class Command(BaseCommand):
    help = "Thay đổi tổ chức theo ngày: chuyển đơn vị cấp trên, hợp nhất, giải thể đơn vị."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="THAO_TÁC", title="thao tác")

        def common(p: CommandParser) -> None:
            p.add_argument(
                "--date",
                required=True,
                metavar="NGÀY",
                help="Ngày bắt đầu có hiệu lực, yyyy-mm-dd hoặc dd/mm/yyyy.",
            )
            p.add_argument("--reason", default="", help="Lý do (ghi vào nhật ký thay đổi).")
            p.add_argument("--user", help="Thực hiện với quyền của người dùng này (mặc định: hệ thống).")

        move = sub.add_parser(
            "move", help="Chuyển đơn vị (cùng các đơn vị trực thuộc) sang đơn vị cấp trên mới."
        )
        move.add_argument("unit", metavar="ĐƠN_VỊ", help="Mã đơn vị được chuyển.")
        move.add_argument("new_parent", metavar="CẤP_TRÊN_MỚI", help="Mã đơn vị cấp trên mới.")
        common(move)

        merge = sub.add_parser("merge", help="Hợp nhất đơn vị vào một đơn vị khác.")
        merge.add_argument("unit", metavar="ĐƠN_VỊ", help="Mã đơn vị bị hợp nhất.")
        merge.add_argument("into", metavar="VÀO", help="Mã đơn vị tiếp nhận.")
        common(merge)

        dissolve = sub.add_parser("dissolve", help="Giải thể (chấm dứt hoạt động) đơn vị.")
        dissolve.add_argument("unit", metavar="ĐƠN_VỊ", help="Mã đơn vị bị giải thể.")
        dissolve.add_argument(
            "--children-to", metavar="MÃ", help="Mã đơn vị tiếp nhận các đơn vị trực thuộc (nếu còn)."
        )
        common(dissolve)

    # -- helpers ---------------------------------------------------------------------------------
    def _unit(self, code: str) -> OrgUnit:
        unit = OrgUnit.objects.filter(code=code.strip()).first()
        if unit is None:
            raise CommandError(f"Không tìm thấy đơn vị có mã «{code}».")
        return unit

    def _actor(self, username: str | None) -> Any:
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không tìm thấy người dùng «{username}».")
        if not user.is_active:
            raise CommandError(f"Tài khoản «{username}» đã bị khóa.")
        return user

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            on = parse_date(options["date"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        actor = self._actor(options.get("user"))
        action = options["action"]
        reason = options.get("reason") or ""
        unit = self._unit(options["unit"])
        try:
            if action == "move":
                parent = self._unit(options["new_parent"])
                services.unit_move(actor=actor, unit=unit, new_parent=parent, on=on, reason=reason)
                message = (
                    f"Đã chuyển {_label(unit)} sang trực thuộc {_label(parent)} từ ngày {format_date(on)}."
                )
            elif action == "merge":
                into = self._unit(options["into"])
                services.unit_merge(actor=actor, unit=unit, into=into, on=on, reason=reason)
                message = f"Đã hợp nhất {_label(unit)} vào {_label(into)} từ ngày {format_date(on)}."
            else:
                children_to = self._unit(options["children_to"]) if options.get("children_to") else None
                services.unit_dissolve(actor=actor, unit=unit, on=on, children_to=children_to, reason=reason)
                last_day = on - dt.timedelta(days=1)
                message = (
                    f"Đã giải thể {_label(unit)} từ ngày {format_date(on)} "
                    f"(ngày hoạt động cuối: {format_date(last_day)})."
                )
                if children_to is not None:
                    message += f" Các đơn vị trực thuộc chuyển về {_label(children_to)}."
        except OutOfScope:
            raise CommandError(
                f"Không tìm thấy đơn vị trong phạm vi được quyền thay đổi của người dùng «{options['user']}»."
            ) from None
        except ValidationError as exc:
            for text in exc.messages:
                self.stderr.write(text)
            raise CommandError("Không thực hiện được; không có thay đổi nào được lưu.") from None
        self.stdout.write(message)
