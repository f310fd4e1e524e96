"""The launcher's commands on the `credit` command line.

credit-launcher declares ``register`` in the ``credit.commands`` entry-point group; the `credit`
command line calls every function of that group with its typer app. So the pipeline, which owns
`credit`, never imports the launcher, and an environment without the launcher (the training
image) simply has no `credit serve`.
"""

from __future__ import annotations

import typer

from credit_launcher.serve import serve_command
from credit_launcher.serve_all import serve_all_command

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add `credit serve SERVICE|all` and `credit serve-all` to ``app``."""
    app.command("serve", help="Run a service (or all of them) as local processes.")(serve_command)
    app.command("serve-all", help="Every service and the MLflow UI under one supervisor.")(
        serve_all_command
    )
