"""`credit score batch`: score a whole population with the champion, in chunks, audited.

What the Kubernetes batch-score Job runs (and what an operator runs for a nightly scoring): the
client table is read in chunks of ``--chunk-size`` ids (keyset pagination, so memory stays flat
whatever the table's size), each chunk is scored by credit_core's audited scoring (the scoring
API's own) and its decisions are written to the audit table in the chunk's transaction. A run
is one request id (``batch-<uuid>``), so its decisions can be found together; an interrupted
run keeps the chunks it committed, and ``--after ID`` resumes after the last client it reported.
"""

from __future__ import annotations

import csv
import time
import uuid
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from credit_core.db import get_engine
from credit_core.db.clients import count_clients, iter_client_ids
from credit_core.scoring import Scorer, check_compatible, score_clients
from credit_core.settings import get_core_settings
from credit_pipeline.commands.data import fail

__all__ = ["iter_client_chunks", "score_app"]

score_app = typer.Typer(no_args_is_help=True, help="Score clients with the champion model.")

MAX_CHUNK = 10_000


class Split(StrEnum):
    test = "test"
    train = "train"
    all = "all"


def iter_client_chunks(engine: Engine, split: Split, chunk_size: int,
                       after: int | None = None) -> Iterator[list[int]]:
    """Client ids of ``split`` in increasing order, ``chunk_size`` at a time (keyset paging)."""
    return iter_client_ids(engine, _split_filter(split), chunk_size, after)


def _split_filter(split: Split) -> str | None:
    return None if split is Split.all else split.value


def _load_scorer(tracking_uri: str, name: str, alias: str,
                 cache_dir: Path) -> tuple[Scorer, str]:
    """The scorer of the version the alias points to (or the cached one), and any problem."""
    from credit_core.model_source import ModelSource

    source = ModelSource(tracking_uri, name, alias, cache_dir, validate=check_compatible)
    model, problem = source.load_at_startup()
    if model is None:
        raise fail(f"no model to score with: {problem}")
    return Scorer(model), problem or ""


@score_app.command("batch")
def batch_command(
    chunk_size: Annotated[int, typer.Option(
        "--chunk-size", min=1, max=MAX_CHUNK,
        help="Clients read, scored and audited per transaction.")] = 5_000,
    split: Annotated[Split, typer.Option(
        "--split", help="Which clients: the test applicants, the training clients, or all.")
    ] = Split.test,
    output: Annotated[Path | None, typer.Option(
        "--output", help="Also write the decisions to this CSV file.")] = None,
    caller: Annotated[str, typer.Option(
        "--caller", help="Name recorded as the caller of every audited decision.")
    ] = "batch-score",
    after: Annotated[int | None, typer.Option(
        "--after", help="Resume: only clients whose id is greater than this one.")] = None,
    limit: Annotated[int | None, typer.Option(
        "--limit", min=1, help="Stop after this many clients.")] = None,
) -> None:
    """Score every client of a split with the champion, chunk by chunk, each decision audited."""
    settings = get_core_settings()
    engine = get_engine(settings.resolved_database_url)
    try:
        total = count_clients(engine, _split_filter(split), after)
    except SQLAlchemyError as error:
        raise fail(f"cannot read the client table at {engine.url.render_as_string()}: "
                   f"{type(error).__name__}: {str(error).splitlines()[0]}") from error
    if limit is not None:
        total = min(total, limit)
    scorer, problem = _load_scorer(settings.resolved_tracking_uri, settings.model_name,
                                   settings.model_alias,
                                   settings.resolved_var_dir / "model-cache" / "batch")
    if problem:
        typer.secho(f"warning: {problem}", err=True, fg=typer.colors.YELLOW)
    request_id = f"batch-{uuid.uuid4().hex[:16]}"
    typer.echo(f"Scoring {total:,} {split.value} clients with {scorer.model.name} version "
               f"{scorer.version} in chunks of {chunk_size:,}; request id {request_id}", err=True)
    writer, handle = None, None
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        handle = output.open("w", newline="")
        writer = csv.writer(handle)
        writer.writerow(["client_id", "probability", "threshold", "decision", "decision_id",
                         "model_version", "scored_at"])
    from tqdm import tqdm

    counts = {"approved": 0, "refused": 0}
    started = time.perf_counter()
    last_id = after
    try:
        with tqdm(total=total, unit="client", desc="scoring", disable=None) as progress:
            for ids in iter_client_chunks(engine, split, chunk_size, after):
                if limit is not None:
                    ids = ids[:max(0, total - sum(counts.values()))]
                    if not ids:
                        break
                made = score_clients(engine, scorer, ids, caller, request_id)
                for decision in made:
                    counts[decision.decision] += 1
                if writer is not None:
                    writer.writerows([d.client_id, repr(d.probability), repr(d.threshold),
                                      d.decision, d.decision_id, scorer.version,
                                      d.scored_at.isoformat()] for d in made)
                last_id = ids[-1]
                progress.update(len(ids))
    except SQLAlchemyError as error:
        raise fail(f"the database failed after client {last_id} (every earlier chunk is "
                   f"committed; resume with --after {last_id}): "
                   f"{type(error).__name__}: {str(error).splitlines()[0]}") from error
    finally:
        if handle is not None:
            handle.close()
    scored = sum(counts.values())
    seconds = time.perf_counter() - started
    typer.echo(f"Scored {scored:,} clients in {seconds:.1f} s "
               f"({scored / max(seconds, 1e-9):,.0f}/s): {counts['approved']:,} approved, "
               f"{counts['refused']:,} refused; audited under request id {request_id}"
               + (f"; last client {last_id}" if last_id is not None else ""))
