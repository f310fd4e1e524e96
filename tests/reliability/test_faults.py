"""Fault injection on real processes: the database goes away under load, the registry is
unreachable at start-up, the alias moves to a version that cannot be served.

Each fault is one the product promises to survive (DESIGN: "503 when a dependency is down (with
Retry-After), and the service recovers by itself when it returns"). The figures each test
measures are printed (run with ``-s`` to see them) and quoted in docs/reliability.md.
The case "explanation service killed, the dashboard still shows the score" is covered by the
browser test services/ui/tests/test_browser.py::test_explanations_down_still_shows_the_score.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select

from credit_core.bundle import ModelBundle
from credit_core.db import decisions, get_engine
from tests.reliability.conftest import FaultDatabase, RegistryServer
from tests.support.fixtures import Registry
from tests.support.pgcluster import PgCluster
from tests.support.processes import Process

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.xdist_group("faults")]

OUTAGE_SECONDS = 10.0
RECOVERY_LIMIT_SECONDS = 5.0
LOAD_THREADS = 4
#: Each client sends one request every 50 ms at most (80 requests/s in all), under the default
#: per-key rate limit (100/s): a 429 would then mean a bug, not an impatient test.
REQUEST_PERIOD_SECONDS = 0.05


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@dataclass
class Outcome:
    """One request of the load: when it was sent and answered, and what came back."""

    sent: float
    answered: float
    status: int  # 0: no HTTP answer at all (refused, reset, timed out)
    retry_after: str | None = None
    decision_id: str | None = None
    version: str | None = None
    error: str | None = None


@dataclass
class Load:
    """Client threads posting /v1/scores by client id at a steady pace until told to stop
    (they do not wait for Retry-After: the service must hold under clients that do not)."""

    url: str
    key: str
    client_ids: list[int]
    clients: int = LOAD_THREADS
    outcomes: list[Outcome] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def _client(self, number: int) -> None:
        made: list[Outcome] = []
        with httpx.Client(base_url=self.url, headers=_bearer(self.key), timeout=15) as http:
            i = number
            while not self.stop.is_set():
                client_id = self.client_ids[i % len(self.client_ids)]
                i += self.clients
                sent = time.monotonic()
                try:
                    response = http.post("/v1/scores", json={"client_id": client_id})
                except httpx.HTTPError as error:
                    made.append(Outcome(sent, time.monotonic(), 0, error=repr(error)))
                else:
                    ok = response.status_code == 200
                    body = response.json() if ok else {}
                    made.append(Outcome(sent, time.monotonic(), response.status_code,
                                        response.headers.get("retry-after"),
                                        body.get("decision_id"), body.get("model", {}).get("version"),
                                        None if ok else response.text))
                time.sleep(max(0.0, sent + REQUEST_PERIOD_SECONDS - time.monotonic()))
        self.outcomes.extend(made)  # list.extend is atomic under the GIL

    def run(self) -> list[threading.Thread]:
        threads = [threading.Thread(target=self._client, args=(n,), daemon=True)
                   for n in range(self.clients)]
        for thread in threads:
            thread.start()
        return threads

    def finish(self, threads: list[threading.Thread]) -> list[Outcome]:
        self.stop.set()
        for thread in threads:
            thread.join(30)
            assert not thread.is_alive(), "a load thread is stuck (no client timeout?)"
        return sorted(self.outcomes, key=lambda outcome: outcome.sent)


def _decision_ids(database_url: str) -> set[str]:
    with get_engine(database_url).connect() as connection:
        return {str(row[0]) for row in connection.execute(select(decisions.c.decision_id))}


def _wait_for(condition, seconds: float, step: float = 0.1) -> float | None:  # type: ignore[no-untyped-def]
    """Seconds until ``condition()`` is true, or None if it never was within ``seconds``."""
    began = time.monotonic()
    while time.monotonic() - began < seconds:
        try:
            if condition():
                return time.monotonic() - began
        except httpx.HTTPError:
            pass
        time.sleep(step)
    return None


def _seconds(value: float | None) -> str:
    return "never" if value is None else f"{value:.2f} s"


def _startups(process: Process) -> int:
    """How many times the process's app started (a restart inside it would show twice)."""
    return process.output().count("Application startup complete")


