"""`credit serve all`: the MLflow UI and every installed service as local processes.

Each child runs the command its container runs (``uvicorn <module>:create_app --factory ...``,
``python -m ui_service.main``, ``mlflow server ...``) in its own process group, with its output
in ``var/log/<name>.log``. The supervisor waits (bounded) until every child is ready, prints
the URLs, and on Ctrl-C or SIGTERM stops them all: SIGTERM to each group, SIGKILL after a
timeout (or at a second Ctrl-C). A child that dies is reported with the end of its log, the
others are stopped and the exit status is 1.
"""

from __future__ import annotations

import ctypes
import importlib
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import typer
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from credit_core.settings import CoreSettings, disable_telemetry, get_core_settings
from credit_pipeline.commands.data import fail
from credit_pipeline.commands.serve import SERVICES

__all__ = ["MLFLOW_PORT", "UI", "UI_PEERS", "Child", "Supervisor", "SupervisorSettings",
           "mlflow_argv", "plan_children", "serve_all_command", "service_argv"]

#: The dashboard: (module started with ``python -m``, settings module, default port).
UI = ("ui_service.main", "ui_service.settings", 7860)
MLFLOW_PORT = 5000
#: MLflow's server-side job runner (GenAI evaluation jobs: seven worker processes) is not used.
_MLFLOW_ENV = {"MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false"}
#: The dashboard's peer URL variables, pointed at the local processes.
UI_PEERS = {"scoring": "UI_SCORING_URL", "explain": "UI_EXPLAIN_URL",
            "monitoring": "UI_MONITORING_URL"}
_LOG_TAIL_LINES = 25


class SupervisorSettings(BaseSettings):
    """CREDIT_MLFLOW_PORT: the MLflow UI's port (the services' ports are in their settings)."""

    model_config = SettingsConfigDict(env_prefix="CREDIT_", env_file=".env", extra="ignore",
                                      env_ignore_empty=True)

    mlflow_port: int = Field(default=MLFLOW_PORT, ge=1, le=65535)


def service_argv(service: str, host: str, port: int) -> list[str]:
    """The command of a service's container (its Dockerfile CMD) for ``host`` and ``port``.

    The dashboard reads its interface and port from its settings (UI_HOST, UI_PORT).
    """
    if service == "ui":
        return ["python", "-m", UI[0]]
    module = SERVICES[service][0]
    # In-flight requests get 15 s to finish on SIGTERM (below the supervisor's stop timeout and
    # the orchestrators' grace periods, so they are never cut by a SIGKILL first).
    return ["uvicorn", f"{module}:create_app", "--factory", "--host", host, "--port", str(port),
            "--timeout-graceful-shutdown", "15"]


def mlflow_argv(backend_store_uri: str, artifacts: str, host: str, port: int) -> list[str]:
    """The MLflow tracking server with proxied artifacts, as in the mlflow image."""
    return ["mlflow", "server", "--backend-store-uri", backend_store_uri,
            "--artifacts-destination", artifacts, "--serve-artifacts", "--host", host,
            "--port", str(port), "--workers", "1"]


def _local(argv: list[str]) -> list[str]:
    """Run the container command with this environment's interpreter."""
    if argv[0] == "python":
        return [sys.executable, *argv[1:]]
    return [sys.executable, "-m", *argv]


@dataclass
class Child:
    """One supervised process: what to run, where it answers, and its process once started."""

    name: str
    argv: list[str]
    host: str
    port: int
    ready_path: str = "/readyz"
    show_path: str = ""
    env: dict[str, str] = field(default_factory=dict)
    popen: subprocess.Popen[bytes] | None = None
    log: Path | None = None

    @property
    def url(self) -> str:
        client_host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        return f"http://{client_host}:{self.port}"

    def ready(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + self.ready_path, timeout=2) as response:
                return bool(response.status == 200)
        except OSError:  # refused, reset, timeout, or an HTTP error status (503 until ready)
            return False

    def log_tail(self) -> str:
        if self.log is None or not self.log.is_file():
            return ""
        lines = self.log.read_text(errors="replace").splitlines()
        return "\n".join(f"    {line}" for line in lines[-_LOG_TAIL_LINES:])


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # the parent package is missing
        return False


