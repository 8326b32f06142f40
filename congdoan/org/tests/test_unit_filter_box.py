"""The "Đơn vị (mã)" box of the agreement, conference and member lists is read by one function
(``org.filters.unit_from_code``): a unit in the user's scope narrows the list, one outside it (or
unknown) gives the same Vietnamese error and an empty list, never the unit's records."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db
LISTS = ["bargaining:agreement_list", "conferences:list", "members:list"]
OUT_OF_SCOPE = "Không tìm thấy đơn vị có mã «{code}» trong phạm vi của bạn."


def _get(user, name: str, unit: str):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client.get(reverse(name), {"unit": unit})


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("code", ["GL2", "KHONG-CO"])
def test_a_unit_outside_the_scope_is_an_error_on_the_box(fed, name: str, code: str) -> None:
    response = _get(fed.kimlien, name, f"{code} (đã chọn)")
    assert response.status_code == 200
    assert response.context["filter"].form.errors == {"unit": [OUT_OF_SCOPE.format(code=code)]}
    assert OUT_OF_SCOPE.format(code=code) in response.content.decode()


@pytest.mark.parametrize("name", LISTS)
def test_a_unit_in_scope_is_selected(fed, name: str) -> None:
    response = _get(fed.kimlien, name, "GL1")
    assert response.status_code == 200
    assert not response.context["filter"].form.errors
    assert response.context["filter"].selected_unit == fed.gl1
