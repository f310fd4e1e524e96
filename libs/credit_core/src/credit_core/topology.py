"""The platform's parts, their packages and their ports: written once, read everywhere.

The launcher (`credit serve`), each service's default port and peer URLs, the deployment checks
and the benchmarks read this table instead of repeating a number. Compose and Kubernetes files
cannot import Python; tests/deploy holds them against this table.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MLFLOW", "POSTGRES", "SERVICES", "Part", "local_url", "service"]


@dataclass(frozen=True, slots=True)
class Part:
    """One part of the platform as a process listening on a port."""

    name: str
    port: int
    #: The importable package of a Python service (None for third-party servers).
    package: str | None = None
    #: `module:function` of the app factory (uvicorn --factory), or None when the service
    #: starts otherwise (the Gradio dashboard, third-party servers).
    app_factory: str | None = None
    #: Environment prefix of the service's settings (SCORING_, ...).
    env_prefix: str | None = None


#: The Python services, in the order they start (the dashboard needs the three APIs).
SERVICES: dict[str, Part] = {
    part.name: part
    for part in (
        Part("scoring", 8001, "scoring_service", "scoring_service.main:create_app", "SCORING_"),
        Part("explain", 8002, "explain_service", "explain_service.main:create_app", "EXPLAIN_"),
        Part("monitoring", 8003, "monitoring_service", "monitoring_service.main:create_app",
             "MONITORING_"),
        Part("ui", 7860, "ui_service", None, "UI_"),
    )
}

MLFLOW = Part("mlflow", 5000)
POSTGRES = Part("postgres", 5432)


def service(name: str) -> Part:
    """The part called `name`; KeyError names the known ones."""
    try:
        return SERVICES[name]
    except KeyError:
        raise KeyError(f"unknown service {name!r}; known: {', '.join(SERVICES)}") from None


def local_url(name: str, host: str = "127.0.0.1") -> str:
    """The embedded default's URL of a service (or of MLflow)."""
    part = MLFLOW if name == MLFLOW.name else service(name)
    return f"http://{host}:{part.port}"
