"""The phrases shipped with congdoan (loaded by a data migration; administrators edit them after).

(phrase, indicator code, kind) — ``kind`` "" is any kind of figure. The phrases follow how officers
write and how ``reports.drafting`` drafts ("phát triển 5/4 đoàn viên", "7/8 CĐCS có thỏa ước")."""

from __future__ import annotations

DEFAULTS: list[tuple[str, str, str]] = [
    ("phát triển # đoàn viên", "DV_KET_NAP", ""),
    ("kết nạp # đoàn viên", "DV_KET_NAP", ""),
    ("kết nạp mới # đoàn viên", "DV_KET_NAP", ""),
    ("# đoàn viên mới", "DV_KET_NAP", ""),
    ("có # đoàn viên", "DV_TONG", "count"),
    ("tổng số # đoàn viên", "DV_TONG", "count"),
    ("# đoàn viên nữ", "DV_NU", "count"),
    ("thành lập # CĐCS", "CDCS_THANH_LAP", ""),
    ("thành lập # công đoàn cơ sở", "CDCS_THANH_LAP", ""),
    ("sinh hoạt tại # CĐCS", "CDCS_TONG", "count"),
    ("có # CĐCS", "CDCS_TONG", "count"),
    ("có # công đoàn cơ sở", "CDCS_TONG", "count"),
    ("ký mới # bản", "TU_KY_MOI", ""),
    ("ký kết # bản", "TU_KY_MOI", ""),
    ("ký mới # thỏa ước", "TU_KY_MOI", ""),
    ("ký lại # bản", "TU_KY_LAI", ""),
    ("# CĐCS có thỏa ước", "TL_CO_THOA_UOC", "ratio"),
    ("# CĐCS có thỏa ước", "TU_CON_HIEU_LUC", "count"),
    ("tỷ lệ CĐCS có thỏa ước #", "TL_CO_THOA_UOC", "percent"),
    ("# bản xếp loại A B", "TL_LOAI_AB", "ratio"),
    ("# bản thỏa ước xếp loại A B", "TL_LOAI_AB", "ratio"),
    ("tỷ lệ thỏa ước xếp loại A B #", "TL_LOAI_AB", "percent"),
    ("# doanh nghiệp tổ chức hội nghị người lao động", "TL_HN_NLD", "ratio"),
    ("# cơ quan đơn vị tổ chức hội nghị", "TL_HN_CBCCVC", "ratio"),
    ("# cuộc đối thoại", "DOI_THOAI", ""),
    ("bằng # tổng số lao động", "TL_BAO_PHU", "percent"),
    ("trợ cấp # đoàn viên", "TRO_CAP_NGUOI", "count"),
    ("# đoàn viên được trợ cấp", "TRO_CAP_NGUOI", "count"),
    ("# lượt đoàn viên được trợ cấp", "TRO_CAP_NGUOI", "count"),
    ("trợ cấp #", "TRO_CAP_TIEN", "money"),
    ("# buổi tuyên truyền", "TUYEN_TRUYEN", ""),
]
