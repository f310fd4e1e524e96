"""`credit serve SERVICE`: a service as a local process, with the command its container runs;
`credit serve all`: every installed service and the MLflow UI under one supervisor."""

from __future__ import annotations

import importlib
import os
import signal
import sys
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated

import typer

from credit_core import topology
from credit_launcher.failure import fail
from credit_launcher.plan import installed, service_modules, service_settings
from credit_launcher.serve_all import serve_all_command

__all__ = ["ALL", "Service", "serve_command"]

#: The argument that runs every installed service (and the MLflow UI) under the supervisor.
ALL = "all"
#: The argument's choices: the topology's services, then `all` (typer shows and checks them).
#: mypy cannot see members computed from a table, hence the ignore.
Service = StrEnum("Service", [(name, name) for name in (*topology.SERVICES, ALL)])  # type: ignore[misc]


def serve_command(
    service: Annotated[Service, typer.Argument(help="Which service to run.")],
    host: Annotated[str | None, typer.Option(help="Interface (default: the service's "
                                             "settings, 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="Port (default: the "
                                             "service's settings).")] = None,
) -> None:
    """Run one service with the command of its container; `all` runs every installed service
    and the MLflow UI under one supervisor (see `credit serve-all --help` for its options)."""
    name = service.value
    if name == ALL:
        serve_all_command(host=host)
        return
    part = topology.service(name)
    start_module, _ = service_modules(name)
    if not installed(start_module):
        what = f"the {name} service" if part.app_factory else f"the dashboard ({part.package})"
        raise fail(f"{what} is not installed in this environment")
    if part.app_factory is None:
        _serve_dashboard(name, start_module, host, port)
        return
    import uvicorn  # the services' own dependency: present whenever a service is

    settings = service_settings(name)
    _exit_cleanly_after_shutdown()
    uvicorn.run(part.app_factory, factory=True, host=host or settings.host,
                port=port or settings.port, log_config=None, timeout_graceful_shutdown=15)


def _exit_cleanly_after_shutdown() -> None:
    """A graceful stop on SIGTERM/SIGINT ends with status 0, not 143.

    uvicorn catches the signal, finishes the requests in flight, runs the lifespan shutdown,
    then restores the handlers it found and raises the signal again; with these handlers that
    last step is a normal exit instead of death by signal (which supervisors count as a crash).
    """
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: sys.exit(0))


def _serve_dashboard(name: str, start_module: str, host: str | None, port: int | None) -> None:
    """The dashboard's own ``main()`` in this process; it reads UI_HOST and UI_PORT."""
    prefix = topology.service(name).env_prefix
    if host:
        os.environ[f"{prefix}HOST"] = host
    if port:
        os.environ[f"{prefix}PORT"] = str(port)
    main = _dashboard_main(start_module)
    _exit_cleanly_after_shutdown()
    main()


def _dashboard_main(start_module: str) -> Callable[[], None]:
    """The dashboard's ``main``, imported by its name from the topology (not by an import
    statement: the launcher carries no dependency on the dashboard)."""
    main: Callable[[], None] = importlib.import_module(start_module).main
    return main