@dataclass
class OutageTimes:
    """Monotonic instants of the outage, and what the probes saw meanwhile."""

    stop_began: float
    stopped: float
    start_began: float
    back: float
    ready_after: float | None  # seconds from ``back`` to /readyz 200
    health: list[int]
    ready_during: httpx.Response


def _database_outage(cluster: PgCluster, url: str) -> OutageTimes:
    """Stop the cluster for OUTAGE_SECONDS (probing /healthz), start it, wait for /readyz."""
    stop_began = time.monotonic()
    cluster.stop("fast")
    stopped = time.monotonic()
    health = []
    while time.monotonic() - stopped < OUTAGE_SECONDS:
        health.append(httpx.get(url + "/healthz", timeout=5).status_code)
        time.sleep(0.5)
    ready_during = httpx.get(url + "/readyz", timeout=5)
    start_began = time.monotonic()
    cluster.start()
    back = time.monotonic()
    ready_after = _wait_for(lambda: httpx.get(url + "/readyz", timeout=5).status_code == 200,
                            RECOVERY_LIMIT_SECONDS + 10)
    return OutageTimes(stop_began, stopped, start_began, back, ready_after, health, ready_during)


def test_database_outage_under_load_is_503_then_recovers_without_restart(
        pg_cluster: PgCluster, registry_boot: RegistryServer, fault_db: FaultDatabase,
        mlflow_registry: Registry, launch: Callable[..., Process], tmp_path: Path) -> None:
    """PostgreSQL stopped for 10 s while four clients score: only 503 + Retry-After meanwhile,
    every 200 has its audit row and no audit row lacks its 200, and the same process is ready
    and scoring again within 5 s of the database's return.

    The model comes from the embedded (SQLite) registry; ``registry_boot`` is only asked for so
    that the next tests' MLflow server boots meanwhile."""
    service = launch("scoring", tmp_path, fault_db.url, mlflow_registry.uri)
    before = _decision_ids(fault_db.url)
    load = Load(service.url, fault_db.keys["integrator"], fault_db.client_ids)
    threads = load.run()
    try:
        time.sleep(3)
        times = _database_outage(pg_cluster, service.url)
        time.sleep(2)  # some load after the recovery too
    finally:
        outcomes = load.finish(threads)
        if not pg_cluster.is_running():
            pg_cluster.start()

    back = times.back
    first_ok_after = min((o.answered - back for o in outcomes if o.status == 200 and o.sent >= back),
                         default=None)
    down = [o for o in outcomes if o.sent >= times.stopped and o.answered <= times.start_began]
    unavailable = [o for o in outcomes if o.status == 503]
    print(f"\nDB outage: {len(outcomes)} requests, {sum(o.status == 200 for o in outcomes)} x 200, "
          f"{len(unavailable)} x 503 ({len(down)} sent and answered while the database was "
          f"down); stop {times.stopped - times.stop_began:.2f} s, start "
          f"{back - times.start_began:.2f} s; after the return /readyz 200 in "
          f"{_seconds(times.ready_after)}, first 200 score in {_seconds(first_ok_after)}")

    assert {o.status for o in outcomes} <= {200, 503}, [o for o in outcomes
                                                        if o.status not in (200, 503)][:5]
    assert all(o.retry_after and int(o.retry_after) >= 1 for o in unavailable), unavailable[:3]
    assert down and all(o.status == 503 for o in down)
    assert all(o.status == 200 for o in outcomes if o.answered < times.stop_began)
    assert all(code == 200 for code in times.health)  # alive: no orchestrator restarts it
    assert times.ready_during.status_code == 503
    assert times.ready_during.json()["checks"]["database"]["ok"] is False
    assert times.ready_after is not None and times.ready_after <= RECOVERY_LIMIT_SECONDS
    assert first_ok_after is not None and first_ok_after <= RECOVERY_LIMIT_SECONDS
    recovered_at = back + max(times.ready_after, first_ok_after)
    assert all(o.status == 200 for o in outcomes if o.sent > recovered_at + 0.5)

    answered = {o.decision_id for o in outcomes if o.status == 200}
    audited = _decision_ids(fault_db.url) - before
    assert len(audited) == len(answered) and audited == answered  # no decision without its row
    assert service.popen.poll() is None and _startups(service) == 1  # same process, no restart


