"""API of members: scoped, filterable, with CCCD/phone/birth date masked unless the role needs them."""

from __future__ import annotations

from functools import cached_property
from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from congdoan.accounts.scope import user_scope
from congdoan.core.formatting import format_number
from congdoan.core.lookups import ID_IN_URL

from . import privacy, selectors
from .models import Gender, Membership
from .pagination import SEARCH_COUNT_CAP, MemberSearchPagination


class MembershipSerializer(serializers.ModelSerializer):
    person_id = serializers.IntegerField(source="person.pk", read_only=True)
    full_name = serializers.CharField(source="person.full_name", read_only=True)
    gender = serializers.ChoiceField(source="person.gender", choices=Gender.choices, read_only=True)
    birth_date = serializers.SerializerMethodField()
    cccd = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    union_join_date = serializers.DateField(source="person.union_join_date", read_only=True)
    cdcs_code = serializers.CharField(source="cdcs.code", read_only=True)
    cdcs_name = serializers.CharField(source="cdcs.name", read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "person_id",
            "full_name",
            "gender",
            "birth_date",
            "cccd",
            "phone",
            "cdcs_code",
            "cdcs_name",
            "union_join_date",
            "join_date",
            "card_number",
            "status",
            "end_date",
            "end_reason",
        ]

    def _full(self) -> bool:
        return bool(self.context.get("personal_data"))

    def get_birth_date(self, m: Membership) -> str | None:
        if m.person.birth_date is None:
            return None
        return m.person.birth_date.isoformat() if self._full() else privacy.mask_birth_date(m.person)

    def get_cccd(self, m: Membership) -> str:
        return (m.person.cccd or "") if self._full() else privacy.mask(m.person.cccd)

    def get_phone(self, m: Membership) -> str:
        return m.person.phone if self._full() else privacy.mask(m.person.phone, 3, 3)


class MembershipFilter(django_filters.FilterSet):
    cdcs = django_filters.CharFilter(field_name="cdcs__code")
    gender = django_filters.ChoiceFilter(field_name="person__gender", choices=Gender.choices)
    # Bounded like the list page's filter: year 0 or 10^9 is no date and used to end in a 500.
    join_year = django_filters.NumberFilter(
        field_name="join_date", lookup_expr="year", min_value=1900, max_value=2100, step_size=1
    )

    class Meta:
        model = Membership
        fields = ["cdcs", "gender", "join_year"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        messages = self.form.fields["join_year"].error_messages
        for key in ("invalid", "min_value", "max_value", "step_size"):
            messages[key] = "Năm vào công đoàn phải là số nguyên từ 1900 đến 2100, ví dụ 2025."


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "search",
                OpenApiTypes.STR,
                description=(
                    "Tên không dấu, số CCCD/SĐT đầy đủ (một phần số chỉ với vai trò được xem dữ liệu cá"
                    " nhân; mọi lần tìm theo số đều được ghi nhật ký), hoặc một phần số thẻ."
                    " Khi tìm kiếm, `count` chỉ đếm đến"
                    f" {format_number(SEARCH_COUNT_CAP)}: `count_is_lower_bound` = true nghĩa là có nhiều hơn"
                    " `count` kết quả (các trang dừng ở đó: hãy thu hẹp tìm kiếm)."
                ),
            ),
            OpenApiParameter(
                "status", OpenApiTypes.STR, description="active (mặc định), transferred, left, removed, all"
            ),
        ]
    )
)
class MemberViewSet(viewsets.ReadOnlyModelViewSet):
    """Memberships in the caller's subtrees. Full personal data only for roles that need it (logged).

    With ``search``, ``count`` stops at ``pagination.SEARCH_COUNT_CAP`` (1,000): ``count_is_lower_bound``
    is then ``true`` (more matches than ``count``) and the pages stop at the cap — narrow the search.
    Without it the count is exact (``count_is_lower_bound``: ``false``).
    """

    serializer_class = MembershipSerializer
    lookup_value_regex = ID_IN_URL
    filterset_class = MembershipFilter
    pagination_class = MemberSearchPagination

    def get_queryset(self) -> QuerySet[Membership]:
        return self._memberships()

    def get_count_queryset(self) -> QuerySet[Membership]:
        """The same rows in the form that counts fastest (``MemberSearchPagination``)."""
        return self.filter_queryset(self._memberships(for_count=True))

    def _memberships(self, *, for_count: bool = False) -> QuerySet[Membership]:
        status = self.request.query_params.get("status", Membership.Status.ACTIVE)
        return selectors.membership_list(
            user=self.request.user,
            status=None if status == "all" else status,
            search=self.request.query_params.get("search", ""),
            for_count=for_count,
            reads=self._reads,
        )

    @cached_property
    def _reads(self) -> dict[Any, Any]:
        """The scope's unit ids and a digit search's matches, read once for the page and its count (a
        viewset lives one request)."""
        return {}

    def get_object(self) -> Membership:
        try:
            pk = int(self.kwargs["pk"])
        except ValueError as exc:
            from django.http import Http404

            raise Http404 from exc
        return selectors.membership_get(user=self.request.user, pk=pk)

    def get_serializer_context(self) -> dict[str, Any]:
        full = privacy.can_see_personal_data(user_scope(self.request.user))
        return {**super().get_serializer_context(), "personal_data": full}

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        data = getattr(response, "data", None)
        rows = len(data.get("results", [])) if isinstance(data, dict) else 0
        if (
            response.status_code == 200
            and self.action == "list"
            and selectors.searches_personal_numbers(request.query_params.get("search", ""))
        ):
            # Searching CCCD/phone digits tests personal data, masked or not: logged like a full view.
            privacy.log_access(user=request.user, action="search", detail=request.get_full_path(), rows=rows)
        if response.status_code == 200 and privacy.can_see_personal_data(user_scope(request.user)):
            privacy.log_access(
                user=request.user, action="api", detail=request.get_full_path(), rows=rows or 1
            )
        return super().finalize_response(request, response, *args, **kwargs)
