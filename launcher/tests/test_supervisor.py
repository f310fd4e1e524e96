"""`credit serve all` as a real process on a tiny embedded environment: every installed service
and the MLflow UI become ready, Ctrl-C (SIGINT) stops them all, a child that dies stops the rest
with a non-zero status, and no process is ever left behind."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import typer

from credit_core.auth import create_api_key
from credit_core.db import get_engine
from credit_core.settings import get_core_settings
from credit_core.topology import SERVICES
from credit_launcher.serve_all import serve_all_command
from tests.support.fixtures import load_synthetic_clients
from tests.support.models import synthetic_vectors, train_tiny_bundle
from tests.support.processes import free_port

# One worker runs them all (they share the prepared environment).
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("supervisor")]

SUPERVISOR = [sys.executable, "-m", "credit_launcher"]
PORT_VARIABLES = tuple(f"{part.env_prefix}PORT" for part in SERVICES.values())


@dataclass
class Embedded:
    workdir: Path
    dashboard_key: str


def _register_like_training(tracking_uri: str, artifacts: Path, staging: Path) -> None:
    """`credit-default@champion`: the tiny bundle logged by the trainer's own registration,
    with what every service loads (the drift reference and the global importance)."""
    import mlflow
    from credit_pipeline.train.mlflow_io.packaging import (
        IMPORTANCE_FILE,
        PREDICTION_COLUMN,
        REFERENCE_FILE,
        write_json,
    )
    from credit_pipeline.train.mlflow_io.registry import log_and_register
    from mlflow import MlflowClient

    bundle = train_tiny_bundle()
    bundle.save(staging / "bundle")
    write_json(staging / "bundle" / IMPORTANCE_FILE,
               {name: 1 / len(bundle.features) for name in bundle.features})
    vectors, _ = synthetic_vectors(600, seed=3)
    reference = vectors[bundle.features].astype(np.float32)
    reference[PREDICTION_COLUMN] = bundle.predict_proba(
        vectors[bundle.features].to_numpy()).astype(np.float32)
    (staging / "reference").mkdir()
    reference.to_parquet(staging / "reference" / REFERENCE_FILE, index=False)
    client = MlflowClient(tracking_uri, registry_uri=tracking_uri)
    experiment = client.create_experiment("credit-default", artifact_location=artifacts.as_uri())
    mlflow.set_tracking_uri(tracking_uri)
    mlflow.set_registry_uri(tracking_uri)
    with mlflow.start_run(experiment_id=experiment):
        _, version = log_and_register(staging, bundle, vectors[bundle.features].head(3),
                                      "credit-default", {"threshold": str(bundle.threshold)})
    client.set_registered_model_alias("credit-default", "champion", version)


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> Embedded:
    """A working folder whose var/ holds what `make run` prepares: the client table in SQLite,
    the dashboard's API key, and the registered champion in the local MLflow store."""
    workdir = tmp_path_factory.mktemp("embedded")
    var = workdir / "var"
    database_url = f"sqlite:///{var / 'credit.db'}"
    load_synthetic_clients(database_url)
    key = create_api_key(get_engine(database_url), "dashboard", "service").key
    _register_like_training(f"sqlite:///{var / 'mlflow' / 'mlflow.db'}",
                            var / "mlflow" / "artifacts", workdir / "staging")
    return Embedded(workdir, key)


class Supervisor:
    """The supervisor as a child of the test, in its own session like a terminal's job."""

    def __init__(self, embedded: Embedded, *args: str) -> None:
        environment = {key: value for key, value in os.environ.items()
                       if key not in ("DATABASE_URL", "MLFLOW_TRACKING_URI")}
        self.ports = {name: free_port() for name in PORT_VARIABLES}
        environment.update({name: str(port) for name, port in self.ports.items()})
        environment.update(CREDIT_VAR_DIR=str(embedded.workdir / "var"), PYTHONUNBUFFERED="1",
                           UI_API_KEY=embedded.dashboard_key)
        self.output = embedded.workdir / f"supervisor-{time.monotonic_ns()}.out"
        with self.output.open("w") as output:
            self.process = subprocess.Popen([*SUPERVISOR, *args], cwd=embedded.workdir,
                                            env=environment,
                                            stdout=output, stderr=subprocess.STDOUT,
                                            start_new_session=True)

    def text(self) -> str:
        return self.output.read_text(errors="replace")

    def wait_for(self, fragment: str, timeout: float, poll: float = 0.5) -> None:
        deadline = time.monotonic() + timeout
        while fragment not in self.text():
            assert self.process.poll() is None, f"supervisor exited:\n{self.text()}"
            assert time.monotonic() < deadline, f"no {fragment!r} in {timeout} s:\n{self.text()}"
            time.sleep(poll)

    def children(self) -> list[int]:
        """The supervisor's direct children (each leads its own process group)."""
        return [pid for pid in _pids() if _stat(pid)[1] == self.process.pid]

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)


def _pids() -> list[int]:
    return [int(entry) for entry in os.listdir("/proc") if entry.isdigit()]