def plan_children(settings: CoreSettings, host: str | None, with_mlflow: bool,
                  mlflow_port: int) -> list[Child]:
    """The MLflow UI (on the embedded store) and every installed service, in start order."""
    children: list[Child] = []
    tracking_uri = settings.resolved_tracking_uri
    if with_mlflow and not tracking_uri.startswith(("http://", "https://")):
        bind = host or "127.0.0.1"
        children.append(Child("mlflow", mlflow_argv(tracking_uri, str(settings.local_artifact_root),
                                                    bind, mlflow_port),
                              bind, mlflow_port, ready_path="/health",
                              env=dict(_MLFLOW_ENV)))
    elif with_mlflow:
        typer.echo(f"MLflow: using the server at {tracking_uri} (not started here).")
    for name, (module, settings_module, _) in {**SERVICES, "ui": UI}.items():
        if not (_installed(module) and _installed(settings_module)):
            typer.echo(f"{name}: not installed in this environment, skipped.")
            continue
        service_settings = importlib.import_module(settings_module).get_settings()
        bind = host or service_settings.host
        child = Child(name, service_argv(name, bind, service_settings.port), bind,
                      service_settings.port, show_path="" if name == "ui" else "/docs")
        if name == "ui":
            peers = {started.name: started for started in children}
            child.env = {variable: peers[peer].url for peer, variable in UI_PEERS.items()
                         if peer in peers and variable not in os.environ}
            if host:
                child.env["UI_HOST"] = host
        children.append(child)
    return children


