"""The `credit` command line: data, database, training, credentials and services."""

from __future__ import annotations

import logging
import sys
from typing import Annotated

import typer

from credit_core.settings import disable_telemetry
from credit_pipeline.commands.admin import db_app, keys_app, users_app
from credit_pipeline.commands.data import data_app
from credit_pipeline.commands.serve import serve_command

__all__ = ["app", "main"]

app = typer.Typer(
    name="credit",
    help="Credit-scoring platform: data, training, credentials and services.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(data_app, name="data")
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(keys_app, name="keys")
app.command("serve", help="Run a service (or all of them) as local processes.")(serve_command)


def _register_optional_commands() -> None:
    """Commands whose modules arrive with their own features (training, services)."""
    try:
        from credit_pipeline.commands.train import results_command, train_command
    except ImportError:  # the training package is not installed in this image
        return
    from credit_pipeline.commands.score import score_app
    from credit_pipeline.commands.supervise import serve_all_command

    app.add_typer(score_app, name="score")

    app.command("serve-all", help="Every service and the MLflow UI under one supervisor.")(
        serve_all_command
    )
    app.command("train", help="Train, evaluate and register the model (see --help).")(
        train_command
    )
    app.command("results", help="Regenerate docs/results.md from the MLflow runs.")(
        results_command
    )


@app.callback()
def _main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log more detail.")] = False,
) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def main() -> None:
    """Entry point of the `credit` script."""
    disable_telemetry()
    _register_optional_commands()
    app()
