"""Schemathesis over the whole OpenAPI schema: no input gives a server error, no answer breaks the schema.

Every operation gets positive examples (what the schema allows) and negative ones (what it forbids),
sent through the real WSGI application as the city officer over a federation with data, so the list,
detail, filter and write paths are reached. The run is bounded and deterministic (derandomized
Hypothesis, no example database, no shrinking); ``make fuzz`` runs many more examples per operation
(``CONGDOAN_FUZZ_EXAMPLES``). A failure lists every operation, request and answer that went wrong.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import response_schema_conformance

from congdoan.conftest import Federation
from congdoan.imports import services as import_services
from congdoan.indicators import services as indicator_services
from congdoan.indicators.models import Indicator
from congdoan.reports import services as report_services
from congdoan.reports.tests.conftest import build_report_data

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("CONGDOAN_FUZZ_EXAMPLES", "12"))
CHECKS = [not_a_server_error, response_schema_conformance]


@dataclass
class Finding:
    operation: str
    mode: str
    request: str
    status: int
    problem: str

    def __str__(self) -> str:
        return f"{self.operation} [{self.mode}] {self.request} → {self.status}: {self.problem[:300]}"


@pytest.fixture
def wsgi_app(settings: Any) -> Iterator[Any]:
    """The real WSGI application inside the test's transaction.

    Django closes the connection at the start and end of every request; inside the test transaction
    that would roll it back, so (as Django's own test client does) that signal is off meanwhile.
    Background jobs (report files, imports) are only queued: the fuzzer tests the API, not WeasyPrint."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.ALLOWED_HOSTS = ["*"]
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _describe(failure: Any) -> str:
    """ "Response violates schema: null is not of type "string" at /components/.../employer_name"."""
    text = f"{failure.title}: {failure.message.strip().splitlines()[0] if failure.message else ''}"
    location = getattr(failure, "schema_path", None)
    return f"{text} at {'/'.join(str(p) for p in location)}" if location else text


def _request_line(case: Any) -> str:
    kwargs = case.as_transport_kwargs(base_url="")
    parts = [case.method.upper(), case.formatted_path]
    if case.query:
        parts.append(f"query={case.query!r}")
    if kwargs.get("json") is not None or kwargs.get("data") is not None:
        parts.append(f"body={case.body!r}"[:200])
    return " ".join(parts)


@dataclass
class FuzzRun:
    """What a run saw: the requests that went wrong, and every status each operation answered."""

    findings: list[Finding] = field(default_factory=list)
    statuses: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))


def fuzz_operation(
    operation: Any, mode: GenerationMode, headers: dict[str, str], examples: int, run: FuzzRun
) -> None:
    strategy = operation.as_strategy(generation_mode=mode)
    if mode == GenerationMode.POSITIVE:  # the schema's examples too (a valid indicator and period)
        strategy = st.one_of(strategy, *operation.get_strategies_from_examples(fill_missing=True))

    @hypothesis_settings(
        max_examples=examples,
        derandomize=True,  # the same requests on every run: a failure is reproducible
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: keep the run bounded
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def send(case: Any) -> None:
        response = case.call(headers=headers)
        run.statuses[operation.label].add(response.status_code)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except FailureGroup as exc:  # recorded, not raised: one run lists every failing request
            problem = "; ".join(_describe(failure) for failure in exc.exceptions)
            run.findings.append(
                Finding(operation.label, mode.value, _request_line(case), response.status_code, problem)
            )

    try:
        send()
    except Unsatisfiable:  # nothing to negate (an operation without parameters or body)
        pass


def fuzz(schema: Any, headers: dict[str, str], examples: int) -> FuzzRun:
    """Run every operation of ``schema`` in both generation modes."""
    run = FuzzRun()
    for result in schema.get_all_operations():
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            fuzz_operation(result.ok(), mode, headers, examples, run)
    return run


def test_the_api_answers_every_generated_request_without_a_server_error(
    fed: Federation, wsgi_app: Any
) -> None:
    build_report_data(fed)
    add_jobs_and_values(fed)
    token = Token.objects.create(user=fed.thanhpho)
    headers = {"Authorization": f"Token {token.key}"}
    schema = schemathesis.openapi.from_dict(schema_as_read(wsgi_app, headers))
    schema.app = wsgi_app
    run = fuzz(schema, headers, EXAMPLES)
    summary = "\n".join(str(f) for f in run.findings[:40])
    assert not run.findings, f"{len(run.findings)} failing requests:\n{summary}"
    # Not a vacuous pass: logged in, and every list answered 200 at least once (its data was read).
    lists = [label for label in run.statuses if label.startswith("GET ") and "{" not in label]
    assert len(lists) >= 10, sorted(run.statuses)
    assert all(200 in run.statuses[label] for label in lists), dict(run.statuses)
    assert not any(401 in codes for codes in run.statuses.values()), dict(run.statuses)


def add_jobs_and_values(fed: Federation) -> None:
    """Rows with their optional fields empty, where a null against a "string" schema shows: a queued
    report, an import job (validated, and one refused), an entered value."""
    talks = Indicator.objects.get(code="TUYEN_TRUYEN")
    indicator_services.value_set(actor=fed.thanhpho, unit=fed.kl, indicator=talks, period="2025", value=3)
    report_services.report_request(actor=fed.thanhpho, unit=fed.hn, period="2024", fmt="xlsx")
    for name, text in (
        ("don-vi.csv", "code,name,type,parent_code\nKL9,CĐCS Kim Liên 9,CDCS,KL\n"),
        ("sai.csv", "code,name\n=1+1,x\n"),
    ):
        upload = SimpleUploadedFile(name, text.encode())
        job = import_services.job_create(actor=fed.thanhpho, kind="units", upload=upload)
        import_services.job_validate(job=job)


def schema_as_read(app: Any, headers: dict[str, str]) -> dict[str, Any]:
    """The schema as a client reads it (with the same token: the schema may become login-only)."""
    from werkzeug.test import Client

    response = Client(app).get("/api/v1/schema/?format=json", headers=headers)
    assert response.status_code == 200, response.status_code
    return response.get_json()  # type: ignore[no-any-return]