def _port_in_use(host: str, port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def _die_with_parent() -> None:
    """In the child, before exec: get SIGTERM if the supervisor itself is killed (Linux)."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _signal_group(child: Child, signum: int) -> None:
    assert child.popen is not None
    with suppress(ProcessLookupError, PermissionError):  # the whole group is already gone
        os.killpg(child.popen.pid, signum)


def _group_alive(child: Child) -> bool:
    assert child.popen is not None
    child.popen.poll()  # reap the leader if it exited
    try:
        os.killpg(child.popen.pid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


#: A repeat of the same signal this soon after it is the same request, not "force it now":
#: Ctrl-C under `uv run` (as `make run` starts us) reaches us twice, once from the terminal and
#: once forwarded by uv, and used to turn a graceful stop into SIGKILLs.
DUPLICATE_SIGNAL_SECONDS = 1.0


class _Signals:
    """Counts SIGINT/SIGTERM/SIGHUP instead of raising, so that shutdown is always ours; the
    same signal again within DUPLICATE_SIGNAL_SECONDS counts once."""

    def __init__(self) -> None:
        self.count = 0
        self.name = ""
        self._last: tuple[int, float] | None = None

    def __call__(self, signum: int, _frame: object) -> None:
        now = time.monotonic()
        if self._last is not None and self._last[0] == signum \
                and now - self._last[1] < DUPLICATE_SIGNAL_SECONDS:
            return
        self._last = (signum, now)
        self.count += 1
        self.name = signal.Signals(signum).name


@contextmanager
def _trapped_signals() -> Iterator[_Signals]:
    received = _Signals()
    names = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {signum: signal.signal(signum, received) for signum in names}
    try:
        yield received
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


class Supervisor:
    """Starts the children, waits for them, watches them and stops them."""

    def __init__(self, children: list[Child], log_dir: Path, stop_timeout: float,
                 environment: dict[str, str]) -> None:
        self.children = children
        self.log_dir = log_dir
        self.stop_timeout = stop_timeout
        self.environment = environment

    def start(self) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        for child in self.children:
            child.log = self.log_dir / f"{child.name}.log"
            with child.log.open("wb") as log:
                child.popen = subprocess.Popen(
                    _local(child.argv), env={**self.environment, **child.env},
                    stdin=subprocess.DEVNULL,
                    stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                    preexec_fn=_die_with_parent,
                )
            typer.echo(f"started {child.name} (pid {child.popen.pid}), log {child.log}")

    def dead(self) -> Child | None:
        """The first child that exited, if any."""
        return next((c for c in self.children if c.popen and c.popen.poll() is not None), None)

    def report_death(self, child: Child) -> None:
        assert child.popen is not None
        typer.secho(f"{child.name} exited with status {child.popen.returncode}; the end of "
                    f"{child.log}:\n{child.log_tail()}", err=True, fg=typer.colors.RED)

    def wait_ready(self, timeout: float, signals: _Signals) -> bool:
        """True once every child answers its readiness path; False on death, timeout or signal."""
        typer.echo(f"waiting until every process is ready (at most {timeout:.0f} s) ...")
        started = time.monotonic()
        waiting = list(self.children)
        next_progress = started + 5
        while waiting and not signals.count:
            if (dead := self.dead()) is not None:
                self.report_death(dead)
                return False
            waiting = [child for child in waiting if not child.ready()]
            now = time.monotonic()
            if now - started > timeout:
                for child in waiting:
                    typer.secho(f"{child.name} not ready after {timeout:.0f} s "
                                f"({child.url}{child.ready_path}); the end of {child.log}:\n"
                                f"{child.log_tail()}", err=True, fg=typer.colors.RED)
                return False
            if waiting and now >= next_progress:
                typer.echo(f"waiting for {', '.join(c.name for c in waiting)} "
                           f"({now - started:.0f} s) ...")
                next_progress = now + 5
            time.sleep(0.3)
        return not signals.count

    def watch(self, signals: _Signals) -> int:
        """Until a signal (status 0) or a child's death (status 1)."""
        while not signals.count:
            if (dead := self.dead()) is not None:
                self.report_death(dead)
                return 1
            time.sleep(0.25)
        typer.echo(f"{signals.name}: stopping ...")
        return 0

    def stop(self, signals: _Signals) -> None:
        """SIGTERM to every group, SIGKILL to what is left after the timeout or a 2nd signal."""
        started = [child for child in self.children if child.popen is not None]
        for child in reversed(started):
            _signal_group(child, signal.SIGTERM)
        signals_before = signals.count
        deadline = time.monotonic() + self.stop_timeout
        while time.monotonic() < deadline and signals.count == signals_before:
            if not any(_group_alive(child) for child in started):
                break
            time.sleep(0.1)
        for child in started:
            if _group_alive(child):
                typer.echo(f"{child.name} did not stop in time: killed.")
                _signal_group(child, signal.SIGKILL)
        for child in started:
            assert child.popen is not None
            try:
                child.popen.wait(10)
            except subprocess.TimeoutExpired:
                typer.echo(f"{child.name} (pid {child.popen.pid}) did not exit.", err=True)


def _print_urls(children: list[Child], seconds: float) -> None:
    typer.echo(f"\nReady after {seconds:.0f} s. Ctrl-C stops everything.")
    for child in children:
        label = "dashboard" if child.name == "ui" else child.name
        typer.echo(f"  {label:<11} {child.url + child.show_path:<34} log {child.log}")


def serve_all_command(
    host: Annotated[str | None, typer.Option(
        help="Interface for every process (default: each service's settings, 127.0.0.1).")] = None,
    mlflow: Annotated[bool, typer.Option(
        help="Start the MLflow UI on the embedded store (not with an http MLFLOW_TRACKING_URI).",
    )] = True,
    mlflow_port: Annotated[int | None, typer.Option(
        min=1, max=65535, help="Port of the MLflow UI (default: CREDIT_MLFLOW_PORT, 5000).")] = None,
    ready_timeout: Annotated[float, typer.Option(
        min=1, help="Seconds to wait for every process to be ready.")] = 180.0,
    stop_timeout: Annotated[float, typer.Option(
        min=0, help="Seconds between SIGTERM and SIGKILL at shutdown.")] = 20.0,
) -> None:
    """Run the MLflow UI and every installed service under one supervisor (Ctrl-C stops all)."""
    disable_telemetry()
    settings = get_core_settings()
    mlflow_port = mlflow_port or SupervisorSettings().mlflow_port
    children = plan_children(settings, host, mlflow, mlflow_port)
    if not children:
        raise fail("nothing to run: no service is installed in this environment")
    busy = [child for child in children if _port_in_use(child.host, child.port)]
    if busy:
        raise fail("; ".join(f"port {c.port} ({c.name}) is in use" for c in busy)
                   + ": stop what holds it, or choose other ports (SCORING_PORT, ..., "
                     "--mlflow-port)")
    if any(child.name == "mlflow" for child in children):
        settings.local_artifact_root.mkdir(parents=True, exist_ok=True)
    # The resolved store, explicitly: MLflow's own default (sqlite:///mlflow.db in the working
    # directory) must never be what a child falls back to.
    environment = {**os.environ, "PYTHONUNBUFFERED": "1",
                   "MLFLOW_TRACKING_URI": settings.resolved_tracking_uri}
    supervisor = Supervisor(children, settings.resolved_var_dir / "log", stop_timeout,
                            environment)
    started = time.monotonic()
    with _trapped_signals() as signals:
        try:
            supervisor.start()
            if supervisor.wait_ready(ready_timeout, signals):
                _print_urls(children, time.monotonic() - started)
                status = supervisor.watch(signals)
            else:
                status = 0 if signals.count else 1
        finally:
            supervisor.stop(signals)
    typer.echo("All processes stopped.")
    if status:
        raise typer.Exit(code=status)


if __name__ == "__main__":  # `python -m credit_pipeline.commands.supervise` (before the CLI has it)
    typer.run(serve_all_command)
