"""`credit data ...`: generate a synthetic data set, validate a folder, load it into the database."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from credit_core.settings import get_core_settings

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["data_app", "fail"]

data_app = typer.Typer(help="Generate, validate and load the Home Credit data.",
                       no_args_is_help=True)
TRUTH_FILE = "true_default_probability.csv"


def fail(message: str) -> typer.Exit:
    """Print ``message`` to stderr and give the exit to raise (status 1)."""
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(code=1)


@data_app.command("generate")
def generate_command(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the eight files into.")],
    rows: Annotated[int, typer.Option(min=100, help="application_train rows (full size 307511); "
                                      "the other tables scale in proportion.")] = 307_511,
    seed: Annotated[int, typer.Option(min=0, help="Random seed (same seed, same files).")] = 42,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
) -> None:
    """Write a synthetic data set with the real schema and realistic distributions."""
    from credit_pipeline.data.generate import generate

    try:
        summary = generate(out, rows=rows, seed=seed, progress=progress)
    except (ValueError, OSError) as error:
        raise fail(str(error)) from error
    typer.echo(f"Wrote {len(summary.rows)} files to {summary.out_dir} in {summary.seconds:.1f} s:")
    for name, count in summary.rows.items():
        typer.echo(f"  {name}: {count:,} rows")


@data_app.command("validate")
def validate_command(
    folder: Annotated[Path, typer.Argument(help="Folder holding the eight CSV files.")],
) -> None:
    """Check a folder against the schema; exit 1 with the reasons when it does not conform."""
    from credit_pipeline.data.validate import format_report, validate_dir

    report = validate_dir(folder, keep_frames=False)
    typer.echo(format_report(report))
    if not report.ok:
        raise typer.Exit(code=1)


def _read_truth(folder: Path) -> pd.DataFrame | None:
    import pandas as pd

    path = folder / TRUTH_FILE
    if not path.is_file():
        return None
    truth = pd.read_csv(path)
    return pd.DataFrame({
        "SK_ID_CURR": truth["SK_ID_CURR"].astype("int64"),
        "split": truth["SPLIT"].astype(str),
        "default_probability": truth["DEFAULT_PROBABILITY"].astype("float64"),
        "outcome": truth["OUTCOME"].astype("int64"),
    })


@data_app.command("load")
def load_command(
    folder: Annotated[Path, typer.Argument(help="Folder holding the eight CSV files.")],
) -> None:
    """Validate, build the client features and load them into the database (one transaction)."""
    from tqdm import tqdm

    from credit_core.db import get_engine
    from credit_core.db.migrate import upgrade
    from credit_pipeline.data.validate import format_report, validate_dir
    from credit_pipeline.features.build import build_client_data
    from credit_pipeline.features.store import load_client_data

    started = time.perf_counter()
    typer.echo(f"Validating {folder} ...")
    report = validate_dir(folder, keep_frames=True)
    if not report.ok:
        typer.echo(format_report(report), err=True)
        raise fail(f"{folder} does not conform to the schema; nothing was loaded")
    with tqdm(desc="features", unit="table", leave=False) as bar:

        def table_done(name: str) -> None:
            bar.set_postfix_str(name)
            bar.update(1)

        data = build_client_data(report.frames, progress=table_done)
    report.frames.clear()
    url = get_core_settings().resolved_database_url
    upgrade(url)
    engine = get_engine(url)
    with tqdm(total=2 * data.rows, desc="loading", unit="row", unit_scale=True) as bar:
        summary = load_client_data(engine, data, truth=_read_truth(folder), step=bar.update)
    typer.echo(
        f"Loaded {summary.clients:,} clients ({summary.train:,} train, {summary.test:,} test) "
        f"with {data.features.shape[1] - 3} features into {engine.url.render_as_string()} "
        f"in {time.perf_counter() - started:.1f} s"
        + (f"; oracle probabilities for {summary.truth_rows:,}" if summary.truth_rows else "")
    )
