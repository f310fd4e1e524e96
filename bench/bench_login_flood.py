"""Scoring latency under a login flood: p99 of POST /v1/scores by id, idle and while 16 clients
post random names to POST /v1/auth/login (issue 14, item 3).

Self-contained: a throwaway SQLite database with 300 synthetic clients, a tiny registered
model, one scoring process on loopback (`credit serve scoring`). Run:

    uv run python bench/bench_login_flood.py [--seconds 10] [--flooders 16]
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import secrets
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from credit_core.auth import create_api_key
from credit_core.db import get_engine
from tests.support.fixtures import FIRST_CLIENT_ID, Registry, load_synthetic_clients
from tests.support.models import train_tiny_bundle
from tests.support.processes import free_port, start_process

BIN = Path(sys.executable).parent


def _post(connection: http.client.HTTPConnection, path: str, body: dict[str, object],
          headers: dict[str, str]) -> int:
    connection.request("POST", path, body=json.dumps(body), headers=headers)
    response = connection.getresponse()
    response.read()
    return response.status


def score_for(port: int, seconds: float, headers: dict[str, str]) -> list[float]:
    """Score clients by id one after the other for ``seconds``: the latencies in ms."""
    connection = http.client.HTTPConnection("127.0.0.1", port)
    timings: list[float] = []
    deadline = time.monotonic() + seconds
    client_id = FIRST_CLIENT_ID
    while time.monotonic() < deadline:
        started = time.perf_counter()
        status = _post(connection, "/v1/scores", {"client_id": client_id}, headers)
        timings.append((time.perf_counter() - started) * 1000)
        assert status == 200, status
        client_id = FIRST_CLIENT_ID + (client_id - FIRST_CLIENT_ID + 1) % 300
    return timings


def flood(port: int, deadline: float, headers: dict[str, str], codes: Counter[int]) -> None:
    """Post random names and passwords to the login route until ``deadline``."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while time.time() < deadline:
        body = {"username": f"u{secrets.token_hex(6)}", "password": secrets.token_hex(8),
                "source": f"10.{secrets.randbelow(256)}.{secrets.randbelow(256)}.1"}
        codes[_post(connection, "/v1/auth/login", body, headers)] += 1


def flood_process(port: int, deadline: float, headers: dict[str, str], clients: int,
                  results: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    """``clients`` flooding threads in a process of their own (not competing with the
    measuring thread for this interpreter's lock)."""
    codes: Counter[int] = Counter()
    threads = [threading.Thread(target=flood, args=(port, deadline, headers, codes))
               for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put(dict(codes))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--flooders", type=int, default=16)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="login-flood-"))
    url = f"sqlite:///{workdir / 'credit.db'}"
    load_synthetic_clients(url)
    registry = Registry(f"sqlite:///{workdir / 'mlflow.db'}", "credit-default", workdir)
    registry.register(train_tiny_bundle())
    engine = get_engine(url)
    service_key = create_api_key(engine, "flood-service", "service").key
    headers = {"Authorization": f"Bearer {service_key}", "Content-Type": "application/json"}
    port = free_port()
    service = start_process(
        [str(BIN / "credit"), "serve", "scoring", "--port", str(port)],
        env={"DATABASE_URL": url, "MLFLOW_TRACKING_URI": registry.uri,
             "SCORING_LOG_LEVEL": "WARNING", "SCORING_RATE_LIMIT_PER_MINUTE": "100000000",
             "SCORING_RATE_LIMIT_BURST": "100000000", "CREDIT_VAR_DIR": str(workdir)},
        log=workdir / "scoring.log", url=f"http://127.0.0.1:{port}", ready_path="/readyz",
        timeout=300)
    try:
        score_for(port, 2.0, headers)  # warm up
        idle = score_for(port, args.seconds, headers)
        results: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
        flooder = multiprocessing.Process(target=flood_process, args=(
            port, time.time() + args.seconds + 1.0, headers, args.flooders, results))
        flooder.start()
        time.sleep(0.5)  # the flood is on before the measure starts
        loaded = score_for(port, args.seconds, headers)
        codes = results.get(timeout=60)
        flooder.join()
    finally:
        service.stop()
    for label, timings in (("idle", idle), (f"{args.flooders} login flooders", loaded)):
        values = np.asarray(timings)
        print(f"scoring by id, {label}: n={values.size} median={np.median(values):.1f} ms "
              f"p99={np.percentile(values, 99):.1f} ms max={values.max():.1f} ms")
    print("login answers under flood:", dict(sorted(codes.items())))
    ratio = np.percentile(loaded, 99) / np.percentile(idle, 99)
    print(f"p99 under flood / idle = {ratio:.2f}")


if __name__ == "__main__":
    main()
