"""A tiny but valid folder of the eight Home Credit files, and helpers to break it.

Everything derives from ``raw_schema``: every column in the real order, the schema's dtypes and
levels, missing values only where the schema allows them, and consistent keys (each client has
bureau credits with monthly balances and previous applications with POS, instalment and card
rows). The builder is vectorised, so the same code writes a full-size folder for a speed test.

The breakers edit one file in place; data rows are numbered from 0, so row ``r`` is on line
``r + 2`` of the file (the header is line 1).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from credit_pipeline.data.raw_schema import RAW_TABLES, Column

FIRST_CLIENT, FIRST_BUREAU, FIRST_PREV = 100_001, 5_000_001, 1_000_001
#: Rows per parent in the tiny folder; pass others to build a bigger one.
TINY_FAN_OUT = {"bureau": 2, "bureau_balance": 3, "previous_application": 2,
                "POS_CASH_balance": 2, "installments_payments": 2, "credit_card_balance": 2}


def build_frames(
    n_train: int = 6, n_test: int = 3, seed: int = 0, fan_out: dict[str, int] | None = None
) -> dict[str, pd.DataFrame]:
    """The eight tables as frames, keyed by table name."""
    rng = np.random.default_rng(seed)
    fan = {**TINY_FAN_OUT, **(fan_out or {})}
    clients = np.arange(FIRST_CLIENT, FIRST_CLIENT + n_train + n_test)
    bureau_curr = np.repeat(clients, fan["bureau"])
    bureau_ids = FIRST_BUREAU + np.arange(bureau_curr.size)
    prev_curr = np.repeat(clients, fan["previous_application"])
    prev_ids = FIRST_PREV + np.arange(prev_curr.size)
    card = slice(0, prev_ids.size, 3)  # every third previous loan is a credit card
    keys = {
        "application_train": {"SK_ID_CURR": clients[:n_train],
                              "TARGET": np.arange(n_train) % 2},
        "application_test": {"SK_ID_CURR": clients[n_train:]},
        "bureau": {"SK_ID_CURR": bureau_curr, "SK_ID_BUREAU": bureau_ids},
        "bureau_balance": _monthly(bureau_ids, None, "SK_ID_BUREAU", fan["bureau_balance"]),
        "previous_application": {"SK_ID_PREV": prev_ids, "SK_ID_CURR": prev_curr},
        "POS_CASH_balance": _monthly(prev_ids, prev_curr, "SK_ID_PREV", fan["POS_CASH_balance"]),
        "installments_payments": _monthly(prev_ids, prev_curr, "SK_ID_PREV",
                                          fan["installments_payments"]),
        "credit_card_balance": _monthly(prev_ids[card], prev_curr[card], "SK_ID_PREV",
                                        fan["credit_card_balance"]),
    }
    installments = keys["installments_payments"]
    installments["NUM_INSTALMENT_NUMBER"] = 1 - installments.pop("MONTHS_BALANCE")
    return {name: _fill(name, fixed, rng) for name, fixed in keys.items()}


def write_tiny_dataset(data_dir: Path, **build_options: int) -> Path:
    """Write the eight CSV files of :func:`build_frames` into ``data_dir`` (created)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    for name, frame in build_frames(**build_options).items():  # type: ignore[arg-type]
        frame.to_csv(data_dir / RAW_TABLES[name].file, index=False)
    return data_dir


def _monthly(
    parent_ids: np.ndarray, clients: np.ndarray | None, id_column: str, months: int
) -> dict[str, np.ndarray]:
    columns = {id_column: np.repeat(parent_ids, months),
               "MONTHS_BALANCE": -np.tile(np.arange(months), parent_ids.size)}
    if clients is not None:
        columns["SK_ID_CURR"] = np.repeat(clients, months)
    return columns


def _fill(name: str, fixed: dict[str, np.ndarray], rng: np.random.Generator) -> pd.DataFrame:
    n_rows = next(iter(fixed.values())).size
    data = {
        column.name: fixed[column.name] if column.name in fixed
        else _values(column, n_rows, rng)
        for column in RAW_TABLES[name].columns
    }
    return pd.DataFrame(data)


def _values(column: Column, n_rows: int, rng: np.random.Generator) -> np.ndarray:
    """Plausible values of the column's dtype; every fourth row missing where allowed."""
    gaps = (np.arange(n_rows) % 4 == 3) if column.nullable else np.zeros(n_rows, dtype=bool)
    if column.dtype == "int64":
        low, high = (-3000, 0) if column.name.startswith("DAYS_") else (0, 3)
        return rng.integers(low, high, n_rows)
    if column.dtype == "float64":
        values = np.round(rng.random(n_rows) * 1000, 2)
        return np.where(gaps, np.nan, values)
    values = rng.choice(np.array(column.levels or ("x",), dtype=object), n_rows)
    return np.where(gaps, None, values)


# --- breakers: each edits one file of a folder written by write_tiny_dataset ---------------


def path_of(data_dir: Path, name: str) -> Path:
    """The file of table ``name`` (e.g. ``"bureau"``) in ``data_dir``."""
    return data_dir / RAW_TABLES[name].file


def read_text(data_dir: Path, name: str) -> pd.DataFrame:
    """A file as text cells exactly as written (missing values are empty strings)."""
    return pd.read_csv(path_of(data_dir, name), dtype=str, keep_default_na=False)


def write_text(data_dir: Path, name: str, frame: pd.DataFrame, encoding: str = "utf-8") -> None:
    """Write text cells back (values with commas are quoted, as pandas does)."""
    frame.to_csv(path_of(data_dir, name), index=False, encoding=encoding)


def set_value(data_dir: Path, name: str, row: int, column: str, text: str) -> None:
    """Replace one cell with ``text`` (row 0 is on line 2)."""
    frame = read_text(data_dir, name)
    frame.loc[row, column] = text
    write_text(data_dir, name, frame)


def drop_column(data_dir: Path, name: str, column: str) -> None:
    """Remove a column from a file."""
    write_text(data_dir, name, read_text(data_dir, name).drop(columns=[column]))


def add_column(data_dir: Path, name: str, column: str, text: str = "1") -> None:
    """Add a column with the same text on every row."""
    frame = read_text(data_dir, name)
    frame[column] = text
    write_text(data_dir, name, frame)


def append_copy_of_row(data_dir: Path, name: str, row: int, **changes: str) -> None:
    """Append a copy of a data row, with some cells changed (its line is the file's last)."""
    frame = read_text(data_dir, name)
    copy = frame.iloc[[row]].assign(**changes)
    write_text(data_dir, name, pd.concat([frame, copy], ignore_index=True))


def append_bytes(data_dir: Path, name: str, data: bytes) -> None:
    """Append raw bytes at the end of a file."""
    with path_of(data_dir, name).open("ab") as handle:
        handle.write(data)


def cut_bytes(data_dir: Path, name: str, n_bytes: int) -> None:
    """Drop the last ``n_bytes`` bytes of a file, as an interrupted download would."""
    path = path_of(data_dir, name)
    path.write_bytes(path.read_bytes()[:-n_bytes])


def line_count(data_dir: Path, name: str) -> int:
    """Number of lines of a file, header included."""
    return path_of(data_dir, name).read_bytes().count(b"\n")