def _model_detail(url: str) -> dict:  # type: ignore[type-arg]
    response = httpx.get(url + "/readyz", timeout=5)
    return {"status": response.status_code, **response.json()["checks"]["model"]["detail"]}


def _score(url: str, key: str, client_id: int) -> httpx.Response:
    return httpx.post(url + "/v1/scores", headers=_bearer(key), json={"client_id": client_id},
                      timeout=10)


def test_registry_unreachable_at_start_up_waits_not_ready_or_serves_the_cache(
        registry_server: RegistryServer, fault_db: FaultDatabase,
        launch: Callable[..., Process], tmp_path: Path) -> None:
    """MLflow unreachable at start-up. Without a cache the service stays alive and not ready
    (no crash loop), then becomes ready by itself, same process, once the registry returns.
    That start filled the cache: started again with the same CREDIT_VAR_DIR while the registry
    is unreachable, it serves the cached version, /readyz says origin "cache", and it moves back
    to the registry's copy when the registry returns."""
    key, client_id = fault_db.keys["integrator"], fault_db.client_ids[0]
    registry_server.gate.close()  # the registry's port refuses connections from here on
    try:
        uncached = launch("scoring", tmp_path, fault_db.url, registry_server.url,
                          ready_path="/healthz")
        waited = time.monotonic()
        while time.monotonic() - waited < 5:  # several poll intervals: still waiting, alive
            detail = _model_detail(uncached.url)
            assert detail["status"] == 503 and detail["model"] is None
            assert "no version cached" in detail["problem"]
            assert uncached.popen.poll() is None
            time.sleep(0.5)
        refused = _score(uncached.url, key, client_id)
        assert refused.status_code == 503 and int(refused.headers["retry-after"]) >= 1
    finally:
        registry_server.gate.open()
    ready_after = _wait_for(lambda: _model_detail(uncached.url)["status"] == 200, 60)
    assert ready_after is not None, uncached.output()[-2000:]
    detail = _model_detail(uncached.url)
    assert detail["model"]["origin"] == "registry" and detail["problem"] is None
    assert _score(uncached.url, key, client_id).json()["model"]["version"] == "1"
    assert uncached.popen.poll() is None and _startups(uncached) == 1
    uncached.stop()

    registry_server.gate.close()
    try:
        began = time.monotonic()
        cached = launch("scoring", tmp_path, fault_db.url, registry_server.url)  # same var dir
        cache_start = time.monotonic() - began
        detail = _model_detail(cached.url)
        assert detail["status"] == 200
        assert detail["model"] == {"name": "credit-default", "version": "1", "origin": "cache",
                                   "threshold": pytest.approx(0.12)}
        assert detail["problem"].startswith("serving cached version 1")
        scored = _score(cached.url, key, client_id)
        assert scored.status_code == 200 and scored.json()["model"]["version"] == "1"
    finally:
        registry_server.gate.open()
    back_on_registry = _wait_for(
        lambda: _model_detail(cached.url)["model"]["origin"] == "registry", 60)
    print(f"\nregistry unreachable: uncached start alive and not ready for 5 s, ready "
          f"{ready_after:.1f} s after the registry returned; cached start ready (origin "
          f"'cache') in {cache_start:.1f} s, back on the registry's copy in "
          f"{_seconds(back_on_registry)}")
    assert back_on_registry is not None
    assert cached.popen.poll() is None and _startups(cached) == 1


