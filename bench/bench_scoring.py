"""Scoring speed, side by side with `mlflow models serve` of the same registered version.

Prerequisites: the client features loaded into the database given by --database-url (the
target figures are for PostgreSQL) and a champion in the registry given by --tracking-uri, e.g.

    DATABASE_URL=postgresql://postgres@127.0.0.1/credit_bench uv run credit data load DIR
    uv run python bench/bench_scoring.py --database-url postgresql://postgres@127.0.0.1/credit_bench

Prints: single-client latency by id over HTTP on loopback (one worker), /invocations throughput
with one record against `mlflow models serve --env-manager local` at the same concurrency, and
the time to score the test applicants in batches of 10,000.
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select

from credit_core.auth import create_api_key
from credit_core.db import client_features, get_engine
from credit_core.settings import CoreSettings
from tests.support.processes import free_port, start_process

BIN = Path(sys.executable).parent


def _percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values) * 1000, q))


def _post(connection: http.client.HTTPConnection, path: str, body: bytes,
          headers: dict[str, str]) -> tuple[int, bytes]:
    connection.request("POST", path, body=body, headers=headers)
    response = connection.getresponse()
    return response.status, response.read()


def sequential_latency(port: int, path: str, bodies: list[bytes], headers: dict[str, str]
                       ) -> list[float]:
    """One keep-alive connection, one request at a time: the latency a single caller sees."""
    connection = http.client.HTTPConnection("127.0.0.1", port)
    timings = []
    for body in bodies:
        started = time.perf_counter()
        status, payload = _post(connection, path, body, headers)
        timings.append(time.perf_counter() - started)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}: {payload[:200]!r}")
    connection.close()
    return timings


def throughput(port: int, path: str, body: bytes, headers: dict[str, str], concurrency: int,
               seconds: float) -> tuple[float, list[float], int]:
    """Requests per second with ``concurrency`` keep-alive clients for ``seconds``."""
    timings: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port)
        local = []
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            status, _ = _post(connection, path, body, headers)
            local.append(time.perf_counter() - started)
            if status != 200:
                errors[0] += 1
        with lock:
            timings.extend(local)

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(timings) / (time.perf_counter() - started), timings, errors[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=CoreSettings().resolved_database_url)
    parser.add_argument("--tracking-uri", default=CoreSettings().resolved_tracking_uri)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--skip-mlflow", action="store_true")
    args = parser.parse_args()

    engine = get_engine(args.database_url)
    key = create_api_key(engine, f"bench-{int(time.time())}", "service").key
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    with engine.connect() as connection:
        train_ids = connection.execute(select(client_features.c.SK_ID_CURR).where(
            client_features.c.split == "train").limit(args.requests)).scalars().all()
        test_ids = connection.execute(select(client_features.c.SK_ID_CURR).where(
            client_features.c.split == "test")).scalars().all()
    workdir = Path(tempfile.mkdtemp(prefix="bench-scoring-"))
    port = free_port()
    service = start_process(
        [str(BIN / "credit"), "serve", "scoring", "--port", str(port)],
        env={"DATABASE_URL": args.database_url, "MLFLOW_TRACKING_URI": args.tracking_uri,
             "SCORING_LOG_LEVEL": "WARNING", "SCORING_RATE_LIMIT_PER_MINUTE": "100000000",
             "SCORING_RATE_LIMIT_BURST": "100000000", "CREDIT_VAR_DIR": str(workdir)},
        log=workdir / "scoring.log", url=f"http://127.0.0.1:{port}", ready_path="/readyz",
        timeout=300)
    try:
        bodies = [json.dumps({"client_id": int(i)}).encode() for i in train_ids]
        sequential_latency(port, "/v1/scores", bodies[:200], headers)  # warm up
        timings = sequential_latency(port, "/v1/scores", bodies, headers)
        print(f"score by id (PostgreSQL lookup + scoring + audit insert), {len(timings)} "
              f"sequential requests: p50 {_percentile(timings, 50):.2f} ms, "
              f"p99 {_percentile(timings, 99):.2f} ms")
        features = _one_record(port, headers)
        body = json.dumps({"dataframe_records": [features]}).encode()
        ours, our_timings, our_errors = throughput(port, "/invocations", body, headers,
                                                   args.concurrency, args.seconds)
        print(f"/invocations one record, ours: {ours:.0f} req/s, p50 "
              f"{_percentile(our_timings, 50):.2f} ms, errors {our_errors}")
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        for start in range(0, len(test_ids), 10_000):
            chunk = [int(i) for i in test_ids[start:start + 10_000]]
            status, payload = _post(connection, "/v1/scores/batch",
                                    json.dumps({"client_ids": chunk}).encode(), headers)
            assert status == 200, payload[:200]
        print(f"{len(test_ids):,} test applicants in batches of 10,000: "
              f"{time.perf_counter() - started:.2f} s")
    finally:
        service.stop()
    if not args.skip_mlflow:
        _mlflow_side(args, body, workdir, ours)


def _one_record(port: int, headers: dict[str, str]) -> dict[str, float | None]:
    connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.request("GET", "/v1/model", headers=headers)
    names = [f["name"] for f in json.loads(connection.getresponse().read())["features"]]
    rng = np.random.default_rng(0)
    return {name: float(rng.random()) for name in names}


def _mlflow_side(args: argparse.Namespace, body: bytes, workdir: Path, ours: float) -> None:
    port = free_port()
    server = start_process(
        [str(BIN / "mlflow"), "models", "serve", "-m", "models:/credit-default@champion",
         "--env-manager", "local", "-p", str(port), "-h", "127.0.0.1", "-w", "1"],
        env={"MLFLOW_TRACKING_URI": args.tracking_uri, "MLFLOW_DISABLE_TELEMETRY": "true"},
        log=workdir / "mlflow-serve.log", url=f"http://127.0.0.1:{port}", ready_path="/ping",
        timeout=300)
    try:
        headers = {"Content-Type": "application/json"}
        rate, timings, errors = throughput(port, "/invocations", body, headers,
                                           args.concurrency, args.seconds)
        print(f"/invocations one record, mlflow models serve: {rate:.0f} req/s, p50 "
              f"{_percentile(timings, 50):.2f} ms, errors {errors}")
        print(f"throughput ratio (ours / mlflow models serve): {ours / rate:.1f}x "
              f"at concurrency {args.concurrency}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
