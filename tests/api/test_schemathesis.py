"""Schemathesis fuzzes every operation of the live OpenAPI document with a token of each scope:
no 5xx, every response conforms to its documented status, media type and schema, and an
operation outside the token's scope answers 403."""

import time

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from portal.api.tokens import SCOPES
from portal.extensions import db
from tests import factories
from tests.api.conftest import bearer

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
MAX_EXAMPLES = 5  # 7 scopes x 18 operations x up to 5: at most ~630 requests


def required_scopes(operation) -> set[str]:
    return {
        s for req in operation.definition.raw.get("security", []) for s in req.get("ApiToken", [])
    }


def test_every_operation_with_every_scope(app, make_token):
    factories.make_api_world()
    db.session.commit()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    assert schema.raw_schema["openapi"] == "3.1.0"
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 18
    started = time.monotonic()
    counts = {"forbidden": 0, "allowed": 0}
    for scope in SCOPES:
        headers = bearer(make_token(scope).secret)
        for operation in operations:
            fuzz_one(operation, scope, headers, counts)
    assert counts["forbidden"] > 0 and counts["allowed"] > 0
    elapsed = time.monotonic() - started
    assert elapsed < 90, f"the fuzzing took {elapsed:.0f} s; keep it under 90 s for CI"


def fuzz_one(operation, scope: str, headers: dict[str, str], counts: dict[str, int]) -> None:
    needed = required_scopes(operation)
    outside = bool(needed) and scope not in needed

    @given(case=operation.as_strategy())
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(case):
        response = case.call_and_validate(headers=headers, checks=CHECKS)
        if outside:
            assert response.status_code == 403, (
                f"{case.operation.label} with {scope!r}: {response.status_code}"
            )
            counts["forbidden"] += 1
        else:
            assert response.status_code != 403, (
                f"{case.operation.label} with {scope!r}: 403 {response.text}"
            )
            counts["allowed"] += 1

    fuzz()
