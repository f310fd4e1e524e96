"""`credit serve SERVICE`: a service as a local process, with the command its container runs."""

from __future__ import annotations

import importlib.util
from enum import StrEnum
from typing import Annotated

import typer

from credit_pipeline.commands.data import fail

__all__ = ["SERVICES", "serve_command"]


class Service(StrEnum):
    scoring = "scoring"
    explain = "explain"
    monitoring = "monitoring"
    ui = "ui"
    all = "all"


#: service -> (module of its app factory, settings class path, default port)
SERVICES: dict[str, tuple[str, str, int]] = {
    "scoring": ("scoring_service.main", "scoring_service.settings", 8001),
    "explain": ("explain_service.main", "explain_service.settings", 8002),
    "monitoring": ("monitoring_service.main", "monitoring_service.settings", 8003),
}


def serve_command(
    service: Annotated[Service, typer.Argument(help="Which service to run.")],
    host: Annotated[str | None, typer.Option(help="Interface (default: the service's "
                                             "settings, 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="Port (default: the "
                                             "service's settings).")] = None,
) -> None:
    """Run one service with the command of its container; `all` runs every installed service
    and the MLflow UI under one supervisor (see `credit serve-all --help` for its options)."""
    if service is Service.all:
        from credit_pipeline.commands.supervise import serve_all_command

        serve_all_command(host=host)
        return
    if service is Service.ui:
        _serve_ui(host, port)
        return
    module, settings_module, _ = SERVICES[service.value]
    if importlib.util.find_spec(module.split(".")[0]) is None:
        raise fail(f"the {service.value} service is not installed in this environment")
    import uvicorn

    settings = importlib.import_module(settings_module).get_settings()
    _exit_cleanly_after_shutdown()
    uvicorn.run(f"{module}:create_app", factory=True, host=host or settings.host,
                port=port or settings.port, log_config=None, timeout_graceful_shutdown=15)


def _exit_cleanly_after_shutdown() -> None:
    """A graceful stop on SIGTERM/SIGINT ends with status 0, not 143.

    uvicorn catches the signal, finishes the requests in flight, runs the lifespan shutdown,
    then restores the handlers it found and raises the signal again; with these handlers that
    last step is a normal exit instead of death by signal (which supervisors count as a crash).
    """
    import signal
    import sys

    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: sys.exit(0))


def _serve_ui(host: str | None, port: int | None) -> None:
    if importlib.util.find_spec("ui_service") is None:
        raise fail("the dashboard (ui_service) is not installed in this environment")
    import os

    if host:
        os.environ["UI_HOST"] = host
    if port:
        os.environ["UI_PORT"] = str(port)
    from ui_service.main import main

    _exit_cleanly_after_shutdown()
    main()
