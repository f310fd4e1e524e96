"""What `credit serve all` runs: the MLflow UI and every installed service, each with the
command its container runs, in start order.

The services come from ``credit_core.topology``: their packages are looked up, not imported,
and only a present service's settings module is read (for its host and port, so that the
same variables and ``.env`` file decide them as in its container).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from typing import Protocol

import typer

from credit_core.settings import CoreSettings
from credit_core.topology import MLFLOW, SERVICES, service
from credit_launcher.child import Child

__all__ = ["DASHBOARD", "MLFLOW_PORT", "UI_PEERS", "Listening", "installed",
           "mlflow_argv", "plan_children", "service_argv", "service_modules", "service_settings"]

MLFLOW_PORT = MLFLOW.port
#: The dashboard: the service started as ``python -m <package>.main`` rather than by uvicorn.
DASHBOARD = "ui"
#: MLflow's server-side job runner (GenAI evaluation jobs: seven worker processes) is not used.
_MLFLOW_ENV = {"MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false"}
#: The dashboard's peer URL variables (UI_SCORING_URL, ...), pointed at the local processes:
#: its peers are the HTTP APIs, the services with an app factory.
UI_PEERS = {name: f"{service(DASHBOARD).env_prefix}{name.upper()}_URL"
            for name, part in SERVICES.items() if part.app_factory is not None}


class Listening(Protocol):
    """What the launcher reads from a service's settings."""

    host: str
    port: int


def service_modules(name: str) -> tuple[str, str]:
    """The service's start module (its app factory's, or ``python -m``'s) and settings module."""
    part = service(name)
    if part.package is None:  # the topology's services are all ours; a guard for the types
        raise ValueError(f"{name} is not a Python package of this platform")
    start = part.app_factory.split(":")[0] if part.app_factory else f"{part.package}.main"
    return start, f"{part.package}.settings"


def service_argv(name: str, host: str, port: int) -> list[str]:
    """The command of a service's container (its Dockerfile CMD) for ``host`` and ``port``.

    The dashboard reads its interface and port from its settings (UI_HOST, UI_PORT).
    """
    part = service(name)
    if part.app_factory is None:
        return ["python", "-m", service_modules(name)[0]]
    # In-flight requests get 15 s to finish on SIGTERM (below the supervisor's stop timeout and
    # the orchestrators' grace periods, so they are never cut by a SIGKILL first).
    return ["uvicorn", part.app_factory, "--factory", "--host", host, "--port", str(port),
            "--timeout-graceful-shutdown", "15"]


def mlflow_argv(backend_store_uri: str, artifacts: str, host: str, port: int) -> list[str]:
    """The MLflow tracking server with proxied artifacts, as in the mlflow image."""
    return ["mlflow", "server", "--backend-store-uri", backend_store_uri,
            "--artifacts-destination", artifacts, "--serve-artifacts", "--host", host,
            "--port", str(port), "--workers", "1"]


def installed(module: str) -> bool:
    """Whether ``module`` can be imported here (without importing it)."""
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # the parent package is missing
        return False


def service_settings(name: str) -> Listening:
    """The service's own settings (``<package>.settings.get_settings()``), read as in its
    container: its variables (SCORING_PORT, ...) and the .env file."""
    settings: Listening = importlib.import_module(service_modules(name)[1]).get_settings()
    return settings


def _mlflow_child(settings: CoreSettings, host: str | None, port: int) -> Child | None:
    """The MLflow UI on the embedded store; None (said) when the store is a server already."""
    tracking_uri = settings.resolved_tracking_uri
    if tracking_uri.startswith(("http://", "https://")):
        typer.echo(f"MLflow: using the server at {tracking_uri} (not started here).")
        return None
    bind = host or "127.0.0.1"
    return Child("mlflow", mlflow_argv(tracking_uri, str(settings.local_artifact_root), bind, port),
                 bind, port, ready_path="/health", env=dict(_MLFLOW_ENV))


def plan_children(settings: CoreSettings, host: str | None, with_mlflow: bool,
                  mlflow_port: int) -> list[Child]:
    """The MLflow UI (on the embedded store) and every installed service, in start order."""
    children: list[Child] = []
    if with_mlflow and (mlflow := _mlflow_child(settings, host, mlflow_port)) is not None:
        children.append(mlflow)
    for name in SERVICES:
        if not all(installed(module) for module in service_modules(name)):
            typer.echo(f"{name}: not installed in this environment, skipped.")
            continue
        own = service_settings(name)
        bind = host or own.host
        child = Child(name, service_argv(name, bind, own.port), bind, own.port,
                      show_path="" if name == DASHBOARD else "/docs")
        if name == DASHBOARD:
            peers = {started.name: started for started in children}
            child.env = {variable: peers[peer].url for peer, variable in UI_PEERS.items()
                         if peer in peers and variable not in os.environ}
            if host:
                child.env[f"{service(DASHBOARD).env_prefix}HOST"] = host
        children.append(child)
    return children
