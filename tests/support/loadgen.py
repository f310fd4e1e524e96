"""A bounded load client for the scoring and explain services (asyncio + httpx, no locust).

``run_load`` keeps ``concurrency`` clients busy for ``seconds``, each sending one request after
the other (closed loop, no think time) drawn from a weighted mix of endpoints, and returns every
request's outcome. A scoring response counts as a success only when it is complete: status 200
and a body holding every decision asked for. The audit check compares the ``decisions`` rows
written under the run's API key with the decisions in those complete responses: they must be
equal, exactly (``decision_rows``).

Used by bench/bench_load.py (64 clients x 60 s) and tests/reliability/test_load.py and
test_sigterm.py (shorter), which start the services with ``start_services``.
"""

from __future__ import annotations

import asyncio
import random
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import numpy as np
from sqlalchemy import func, select

from credit_core.db import decisions, get_engine
from tests.support.processes import Process, free_port, start_process

__all__ = [
    "DEFAULT_MIX", "LoadReport", "Outcome", "Target", "decision_rows",
    "run_load", "start_services", "wait_until",
]

BIN = Path(sys.executable).parent

#: Relative weights of the request kinds (explain kinds are dropped without an explain URL).
DEFAULT_MIX: Mapping[str, int] = {
    "POST /v1/scores": 6, "POST /v1/scores/batch": 2, "GET /v1/clients/{id}": 1,
    "POST /invocations": 1, "POST /v1/explanations": 3,
    "POST /v1/explanations (decision_id)": 1, "GET /v1/importance": 1,
}


@dataclass(frozen=True)
class Target:
    """Where to send the load, with which key, about which clients."""

    scoring_url: str
    api_key: str
    client_ids: Sequence[int]
    explain_url: str | None = None
    batch_sizes: tuple[int, int] = (2, 50)  # inclusive bounds of a batch's id count


@dataclass(frozen=True)
class Outcome:
    """One request: when it started and ended (seconds since the run began) and how it ended.

    ``kind`` is "complete" (a 200 with a full, valid body), "http <status>", "refused" (no
    connection), "dropped" (connected, but closed before any response), "timeout", or
    "incomplete" (a response whose body was cut or wrong).
    """

    endpoint: str
    started: float
    ended: float
    kind: str
    decisions: int = 0  # decisions in a complete scoring response
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.kind == "complete"

    @property
    def seconds(self) -> float:
        return self.ended - self.started


