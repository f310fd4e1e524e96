"""Scheduled runs: at a fixed rate, on the decisions window, never two at once."""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from credit_core.db import drift_runs, get_engine
from monitoring_service.main import create_app
from monitoring_service.scheduler import Scheduler

from .conftest import insert_decisions, recent, sqlite_service_db


@pytest.fixture
def service_db(sqlite_url):  # type: ignore[no-untyped-def]
    return sqlite_service_db(sqlite_url)


class Overlap:
    """Counts calls in flight; remembers the most at once."""

    def __init__(self, seconds: float, then=None) -> None:  # type: ignore[no-untyped-def]
        self.seconds, self.then = seconds, then
        self.now = self.most = self.calls = 0
        self._lock = threading.Lock()

    def __call__(self, *args) -> None:  # type: ignore[no-untyped-def]
        with self._lock:
            self.now += 1
            self.calls += 1
            self.most = max(self.most, self.now)
        try:
            time.sleep(self.seconds)
            if self.then:
                self.then(*args)
        finally:
            with self._lock:
                self.now -= 1


def test_a_tick_while_a_run_is_going_is_skipped(caplog) -> None:  # type: ignore[no-untyped-def]
    job = Overlap(0.35)
    scheduler = Scheduler(0.1, job)

    async def run_for(seconds: float) -> None:
        task = asyncio.create_task(scheduler.run_forever())
        await asyncio.sleep(seconds)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    # In a thread of its own: another test's live event loop (Playwright's sync API keeps one
    # running in the worker's main thread) would make asyncio.run refuse.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, run_for(1.0)).result()
    assert job.most == 1 and job.calls >= 2 and scheduler.skipped >= 3
    assert scheduler.started == job.calls
    assert "skipped: the previous one is still running" in caplog.text

    failing = Scheduler(0.05, lambda: 1 / 0)
    assert failing.tick() and failing.tick() and failing.failed == 2  # the schedule goes on


def test_the_service_runs_the_decisions_window_on_schedule(make_settings, service_db) -> None:  # type: ignore[no-untyped-def]
    insert_decisions(service_db.url, service_db.features.iloc[:80],
                     [recent(hours=2)] * 80, np.linspace(0.01, 0.3, 80))
    app = create_app(make_settings(schedule_seconds=0.3))
    slow = Overlap(0.8, then=app.state.runner.scheduled)
    app.state.runner.scheduled = slow
    with TestClient(app) as client:
        deadline = time.monotonic() + 20
        while slow.calls < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.9)  # let the second run finish
        metrics = client.get("/metrics").text
    assert slow.most == 1 and app.state.scheduler.skipped >= 2
    assert "drift_schedule_skipped_total" in metrics
    with get_engine(service_db.url).connect() as connection:
        runs = connection.execute(select(drift_runs.c.current_source, drift_runs.c.rows,
                                         drift_runs.c.params)).all()
    assert len(runs) >= 2
    assert all(r.current_source == "decisions" and r.rows == 80 for r in runs)
    assert all(r.params["trigger"] == "schedule" and r.params["requested_by"] is None
               for r in runs)
