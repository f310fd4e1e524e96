"""`credit serve all`: the MLflow UI and every installed service as local processes.

Each child runs the command its container runs (``uvicorn <module>:create_app --factory ...``,
``python -m ui_service.main``, ``mlflow server ...``) in its own process group, with its output
in ``var/log/<name>.log``. The supervisor waits (bounded) until every child is ready, prints
the URLs, and on Ctrl-C or SIGTERM stops them all: SIGTERM to each group, SIGKILL after a
timeout (or at a second Ctrl-C). A child that dies is reported with the end of its log, the
others are stopped and the exit status is 1.
"""

from __future__ import annotations

import os
import socket
import time
from typing import Annotated

import typer
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from credit_core.settings import disable_telemetry, get_core_settings
from credit_launcher.child import Child
from credit_launcher.failure import fail
from credit_launcher.plan import DASHBOARD, MLFLOW_PORT, plan_children
from credit_launcher.signals import trapped_signals
from credit_launcher.supervisor import Supervisor

__all__ = ["SupervisorSettings", "serve_all_command"]


class SupervisorSettings(BaseSettings):
    """CREDIT_MLFLOW_PORT: the MLflow UI's port (the services' ports are in their settings)."""

    model_config = SettingsConfigDict(env_prefix="CREDIT_", env_file=".env", extra="ignore",
                                      env_ignore_empty=True)

    mlflow_port: int = Field(default=MLFLOW_PORT, ge=1, le=65535)


def _port_in_use(host: str, port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def _print_urls(children: list[Child], seconds: float) -> None:
    typer.echo(f"\nReady after {seconds:.0f} s. Ctrl-C stops everything.")
    for child in children:
        label = "dashboard" if child.name == DASHBOARD else child.name
        typer.echo(f"  {label:<11} {child.url + child.show_path:<34} log {child.log}")


def serve_all_command(
    host: Annotated[str | None, typer.Option(
        help="Interface for every process (default: each service's settings, 127.0.0.1).")] = None,
    mlflow: Annotated[bool, typer.Option(
        help="Start the MLflow UI on the embedded store (not with an http MLFLOW_TRACKING_URI).",
    )] = True,
    mlflow_port: Annotated[int | None, typer.Option(
        min=1, max=65535,
        help=f"Port of the MLflow UI (default: CREDIT_MLFLOW_PORT, {MLFLOW_PORT}).")] = None,
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
    with trapped_signals() as signals:
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
