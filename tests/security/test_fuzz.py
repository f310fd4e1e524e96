"""Property-based fuzzing of each API's own OpenAPI schema (schemathesis, in-process ASGI).

For every service, cases are generated from its published schema: valid requests (positive)
and requests that break the schema (negative), sent with an admin key (the one role every
protected route admits). Every answer must not be a 5xx, must use a documented status code and
content type, and its body must match the documented schema. The dashboard publishes no
OpenAPI schema (``openapi_url=None``: its only API is the sign-in form and Gradio's own
routes); its routes are covered by test_routes.py and test_hostile_inputs.py.

Generation is derandomized so that CI runs the same cases every time; failures are collected
per operation and check, and reported together at the end (no shrinking, to bound the time).
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.errors import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .conftest import SecurityDatabase, ServiceFactory, bearer

pytestmark = pytest.mark.xdist_group("security-fuzz")

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
#: Generated cases per service: valid ones (positive) exercise the handlers, invalid ones
#: (negative, NEGATIVE_SHARE of each operation's cases) the validation layer.
CASES_PER_SERVICE = 520
MINIMUM_CASES = 500
NEGATIVE_SHARE = 0.4
#: Operations whose cases cost far more than the others (a picture, an argon2 check) get less.
WEIGHTS = {"POST /v1/explanations/image": 0.3, "POST /v1/auth/login": 0.3}
SERVICES = ("scoring", "explain", "monitoring")
_REQUEST_ARGUMENTS = ("method", "url", "headers", "params", "cookies", "data", "json", "files",
                      "auth")


def send(client: TestClient, case: Any, key: str) -> Any:
    """The case as an HTTP request to the in-process app, encoded by ``requests`` exactly as
    schemathesis sends it over the network (JSON, forms, multipart, raw bytes)."""
    kwargs = case.as_transport_kwargs(base_url="http://testserver", headers=bearer(key))
    prepared = requests.Request(**{name: kwargs[name] for name in _REQUEST_ARGUMENTS
                                   if name in kwargs}).prepare()
    body = prepared.body.encode() if isinstance(prepared.body, str) else prepared.body
    return client.request(str(prepared.method), str(prepared.url), content=body or b"",
                          headers=dict(prepared.headers))


@dataclass
class Tally:
    """Cases sent and seconds spent per operation, and the distinct failures."""

    calls: Counter[str] = field(default_factory=Counter)
    seconds: Counter[str] = field(default_factory=Counter)
    failures: dict[tuple[str, str], str] = field(default_factory=dict)

    def summary(self) -> str:
        return ", ".join(f"{label}: {count} in {self.seconds[label]:.1f} s"
                         for label, count in sorted(self.calls.items()))


def label_of(operation: Any) -> str:
    return f"{operation.method.upper()} {operation.path}"


def fuzz(client: TestClient, operation: Any, key: str, mode: GenerationMode, examples: int,
         tally: Tally) -> None:
    """Send ``examples`` generated cases of ``mode`` for one operation and check each answer."""
    label = label_of(operation)

    @settings(max_examples=examples, derandomize=True, deadline=None, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        started = time.perf_counter()
        response = send(client, case, key)
        tally.seconds[label] += time.perf_counter() - started
        tally.calls[label] += 1
        try:
            case.validate_response(response, checks=CHECKS)
        except (FailureGroup, AssertionError) as error:
            tally.failures.setdefault((label, f"{type(error).__name__}{response.status_code}"),
                                      f"{mode.value}: {error}"[:3000])

    run()


def budgets(operations: list[Any], has_inputs: dict[str, bool]) -> dict[str, int]:
    """Cases per operation: one for an operation without inputs (there is only one), the rest
    of CASES_PER_SERVICE shared by weight among the others."""
    fixed = [op for op in operations if not has_inputs[label_of(op)]]
    shared = [op for op in operations if has_inputs[label_of(op)]]
    remaining = CASES_PER_SERVICE - len(fixed)
    total_weight = sum(WEIGHTS.get(label_of(op), 1.0) for op in shared)
    out = {label_of(op): 1 for op in fixed}
    for op in shared:
        out[label_of(op)] = math.ceil(remaining * WEIGHTS.get(label_of(op), 1.0) / total_weight)
    return out


@pytest.mark.parametrize("service", SERVICES)
def test_every_operation_holds_to_its_schema(service: str, sqlite_db: SecurityDatabase,
                                             start_service: ServiceFactory,
                                             record_property: Callable[[str, object], None]
                                             ) -> None:
    client = start_service(service, sqlite_db)
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    has_inputs = {label_of(op): bool(op.path_parameters or op.query or op.headers
                                     or op.body) for op in operations}
    tally = Tally()
    started = time.monotonic()
    for op in operations:
        examples = budgets(operations, has_inputs)[label_of(op)]
        negative = round(examples * NEGATIVE_SHARE) if has_inputs[label_of(op)] else 0
        fuzz(client, op, sqlite_db.keys["admin"], GenerationMode.POSITIVE, examples - negative,
             tally)
        if negative:
            fuzz(client, op, sqlite_db.keys["admin"], GenerationMode.NEGATIVE, negative, tally)
    total = sum(tally.calls.values())
    record_property("fuzz_cases", f"{service}: {total} cases in "
                                  f"{time.monotonic() - started:.0f} s ({tally.summary()})")
    assert not tally.failures, f"{len(tally.failures)} distinct failures:\n\n" + "\n\n".join(
        tally.failures.values())
    assert total >= MINIMUM_CASES, (service, total)
    # An operation without inputs has one possible case; any other must be exercised in earnest.
    starved = {label for label, inputs in has_inputs.items()
               if tally.calls[label] < (10 if inputs else 1)}
    assert not starved, f"operations (barely) generated: {starved}"
