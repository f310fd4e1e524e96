"""SIGTERM to the scoring service while batches are in flight: a graceful stop.

`credit serve scoring` runs uvicorn with a graceful-shutdown timeout (timeout_graceful_shutdown
in credit_launcher/serve.py): on SIGTERM it stops accepting connections, lets the
requests in progress finish and answer, runs the lifespan's shutdown, then exits. Batches of a
few hundred ids (each one transaction: read, score, audit) keep several requests in progress
when the signal comes. One test (the scenario costs a service start): its checks run in order.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from credit_core.auth import create_api_key
from credit_core.db import get_engine
from tests.support.fixtures import Registry, load_synthetic_clients
from tests.support.loadgen import LoadReport, Target, decision_rows, run_load, start_services, wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.xdist_group("load")]

CONCURRENCY = 8
LOAD_LIMIT_SECONDS = 120.0  # the load stops a second after the service has exited
FLOWING_ROWS = 1000  # the signal comes once this many decisions are audited (a few batches)
MIX = {"POST /v1/scores/batch": 3, "POST /v1/scores": 1}
BATCH_SIZES = (200, 400)
EXIT_LIMIT_SECONDS = 10.0  # in-flight batches take well under a second each
KEY_NAME = "sigterm-test"
#: How a request may end once the signal is sent: the connection refused or closed before any
#: response (the request was never taken in), or a 503. Never a 500, a cut body, a timeout.
CLEAN_REFUSALS = {"refused", "dropped", "http 503"}


@dataclass
class Stopped:
    report: LoadReport
    signalled: float  # when SIGTERM was sent, in seconds since the load began
    exit_code: int | None  # None: still running EXIT_LIMIT_SECONDS x 3 after the signal
    exit_seconds: float
    audited: int
    output: str

    def describe(self) -> str:
        return (f"signal at {self.signalled:.2f} s, exit {self.exit_code} after "
                f"{self.exit_seconds:.2f} s\n{self.report.failures()}\n{self.output[-2000:]}")


def stop_under_load(database_url: str, tracking_uri: str, workdir: Path) -> Stopped:
    """Load the scoring service with batches, SIGTERM it mid-load, wait for it to exit."""
    ids = load_synthetic_clients(database_url, clients=1000).index.tolist()
    key = create_api_key(get_engine(database_url), KEY_NAME, "service").key
    scoring = start_services(database_url, tracking_uri, workdir, ("scoring",),
                             SCORING_LOG_LEVEL="INFO")["scoring"]
    target = Target(scoring.url, key, ids, batch_sizes=BATCH_SIZES)
    reports: list[LoadReport] = []
    stop = threading.Event()
    load = threading.Thread(target=lambda: reports.append(
        run_load(target, CONCURRENCY, LOAD_LIMIT_SECONDS, MIX, seed=3, timeout=30, stop=stop)))
    try:
        load.start()
        flowing = wait_until(lambda: decision_rows(database_url, KEY_NAME) >= FLOWING_ROWS,
                             timeout=60, step=0.1)
        signalled_at = time.monotonic()
        os.kill(scoring.popen.pid, signal.SIGTERM)
        try:
            code: int | None = scoring.popen.wait(EXIT_LIMIT_SECONDS * 3)
        except subprocess.TimeoutExpired:
            code = None
        exit_seconds = time.monotonic() - signalled_at
        time.sleep(1.0)  # the clients meet the closed port
    finally:
        stop.set()
        load.join(60)
        scoring.stop()
    assert flowing, "the load never flowed before the signal:\n" + scoring.output()[-3000:]
    report = reports[0]
    result = Stopped(report, signalled_at - report.began, code, exit_seconds,
                     decision_rows(database_url, KEY_NAME), scoring.output())
    in_flight = sum(o.started < result.signalled < o.ended for o in report.outcomes)
    print(f"\nSIGTERM at {result.signalled:.2f} s with {in_flight} requests in flight; exit {code} "
          f"after {exit_seconds:.2f} s; outcomes {report.kinds()}; {result.audited} decisions "
          f"audited, {report.decisions} answered")
    return result


def test_sigterm_mid_load_finishes_in_flight_requests_audits_exactly_and_exits(
        make_postgres_database: Callable[[], str], mlflow_registry: Registry,
        tmp_path: Path) -> None:
    stopped = stop_under_load(make_postgres_database(), mlflow_registry.uri, tmp_path)
    outcomes = stopped.report.outcomes

    # Before the signal everything succeeded; after it, only clean refusals (no 500, no cut body).
    assert all(o.ok or (o.kind in CLEAN_REFUSALS and o.ended >= stopped.signalled)
               for o in outcomes), stopped.describe()
    # Requests in progress when the signal came were finished and answered in full.
    assert [o for o in outcomes if o.ok and o.started < stopped.signalled < o.ended], \
        stopped.describe()
    assert any(o.kind == "refused" for o in outcomes), "the load did not outlast the service"
    # No half-audited batch, and no audited decision that went unanswered.
    assert stopped.audited == stopped.report.decisions > 0, stopped.describe()
    # The service finished its shutdown (the lifespan's included) by itself, in time.
    for line in ("Waiting for application shutdown", "Application shutdown complete",
                 "Finished server process"):
        assert line in stopped.output, stopped.describe()
    assert stopped.exit_seconds < EXIT_LIMIT_SECONDS, stopped.describe()
    # A graceful stop is a normal exit, not death by signal (-15 / shell status 143).
    assert stopped.exit_code == 0, stopped.describe()
