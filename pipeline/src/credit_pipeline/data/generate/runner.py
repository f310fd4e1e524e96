"""Generate the eight files (and the oracle beside them), table by table, freeing as it goes."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm import tqdm

from credit_pipeline.data.raw_schema import RAW_TABLES, Column

from .application import Applicants, draw_applicants
from .bureau import BureauCredits, draw_bureau
from .bureau_balance import draw_bureau_balance
from .credit_card import draw_credit_card
from .installments import draw_installments
from .pos_cash import draw_pos_cash, loans_with_schedule
from .previous import draw_previous
from .writer import write_csv

__all__ = ["MIN_ROWS", "ORACLE_COLUMNS", "ORACLE_FILE", "GenerationSummary", "generate"]

MIN_ROWS = 100
#: The oracle file, written beside the eight Kaggle files (never inside them).
ORACLE_FILE = "true_default_probability.csv"
ORACLE_COLUMNS = (
    Column("SK_ID_CURR", "int64", nullable=False),
    Column("SPLIT", "object", ("train", "test"), nullable=False),
    Column("DEFAULT_PROBABILITY", "float64", nullable=False),
    Column("OUTCOME", "int64", nullable=False),
)


@dataclass(frozen=True)
class GenerationSummary:
    """What :func:`generate` wrote: the folder, the seed, rows per file and the time it took."""

    out_dir: Path
    seed: int
    rows: dict[str, int] = field(default_factory=dict)  # file name -> data rows
    seconds: float = 0.0


def _validate(rows: object, seed: object) -> None:
    if isinstance(rows, bool) or not isinstance(rows, int | np.integer) or rows < MIN_ROWS:
        raise ValueError(f"rows must be an integer >= {MIN_ROWS} (got {rows!r})")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed must be an integer >= 0 (got {seed!r})")


def _write(out_dir: Path, table: str, frame: dict[str, np.ndarray], written: dict[str, int],
           rows: np.ndarray | None = None) -> None:
    file = RAW_TABLES[table].file
    written[file] = write_csv(out_dir / file, RAW_TABLES[table].columns, frame, rows)


def _write_applications(out_dir: Path, applicants: Applicants, written: dict[str, int]) -> None:
    frame = dict(applicants.frame, TARGET=applicants.outcome)
    _write(out_dir, "application_train", frame, written, np.flatnonzero(~applicants.is_test))
    _write(out_dir, "application_test", frame, written, np.flatnonzero(applicants.is_test))
    oracle = {"SK_ID_CURR": applicants.ids, "SPLIT": applicants.is_test.astype(np.int16),
              "DEFAULT_PROBABILITY": np.round(applicants.default_probability, 10),
              "OUTCOME": applicants.outcome}
    written[ORACLE_FILE] = write_csv(out_dir / ORACLE_FILE, ORACLE_COLUMNS, oracle)


def _satellites(out_dir: Path, seeds: list[np.random.SeedSequence], applicants: Applicants,
                written: dict[str, int], advance: Callable[[str], None]) -> None:
    """The six satellite files; each table is dropped once written (bureau_balance is 27M rows)."""
    bureau: BureauCredits = draw_bureau(seeds[0], applicants)
    _write(out_dir, "bureau", bureau.frame, written)
    advance("bureau_balance")
    _write(out_dir, "bureau_balance", draw_bureau_balance(seeds[1], bureau, applicants), written)
    del bureau
    advance("previous_application")
    previous = draw_previous(seeds[2], applicants)
    _write(out_dir, "previous_application", previous.frame, written, previous.file_order)
    advance("credit_card_balance")
    card_balance = draw_credit_card(seeds[3], previous, applicants)
    _write(out_dir, "credit_card_balance", card_balance, written)
    advance("POS_CASH_balance")
    loans = loans_with_schedule(np.random.default_rng(seeds[4]), previous, applicants)
    _write(out_dir, "POS_CASH_balance", draw_pos_cash(seeds[5], loans, previous), written)
    advance("installments_payments")
    installments = draw_installments(seeds[6], loans, previous, card_balance)
    del card_balance
    _write(out_dir, "installments_payments", installments, written)


def generate(out_dir: Path | str, rows: int = 307_511, seed: int = 42,
             progress: bool = True) -> GenerationSummary:
    """Write a synthetic Home Credit Default Risk data set into ``out_dir``.

    ``rows`` is the size of application_train; application_test and the six satellite tables
    scale with it. The same seed gives byte-identical files. Besides the eight Kaggle files,
    ``true_default_probability.csv`` holds each applicant's true probability of default and
    drawn outcome (TARGET for train rows). A progress bar goes to stderr unless ``progress`` is
    False. Raises ValueError for rows below 100 or a negative seed.
    """
    _validate(rows, seed)
    started = time.perf_counter()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    seeds = np.random.SeedSequence(int(seed)).spawn(8)
    written: dict[str, int] = {}
    with tqdm(total=7, unit="step", file=sys.stderr, disable=not progress) as bar:
        def advance(next_step: str) -> None:
            """Count the finished step and name the next one."""
            bar.update()
            bar.set_description(next_step)

        bar.set_description("application")
        applicants = draw_applicants(seeds[0], int(rows))
        _write_applications(out, applicants, written)
        advance("bureau")
        _satellites(out, seeds[1:], applicants, written, advance)
        bar.update()
    return GenerationSummary(out, int(seed), written, time.perf_counter() - started)
