"""The whole API schema under generated requests (Schemathesis), anonymous and with a token.

Every operation of ``/api/schema/`` is called with requests Hypothesis draws from the schema
itself, valid and invalid, through the portal's own WSGI application (no server, no network).
Two things must hold for every response: it is never a 5xx, and it matches what the schema says
of that operation (status code documented, body of the documented shape). The run is bounded
(a fixed number of examples per operation, derandomised so that CI repeats itself) and prints how
many requests it made.
"""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance, status_code_conformance

from portal.accounts.scopes import scope_values
from portal.accounts.services import api_token_create, integrator_create

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 25
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
REQUESTS = {"anonymous": 0, "token": 0}


@pytest.fixture
def api_schema(db, settings):
    settings.ALLOWED_HOSTS = ["*"]
    # The WSGI handler closes "old" connections at each request's start and end, and a connection
    # inside the test's transaction counts as one: keep it open, as Django's own test client does.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token_header(db):
    integrator = integrator_create(name="Fuzz MIS", kind="mis")
    _token, key = api_token_create(
        integrator=integrator, name="fuzz", scopes=scope_values(integrator_kind=integrator.kind)
    )
    return {"Authorization": f"Token {key}"}


FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def _fuzz(api_schema, kind, headers=None):
    """Every operation, its own bounded Hypothesis run; the failures of all operations together."""
    failures = []
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @FUZZ_SETTINGS
        def run(case):
            REQUESTS[kind] += 1
            case.call_and_validate(checks=CHECKS, headers=headers)

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # every operation runs; all failures are reported
            failures.append(f"{operation.label}: {exc}")
    assert REQUESTS[kind] > 0
    assert not failures, "\n\n".join(failures)


def test_sec17_schema_fuzz_anonymous_gives_no_5xx_and_keeps_the_schema(api_schema):
    _fuzz(api_schema, "anonymous")


def test_sec17_schema_fuzz_with_a_token_gives_no_5xx_and_keeps_the_schema(api_schema, token_header):
    _fuzz(api_schema, "token", token_header)


@pytest.fixture(scope="module", autouse=True)
def _report_requests(request):
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(f"schema fuzz: requests generated {REQUESTS}")
