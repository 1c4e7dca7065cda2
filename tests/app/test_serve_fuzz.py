"""A schema-driven fuzz of the workbench API: schemathesis reads the app's own OpenAPI description and sends
generated requests in-process; no request may end in a 5xx, and no check may end in an internal error."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import status_code_conformance

from lint.app.serve import create_app
from tests.app.serving import settings as serve_settings

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(serve_settings(max_bytes=32 * 1024)))


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_request_ends_in_a_server_error(case: schemathesis.Case) -> None:
    response = case.call()
    assert response.status_code < 500, f"{case.method} {case.path}: {response.status_code} {response.text[:300]}"
    status_code_conformance(None, response, case)  # type: ignore[arg-type]
    if case.path == "/api/lint" and response.status_code == 200:
        assert all(file["error"] is None for file in response.json()["files"])
