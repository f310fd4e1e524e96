"""The `credit` command line: data, database, training, credentials and services.

Commands that live in other packages join through the ``credit.commands`` entry-point group:
each entry is a function that adds its commands to this app (credit-launcher's `credit serve`).
The pipeline imports none of them, so without such a package its commands are simply absent.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from functools import cache
from importlib.metadata import entry_points
from typing import Annotated

import typer

from credit_core.settings import disable_telemetry
from credit_pipeline.commands.admin import db_app, keys_app, users_app
from credit_pipeline.commands.data import data_app

__all__ = ["COMMAND_GROUP", "app", "main"]

#: The entry-point group of the commands that other installed packages add to `credit`.
COMMAND_GROUP = "credit.commands"

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


@cache  # once per process, however often it is called (the tests call it for every test)
def _register_optional_commands() -> None:
    """Commands whose modules arrive with their own features (training, other packages)."""
    _register_installed_commands()
    _register_training_commands()


def _register_installed_commands() -> None:
    """The commands of every installed package of the ``credit.commands`` group."""
    for entry_point in entry_points(group=COMMAND_GROUP):
        register: Callable[[typer.Typer], None] = entry_point.load()
        register(app)


def _register_training_commands() -> None:
    try:
        from credit_pipeline.commands.train import results_command, train_command
    except ImportError:  # the training package is not installed in this image
        return
    from credit_pipeline.commands.score import score_app

    app.add_typer(score_app, name="score")
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