class _CorruptBundle(ModelBundle):
    """A bundle whose booster file is garbage once saved: an artifact damaged in the store."""

    def save(self, path):  # type: ignore[no-untyped-def]
        directory = super().save(path)
        (directory / "model.txt").write_text("this is not a LightGBM model\n")
        return directory


def _failures(url: str, version: str) -> float:
    """model_load_failures_total for ``version`` in the service's /metrics (0 if absent)."""
    text = httpx.get(url + "/metrics", timeout=5).text
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "model_load_failures_total" and sample.labels["version"] == version:
                return float(sample.value)
    return 0.0


def _reload_errors(process: Process) -> list[str]:
    """The ``error`` of each "model reload failed" JSON log line of the process."""
    errors = []
    for line in process.output().splitlines():
        if line.startswith("{") and "model reload failed" in line:
            errors.append(str(json.loads(line).get("error", "")))
    return errors


def test_alias_moved_to_a_broken_version_keeps_the_served_one(
        registry_server: RegistryServer, fault_db: FaultDatabase, tiny_bundle: ModelBundle,
        launch: Callable[..., Process], tmp_path: Path) -> None:
    """The alias moves to an incompatible version, then to a corrupt one: scoring and explain
    keep version 1, say why in their logs, /metrics and /readyz, and never fail a request."""
    served = "1"
    registry_server.move_alias(served)
    incompatible = ModelBundle(
        booster=tiny_bundle.booster, categorical_features=[], threshold=0.5,
        features=["NOT_IN_THE_DATABASE", *tiny_bundle.features[1:]])
    corrupt = _CorruptBundle(booster=tiny_bundle.booster, features=tiny_bundle.features,
                             categorical_features=tiny_bundle.categorical_features,
                             threshold=tiny_bundle.threshold)
    with ThreadPoolExecutor(3) as pool:  # the two starts and the registrations overlap
        starting = [pool.submit(launch, name, tmp_path / name, fault_db.url, registry_server.url)
                    for name in ("scoring", "explain")]
        bad_versions = pool.submit(lambda: [registry_server.register(incompatible),
                                            registry_server.register(corrupt)])
        scoring, explain = (future.result() for future in starting)
        versions = bad_versions.result()
    load = Load(scoring.url, fault_db.keys["integrator"], fault_db.client_ids, clients=2)
    threads = load.run()
    try:
        for bad, expected in zip(versions, ("NOT_IN_THE_DATABASE", "LightGBM"), strict=True):
            registry_server.move_alias(bad)
            for process in (scoring, explain):
                seen = _wait_for(lambda p=process, v=bad: _failures(p.url, v) == 1, 30)
                assert seen is not None, f"{process.url}: no failure counted for version {bad}"
                detail = _model_detail(process.url)
                assert detail["status"] == 200 and detail["model"]["version"] == served
                assert f"version {bad}" in detail["last_reload_error"]
                assert expected in detail["last_reload_error"]
                assert any(f"version {bad}" in error and expected in error
                           for error in _reload_errors(process))
            time.sleep(2)  # more polls: the bad version is not retried nor counted again
            assert _failures(scoring.url, bad) == 1 and _failures(explain.url, bad) == 1
            explained = httpx.post(explain.url + "/v1/explanations",
                                   headers=_bearer(fault_db.keys["admin"]),
                                   json={"client_id": fault_db.client_ids[2]}, timeout=30)
            assert explained.status_code == 200 and explained.json()["model"]["version"] == served

        registry_server.move_alias(served)  # the alias is repaired: the error is not current
        for process in (scoring, explain):
            cleared = _wait_for(lambda p=process: _model_detail(p.url)["last_reload_error"] is None,
                                15)
            assert cleared is not None, _model_detail(process.url)
    finally:
        outcomes = load.finish(threads)
        registry_server.move_alias(served)

    assert outcomes and {o.status for o in outcomes} == {200}, outcomes[-3:]
    assert {o.version for o in outcomes} == {served}
    assert scoring.popen.poll() is None and explain.popen.poll() is None