@dataclass
class LoadReport:
    outcomes: list[Outcome]
    seconds: float
    concurrency: int
    began: float  # time.monotonic() when the run began: outcomes' times are relative to it
    client_cpu_seconds: float  # CPU the load client's process used meanwhile (all threads)

    @property
    def errors(self) -> int:
        return sum(not outcome.ok for outcome in self.outcomes)

    @property
    def decisions(self) -> int:
        """Decisions in complete scoring responses (a batch counts each scored id)."""
        return sum(outcome.decisions for outcome in self.outcomes if outcome.ok)

    def kinds(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for outcome in self.outcomes:
            counts[outcome.kind] = counts.get(outcome.kind, 0) + 1
        return counts

    def failures(self, limit: int = 10) -> str:
        """The first ``limit`` failed requests, one a line: what, when, how."""
        return "\n".join(f"{o.endpoint} {o.started:.2f}-{o.ended:.2f} s: {o.kind} {o.detail}"
                         for o in [o for o in self.outcomes if not o.ok][:limit])

    def table(self) -> str:
        """Per endpoint: requests, errors, p50 and p99 latency of complete ones, throughput."""
        lines = [f"{'endpoint':38} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p99 ms':>8} "
                 f"{'req/s':>7}"]
        endpoints = sorted({o.endpoint for o in self.outcomes})
        for endpoint in [*endpoints, "all"]:
            chosen = [o for o in self.outcomes if endpoint in ("all", o.endpoint)]
            timings = np.array([o.seconds for o in chosen if o.ok]) * 1000
            p50, p99 = (np.percentile(timings, [50, 99]) if timings.size else (np.nan, np.nan))
            errors = sum(not o.ok for o in chosen)
            lines.append(f"{endpoint:38} {len(chosen):8d} {errors:6d} {p50:8.1f} {p99:8.1f} "
                         f"{len(chosen) / self.seconds:7.1f}")
        return "\n".join(lines)


@dataclass
class _Shared:
    """What the clients share: the run's clock and recent decision ids (to explain them)."""

    began: float
    deadline: float
    stop: threading.Event
    recent_decisions: deque[str] = field(default_factory=lambda: deque(maxlen=500))
    outcomes: list[Outcome] = field(default_factory=list)


# A request: (method, URL, JSON body or None, check). The check gets the parsed 200 body and
# returns the number of decisions it holds, or raises ValueError when the body is incomplete.
_Request = tuple[str, str, Any, Callable[[Any], int]]


def _check_decision(body: Mapping[str, Any], client_id: int) -> None:
    if (body.get("client_id") != client_id or body.get("decision") not in ("approved", "refused")
            or not body.get("decision_id") or not 0 <= body.get("probability", -1) <= 1):
        raise ValueError(f"not a complete decision for client {client_id}: {str(body)[:200]}")


def _score(target: Target, rng: random.Random, shared: _Shared) -> _Request:
    client_id = rng.choice(target.client_ids)

    def check(body: Any) -> int:
        _check_decision(body, client_id)
        shared.recent_decisions.append(body["decision_id"])  # for explanations by decision
        return 1

    return "POST", f"{target.scoring_url}/v1/scores", {"client_id": client_id}, check


def _score_batch(target: Target, rng: random.Random, _shared: _Shared) -> _Request:
    size = min(len(target.client_ids), rng.randint(*target.batch_sizes))
    chosen = rng.sample(list(target.client_ids), size)

    def check(body: Any) -> int:
        made = body.get("decisions", [])
        if body.get("count") != len(chosen) or len(made) != len(chosen):
            raise ValueError(f"batch of {len(chosen)} answered with {len(made)} decisions")
        for decision, client_id in zip(made, chosen, strict=True):
            _check_decision(decision, client_id)
        return len(chosen)

    return "POST", f"{target.scoring_url}/v1/scores/batch", {"client_ids": chosen}, check


def _client_fields(target: Target, rng: random.Random, _shared: _Shared) -> _Request:
    client_id = rng.choice(target.client_ids)
    return "GET", f"{target.scoring_url}/v1/clients/{client_id}", None, _expect(
        lambda b: b.get("client_id") == client_id and isinstance(b.get("application"), dict))


def _invocations(target: Target, rng: random.Random, _shared: _Shared) -> _Request:
    rows = [{"EXT_SOURCE_2": rng.random(), "EXT_SOURCE_3": rng.random()} for _ in range(3)]
    return "POST", f"{target.scoring_url}/invocations", {"dataframe_records": rows}, _expect(
        lambda b: len(b.get("predictions", [])) == len(rows))


def _explanation(target: Target, rng: random.Random, _shared: _Shared) -> _Request:
    subject = {"client_id": rng.choice(target.client_ids)}
    return "POST", f"{target.explain_url}/v1/explanations", subject, _expect(_is_explanation)


def _decision_explanation(target: Target, rng: random.Random, shared: _Shared) -> _Request:
    """A decision made earlier in the run (a client id until the first one is made)."""
    if not shared.recent_decisions:
        return _explanation(target, rng, shared)
    subject = {"decision_id": rng.choice(shared.recent_decisions)}
    return "POST", f"{target.explain_url}/v1/explanations", subject, _expect(_is_explanation)


def _importance(target: Target, _rng: random.Random, _shared: _Shared) -> _Request:
    return "GET", f"{target.explain_url}/v1/importance", None, _expect(
        lambda b: bool(b.get("features")))


_BUILDERS: dict[str, Callable[[Target, random.Random, _Shared], _Request]] = {
    "POST /v1/scores": _score, "POST /v1/scores/batch": _score_batch,
    "GET /v1/clients/{id}": _client_fields, "POST /invocations": _invocations,
    "POST /v1/explanations": _explanation,
    "POST /v1/explanations (decision_id)": _decision_explanation,
    "GET /v1/importance": _importance,
}


def _on_scoring(endpoint: str) -> bool:
    return "/v1/explanations" not in endpoint and "/v1/importance" not in endpoint


def _is_explanation(body: Any) -> bool:
    return bool(body.get("contributions")) and body.get("decision") in ("approved", "refused")


def _expect(valid: Callable[[Any], bool]) -> Callable[[Any], int]:
    def check(body: Any) -> int:
        if not valid(body):
            raise ValueError(f"incomplete body: {str(body)[:200]}")
        return 0

    return check


async def _send(client: httpx.AsyncClient, request: _Request) -> tuple[str, int, str]:
    """(kind, decisions, detail) of one request; a response counts only when complete."""
    method, url, body, check = request
    try:
        async with client.stream(method, url, json=body) as response:
            try:
                content = await response.aread()
            except httpx.HTTPError as error:  # the status line came, the body did not
                return "incomplete", 0, f"{response.status_code}: {type(error).__name__}"
            if response.status_code != 200:
                return f"http {response.status_code}", 0, content[:200].decode(errors="replace")
            try:
                return "complete", check(response.json()), ""
            except ValueError as error:
                return "incomplete", 0, str(error)
    except httpx.ConnectError as error:
        return "refused", 0, str(error)
    except httpx.TimeoutException as error:
        return "timeout", 0, type(error).__name__
    except httpx.HTTPError as error:  # closed before any response (RemoteProtocolError, ...)
        return "dropped", 0, f"{type(error).__name__}: {error}"


async def _client(client: httpx.AsyncClient, target: Target, endpoints: list[str],
                  weights: list[int], seed: int, shared: _Shared) -> None:
    rng = random.Random(seed)
    while time.monotonic() < shared.deadline and not shared.stop.is_set():
        endpoint = rng.choices(endpoints, weights)[0]
        request = _BUILDERS[endpoint](target, rng, shared)
        started = time.monotonic()
        kind, made, detail = await _send(client, request)
        shared.outcomes.append(Outcome(endpoint, started - shared.began,
                                       time.monotonic() - shared.began, kind, made, detail))
        if kind in ("refused", "dropped"):
            await asyncio.sleep(0.05)  # no server there (yet, or any more): do not spin


async def _run(target: Target, concurrency: int, seconds: float, mix: Mapping[str, int],
               seed: int, timeout: float, stop: threading.Event) -> LoadReport:
    unknown = set(mix) - set(_BUILDERS)
    if unknown:
        raise ValueError(f"unknown endpoints in the mix: {sorted(unknown)}")
    endpoints = [e for e, w in mix.items() if w > 0 and (target.explain_url or _on_scoring(e))]
    weights = [mix[e] for e in endpoints]
    limits = httpx.Limits(max_connections=2 * concurrency, max_keepalive_connections=2 * concurrency,
                          keepalive_expiry=2.0)  # below uvicorn's 5 s keep-alive: no stale reuse
    headers = {"Authorization": f"Bearer {target.api_key}"}
    cpu_before = time.process_time()
    shared = _Shared(began=time.monotonic(), deadline=time.monotonic() + seconds, stop=stop)
    async with httpx.AsyncClient(headers=headers, limits=limits, timeout=timeout) as client:
        await asyncio.gather(*(_client(client, target, endpoints, weights, seed + i, shared)
                               for i in range(concurrency)))
    return LoadReport(shared.outcomes, time.monotonic() - shared.began, concurrency, shared.began,
                      time.process_time() - cpu_before)


def run_load(target: Target, concurrency: int, seconds: float,
             mix: Mapping[str, int] = DEFAULT_MIX, seed: int = 0, timeout: float = 60.0,
             stop: threading.Event | None = None) -> LoadReport:
    """``concurrency`` clients for ``seconds``, or until ``stop`` is set (from another thread);
    requests in flight then finish, each bounded by ``timeout``. Every request's outcome, in
    the order they ended."""
    # In a thread of its own: a live event loop in the caller's thread (Playwright's sync API
    # keeps one in a test worker) would make asyncio.run refuse.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, _run(target, concurrency, seconds, mix, seed, timeout,
                                             stop or threading.Event())).result()


