"""The imports panel of the home page: the user's own recent jobs (done, with errors), and the upload
shortcut for users who may import."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from congdoan.imports import services
from congdoan.imports.home import imports_panel
from congdoan.org.home import home_context

pytestmark = pytest.mark.django_db

GOOD = "code,name,type,parent_code\nKL9,CĐCS Công ty Mới,CDCS,KL\n".encode()
BAD = "code,name,type,parent_code\nKL8,CĐCS Sai,KHONG_CO,KL\n".encode()


def _job(user, body: bytes, name: str):  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile(name, body, content_type="text/csv")
    return services.job_validate(job=services.job_create(actor=user, kind="units", upload=upload))


def test_recent_jobs_of_the_user_only(fed) -> None:
    good = _job(fed.kimlien, GOOD, "don-vi.csv")
    bad = _job(fed.kimlien, BAD, "sai.csv")
    _job(fed.thanhpho, GOOD, "cua-thanh-pho.csv")
    block = imports_panel(home_context(fed.kimlien))
    assert block is not None
    assert [i.url for i in block.items] == [bad.get_absolute_url(), good.get_absolute_url()]
    assert block.items[0].tone == "danger" and "1 lỗi" in block.items[0].note
    assert "sai.csv" in block.items[0].text and "có lỗi" in block.items[0].text
    assert block.items[1].tone == "warning"  # validated, waiting to be imported
    assert not any("cua-thanh-pho" in i.text for i in block.items)
    assert [link.label for link in block.links] == ["Nhập dữ liệu từ Excel"]


def test_read_only_user_without_jobs_gets_no_panel(fed) -> None:
    assert imports_panel(home_context(fed.gialam)) is None
    assert imports_panel(home_context(fed.viewer)) is None
