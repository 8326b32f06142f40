"""The kernel's registries, as the apps fill them in their ``AppConfig.ready()`` and as the readers use
them: ``congdoan import``, the upload page and the API, the API router, the main menu, the demo."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import resolve, reverse
from rest_framework.test import APIClient

from congdoan.accounts.navigation import MenuItem, main_menu
from congdoan.accounts.scope import scope_for
from congdoan.core import registry
from congdoan.imports import services as import_services
from congdoan.imports.models import ImportJob

UNITS_CSV = "code,name,type,parent_code\nKL9,CĐCS Công ty Mới,CDCS,KL\n".encode()


# -- the dated tree --------------------------------------------------------------------------------


def test_the_scope_reads_the_tree_org_registered() -> None:
    from congdoan.org import tree

    assert registry.org_tree() is tree
    with pytest.raises(ImproperlyConfigured):
        registry.register_org_tree(registry._RegisteredTree())  # a second tree is a wiring mistake


# -- importers -------------------------------------------------------------------------------------


def test_the_four_kinds_of_architecture_5_with_their_columns() -> None:
    columns = {kind: i.columns for kind, i in registry.importers().items()}
    assert columns == {
        "units": "code,name,type,parent_code[,sector,valid_from]",
        "members": "cdcs_code,full_name,birth_date,gender,cccd,phone,join_date,card_number",
        "indicators": "code,name,unit,aggregation,numerator,denominator",
        "values": "unit_code,indicator_code,period,kind,value",
        "care-cases": (
            "campaign_code,unit_code,full_name,cccd,amount[,employer,reason,bank_account,bank_name,proposed_on]"
        ),
        "loans": (
            "project_code,cdcs_code,product_code,submitted_on,cccd,amount,term[,project_name,full_name,purpose]"
        ),
        "key-tasks": "unit_code,title,start_on,deadline[,by_code,source,owner,description]",
        "attendees": "activity_id,full_name[,cccd,gender,workplace]",
        "emulation-sheets": "unit_code,year,criterion_code[,self_points,appraised_points,evidence,comment]",
        "emulation-awards": (
            "unit_code,form,level,year[,cccd,achievement,absent_days,months_employed,disciplined,"
            "issuer_code,decision_number,decision_date,signer]"
        ),
    }
    # values check scope per row (target_set/value_set); the catalogue has no permission check: CLI only.
    assert list(registry.importers(web=True)) == [
        "units",
        "members",
        "values",
        "care-cases",
        "loans",
        "key-tasks",
        "attendees",
        "emulation-sheets",
        "emulation-awards",
    ]
    # ImportJob.kind takes its choices from the same registry.
    assert ImportJob._meta.get_field("kind").choices == registry.importer_choices()


def test_registering_a_kind_twice_differently_is_refused() -> None:
    units = registry.importers()["units"]
    registry.register_importer(units)  # the same entry again (ready() run twice) is fine
    with pytest.raises(ImproperlyConfigured):
        registry.register_importer(registry.Importer("units", "Khác", "", "code", units.run))
    assert registry.importers()["units"] is units


@pytest.mark.django_db
def test_cli_import_runs_the_registered_importer_and_refuses_an_unknown_kind(fed, tmp_path) -> None:
    path = tmp_path / "units.csv"
    path.write_bytes(UNITS_CSV)
    out = StringIO()
    call_command("import", "units", str(path), "--dry-run", stdout=out, stderr=StringIO())
    assert "Chạy thử" in out.getvalue()
    with pytest.raises(CommandError, match="invalid choice: 'salaries'"):  # not a registered kind
        call_command("import", "salaries", str(path), stderr=StringIO())


@pytest.mark.django_db
def test_upload_accepts_web_kinds_only(fed) -> None:
    upload = SimpleUploadedFile("dv.csv", UNITS_CSV, content_type="text/csv")
    job = import_services.job_validate(
        job=import_services.job_create(actor=fed.kimlien, kind="units", upload=upload)
    )
    assert job.status == ImportJob.Status.VALIDATED
    assert job.get_kind_display() == "Đơn vị công đoàn"
    with pytest.raises(ValidationError) as refused:
        import_services.job_create(actor=fed.kimlien, kind="indicators", upload=upload)
    assert "Không có loại dữ liệu «indicators»" in str(refused.value)


@pytest.mark.django_db
def test_upload_form_and_api_offer_the_web_kinds(fed) -> None:
    client = Client()
    client.force_login(fed.kimlien)
    page = client.get(reverse("imports:upload")).content.decode()
    assert 'value="units"' in page and 'value="members"' in page and 'value="values"' in page
    assert 'value="indicators"' not in page  # the catalogue: CLI only
    api = APIClient()
    api.force_authenticate(fed.kimlien)
    upload = SimpleUploadedFile(
        "ct.csv", b"code,name,unit,aggregation,numerator,denominator\n", content_type="text/csv"
    )
    response = api.post("/api/v1/imports/", {"kind": "indicators", "file": upload}, format="multipart")
    assert response.status_code == 400 and "kind" in response.json()
    assert ImportJob.objects.count() == 0


# -- API routes ------------------------------------------------------------------------------------

ROUTES = {
    "units": "unit",
    "employers": "employer",
    "members": "member",
    "agreements": "agreement",
    "conferences": "conference",
    "care-campaigns": "care-campaign",
    "care-cases": "care-case",
    "care-payments": "care-payment",
    "loans": "loan",
    "loan-projects": "loan-project",
    "loan-funds": "loan-fund",
    "loan-products": "loan-product",
    "emulation-sheets": "emulation-sheet",
    "emulation-awards": "emulation-award",
    "emulation-clusters": "emulation-cluster",
    "key-tasks": "key-task",
    "recommendations": "recommendation",
    "activities": "activity",
    "activity-kinds": "activity-kind",
    "inspections": "inspection",
    "disputes": "dispute",
    "sentiment-notes": "sentiment-note",
    "reports": "report",
    "imports": "import",
    "indicators": "indicator",
    "targets": "target",
    "values": "value",
    "achievements": "achievement",
}


def test_the_router_has_the_registered_routes_with_their_urls_and_basenames() -> None:
    assert {r.prefix: r.basename for r in registry.api_routes()} == ROUTES
    for prefix, basename in ROUTES.items():
        assert reverse(f"{basename}-list") == f"/api/v1/{prefix}/"
        assert resolve(f"/api/v1/{prefix}/").url_name == f"{basename}-list"


# -- the main menu ---------------------------------------------------------------------------------


def _shape(menu: list[MenuItem]) -> list[tuple[str, bool, list[str]]]:
    return [(item.label, item.active, [c.label for c in item.children]) for item in menu]


@pytest.mark.django_db
def test_main_menu_as_base_html_had_it(fed) -> None:
    scope = scope_for(fed.kimlien)
    home = _shape(main_menu(scope, resolve("/")))
    assert home == [
        ("Tổng quan", True, []),
        ("Cây tổ chức", False, []),
        ("Tổ chức", False, ["Đơn vị", "Doanh nghiệp", "Phát triển tổ chức", "Cụm thi đua"]),
        ("Đại diện", False, ["Thỏa ước lao động tập thể", "Hội nghị, đối thoại"]),
        (
            "Chăm lo",
            False,
            ["Chương trình chăm lo", "Hồ sơ hỗ trợ", "Mái ấm Công đoàn", "Phúc lợi đoàn viên"],
        ),
        ("Chỉ tiêu", False, []),
        ("Báo cáo", False, []),
        ("Kiểm tra số liệu", False, []),
        ("Đoàn viên", False, ["Danh sách đoàn viên", "Nhập dữ liệu từ Excel"]),
        ("Trợ vốn", False, ["Khoản vay", "Dự án vay vốn", "Nợ quá hạn", "Quỹ và sản phẩm"]),
        (
            "Thi đua",
            False,
            [
                "Bảng điểm thi đua",
                "Xếp loại CĐCS",
                "Cụm thi đua, bình xét",
                "Khen thưởng",
                "Phong trào, đăng ký thi đua",
                "Sáng kiến, công trình",
            ],
        ),
        (
            "Công tác",
            False,
            [
                "Nhiệm vụ trọng tâm",
                "Kiến nghị",
                "Hoạt động, phong trào",
                "Kiểm tra, giám sát",
                "Tranh chấp, ngừng việc",
            ],
        ),
    ]
    active = {
        reverse("org:tree"): "Cây tổ chức",
        reverse("org:unit_detail", args=["KL"]): "Tổ chức",
        reverse("conferences:list"): "Đại diện",
        reverse("imports:upload"): "Đoàn viên",
        reverse("indicators:dashboard"): "Chỉ tiêu",
        reverse("loans:arrears"): "Trợ vốn",
        reverse("plans:list"): "Công tác",
        reverse("recommendations:list"): "Công tác",
    }
    for url, label in active.items():
        menu = main_menu(scope, resolve(url))
        assert [i.label for i in menu if i.active] == [label], url


@pytest.mark.django_db
def test_menu_entries_with_roles_are_hidden_from_other_roles(fed, monkeypatch) -> None:
    entry = registry.NavEntry("Quản lý quỹ", "org:cluster_list", "bi-cash", 99, roles=frozenset({"nobody"}))
    monkeypatch.setitem(registry._nav_entries, "test:fund", entry)
    assert "Quản lý quỹ" not in [i.label for i in main_menu(scope_for(fed.kimlien))]
    assert "Quản lý quỹ" in [i.label for i in main_menu(scope_for(fed.admin))]  # a superuser sees all


@pytest.mark.django_db
def test_the_page_renders_the_registered_menu(fed) -> None:
    client = Client()
    client.force_login(fed.kimlien)
    page = client.get(reverse("members:list")).content.decode()
    assert f'href="{reverse("imports:upload")}"><i class="bi bi-upload"></i> Nhập dữ liệu từ Excel' in page
    assert 'class="nav-link dropdown-toggle active"' in page  # "Đoàn viên" on a members page


# -- report sections and demo loaders ----------------------------------------------------------------


def test_report_sections_name_tables_and_indicators_of_the_report() -> None:
    from congdoan.reports.layout import TABLES
    from congdoan.reports.selectors import indicator_codes

    sections = registry.report_sections()
    assert [s.key for s in sections] == [
        "org",
        "agreement",
        "conference",
        "care",
        "loans",
        "emulation",
        "plans",
        "recommendations",
        "activities",
        "inspections",
        "disputes",
    ]
    # the reports app's own sections use the tables of its layout; an app's section brings its own table
    assert {s.key for s in sections if s.key in ("org", "agreement", "conference")} <= {t.key for t in TABLES}
    assert {code for s in sections for code in s.indicators} <= set(indicator_codes())


def test_demo_loaders_run_in_the_order_the_data_need() -> None:
    assert [d.name for d in registry.demo_loaders()] == [
        "units",
        "members",
        "catalogue",
        "activity",
        "care",
        "deadlines",
        "loans",
        "emulation",
        "plans",
        "recommendations",
        "activities",
        "inspections",
        "disputes",
        "logins",
    ]


def test_home_panels_in_order() -> None:
    """The home page's panels (``register_home_panel``): each app says what its records mean today."""
    assert [(p.key, p.area) for p in registry.home_panels()] == [
        ("org_my_unit", "main"),
        ("indicators", "main"),
        ("reports", "todo"),
        ("bargaining", "todo"),
        ("conferences", "todo"),
        ("plans", "todo"),
        ("recommendations", "todo"),
        ("imports", "todo"),
        ("org_units", "main"),
    ]