def decision_rows(database_url: str, api_key_name: str) -> int:
    """Rows of ``decisions`` written under ``api_key_name``."""
    with get_engine(database_url).connect() as connection:
        return int(connection.execute(select(func.count()).select_from(decisions).where(
            decisions.c.api_key_name == api_key_name)).scalar_one())


def start_services(database_url: str, tracking_uri: str, workdir: Path,
                   services: Sequence[str] = ("scoring", "explain"),
                   **env: str) -> dict[str, Process]:
    """``credit serve <service>`` for each service on a free port, with rate limits out of the
    way of the load and access logs off (WARNING, unless ``env`` says otherwise); started side
    by side, returns once each answers /readyz (stops them all if one does not)."""

    def start(service: str) -> Process:
        prefix, port = service.upper(), free_port()
        return start_process(
            [str(BIN / "credit"), "serve", service, "--port", str(port)],
            env={"DATABASE_URL": database_url, "MLFLOW_TRACKING_URI": tracking_uri,
                 "CREDIT_VAR_DIR": str(workdir / service), f"{prefix}_LOG_LEVEL": "WARNING",
                 f"{prefix}_RATE_LIMIT_PER_MINUTE": "100000000",
                 f"{prefix}_RATE_LIMIT_BURST": "100000000", **env},
            log=workdir / f"{service}-{port}.log", url=f"http://127.0.0.1:{port}",
            ready_path="/readyz", timeout=180)

    with ThreadPoolExecutor(len(services)) as pool:
        futures = {service: pool.submit(start, service) for service in services}
    started = {s: f.result() for s, f in futures.items() if f.exception() is None}
    failures = [error for f in futures.values() if (error := f.exception()) is not None]
    if failures:
        for process in started.values():
            process.stop()
        raise failures[0]
    return started


def wait_until(condition: Callable[[], bool], timeout: float, step: float = 0.05) -> bool:
    """Poll ``condition`` until it holds or ``timeout`` passes; whether it held."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()