def _stat(pid: int) -> tuple[str, int, int]:
    """(state, parent pid, process group) from /proc/<pid>/stat; ('', 0, 0) once gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return "", 0, 0
    fields = text.rsplit(")", 1)[1].split()
    return fields[0], int(fields[1]), int(fields[2])


def _live_members(groups: set[int]) -> list[int]:
    """Processes (zombies aside: already dead) still in one of ``groups``."""
    return [pid for pid in _pids() if _stat(pid)[2] in groups and _stat(pid)[0] not in ("Z", "")]


def _assert_gone(groups: set[int], timeout: float = 5) -> None:
    deadline = time.monotonic() + timeout
    while _live_members(groups) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _live_members(groups) == []


@pytest.fixture
def supervisors() -> Iterator[list[Supervisor]]:
    started: list[Supervisor] = []
    yield started
    for supervisor in started:  # never leave a supervisor behind, even when a test fails
        supervisor.kill()


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads processes from /proc")
def test_ready_then_ctrl_c_stops_every_process(embedded: Embedded, supervisors) -> None:  # type: ignore[no-untyped-def]
    # Generous: four services import MLflow, SHAP, Evidently and Gradio on two cores that the
    # other test worker also uses (37 s alone, over 150 s seen under load).
    supervisor = Supervisor(embedded, "--mlflow-port", str(free_port()), "--ready-timeout", "400")
    supervisors.append(supervisor)
    supervisor.wait_for("Ready after", timeout=420)
    children = supervisor.children()
    installed = [name for name in SERVICES
                 if f"{name}: not installed" not in supervisor.text()]
    assert len(children) == 1 + len(installed)  # the MLflow UI and every installed service
    assert all(_stat(pid)[2] == pid for pid in children), "each child leads its own group"
    for name in ("mlflow", *installed):
        assert (embedded.workdir / "var" / "log" / f"{name}.log").stat().st_size > 0
    if "ui" in installed:  # the dashboard answers (its sign-in page)
        dashboard = f"http://127.0.0.1:{supervisor.ports['UI_PORT']}/"
        with urllib.request.urlopen(dashboard, timeout=10) as response:
            assert response.status == 200
    # Ctrl-C under `uv run` (`make run`): the terminal's SIGINT and uv's forwarded copy arrive
    # together; that is one request to stop gracefully, not a second one to kill.
    # uv's copy comes a moment later, while the children are being stopped.
    os.kill(supervisor.process.pid, signal.SIGINT)
    supervisor.wait_for("SIGINT: stopping", timeout=5, poll=0.02)
    os.kill(supervisor.process.pid, signal.SIGINT)
    assert supervisor.process.wait(60) == 0, supervisor.text()
    assert "All processes stopped." in supervisor.text()
    assert "did not stop in time" not in supervisor.text(), supervisor.text()
    _assert_gone(set(children))


def test_a_repeated_signal_counts_once_unless_it_comes_later(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from credit_launcher import signals

    clock = [100.0]
    monkeypatch.setattr("credit_launcher.signals.time.monotonic", lambda: clock[0])
    received = signals.Signals()
    received(signal.SIGINT, None)
    received(signal.SIGINT, None)  # forwarded copy of the same Ctrl-C
    assert (received.count, received.name) == (1, "SIGINT")
    clock[0] += signals.DUPLICATE_SIGNAL_SECONDS + 0.1
    received(signal.SIGINT, None)  # a second Ctrl-C: force
    assert received.count == 2
    received(signal.SIGTERM, None)  # another signal always counts
    assert (received.count, received.name) == (3, "SIGTERM")


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads processes from /proc")
def test_a_child_that_dies_stops_the_rest(embedded: Embedded, supervisors) -> None:  # type: ignore[no-untyped-def]
    # Killed while the others start (a start-up crash): the same watch as once ready.
    supervisor = Supervisor(embedded, "--no-mlflow")
    supervisors.append(supervisor)
    supervisor.wait_for("waiting until every process is ready", timeout=60)
    children = supervisor.children()
    scoring = next(pid for pid in children
                   if b"scoring_service" in Path(f"/proc/{pid}/cmdline").read_bytes())
    os.killpg(scoring, signal.SIGKILL)
    assert supervisor.process.wait(60) == 1
    assert "scoring exited with status -9" in supervisor.text()
    _assert_gone(set(children))


def test_a_busy_port_is_refused_before_anything_starts(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)  # no .env of the working tree
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    monkeypatch.setenv("CREDIT_VAR_DIR", str(tmp_path / "var"))
    get_core_settings.cache_clear()
    try:
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = taken.getsockname()[1]
            with pytest.raises(typer.Exit) as stopped:
                serve_all_command(mlflow_port=port)
    finally:
        get_core_settings.cache_clear()
    assert stopped.value.exit_code == 1
    output = capsys.readouterr()
    assert f"port {port} (mlflow) is in use" in output.err
    assert "started" not in output.out
    assert not (tmp_path / "var").exists()
