"""How a launcher command gives up: a red line on stderr and exit status 1."""

from __future__ import annotations

import typer

__all__ = ["fail"]


def fail(message: str) -> typer.Exit:
    """Print ``message`` to stderr and give the exit to raise (status 1).

    The same words as the rest of the `credit` command line (``error: ...``); the launcher
    does not import the pipeline for three lines.
    """
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(code=1)
