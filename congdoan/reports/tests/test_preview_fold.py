"""Issue 12 item 5: the city's preview lists the upper unions first and folds the CĐCS directly under
it (a page of them, then "Xem tất cả"); the Word/PDF/Excel files keep every row."""

from __future__ import annotations

import re

import pytest

from congdoan.reports import views

pytestmark = pytest.mark.django_db


def _rows(html: str, table: str) -> list[str]:
    body = html.split(f'id="bang-{table}"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<td class="vn-name">([^<]+)</td>', body)


def test_preview_folds_the_cdcs_after_the_upper_unions(client, data, monkeypatch) -> None:
    monkeypatch.setattr(views, "FOLD_ROWS", 3)
    client.force_login(data.fed.thanhpho)
    html = client.get("/bao-cao/HN/?period=2025").content.decode()
    names = _rows(html, "org")
    assert names[0] == "Tổng cộng"
    upper = [n for n in names[1:] if not n.startswith("CĐCS")]
    assert names[1 : 1 + len(upper)] == upper  # wards and districts before any CĐCS
    assert "Công đoàn phường Kim Liên" in upper
    assert len(names) == 1 + len(upper) + 3
    match = re.search(r"Công đoàn cơ sở trực thuộc trực tiếp \((\d+)\)", html)
    assert match is not None
    total = int(match.group(1))
    assert total > 3
    assert f"Xem tất cả {total} CĐCS" in html and "cdcs=tat-ca" in html

    full = client.get("/bao-cao/HN/?period=2025&cdcs=tat-ca").content.decode()
    assert len(_rows(full, "org")) == 1 + len(upper) + total
    assert "Xem tất cả" not in full


def test_city_tree_lists_ward_unions_before_cdcs(client, data) -> None:
    client.force_login(data.fed.thanhpho)
    html = client.get("/cay-to-chuc/nhanh/HN/").content.decode()
    codes = re.findall(r'data-code="([^"]+)"', html)
    assert codes.index("KL") < min(codes.index(c) for c in codes if c.startswith("GL") and c[2:].isdigit())
