"""Validate a folder of the eight Home Credit files before anything is built on it.

:func:`validate_dir` reads each file once (see :mod:`credit_pipeline.data.io`) and checks, with
vectorised operations on the frames:

- the folder and the eight files exist, are not empty, are UTF-8, parse as CSV (no malformed or
  cut line, no unclosed quote), have every schema column (unknown or reordered columns are
  warnings), and hold values of the schema's types, with no missing value where the schema
  forbids one;
- categorical values outside the schema's levels (warning: the real data may hold a level that
  our facts missed);
- keys: unique primary keys (a duplicated composite key such as (SK_ID_PREV, MONTHS_BALANCE) is
  only a warning), train and test clients disjoint, every satellite SK_ID_CURR known in
  train or test; loan ids absent from their parent table are allowed (the real data has 4-11 %)
  and reported as notes with their share;
- TARGET only in application_train, always 0 or 1.

Examples in messages are capped at ``MAX_EXAMPLES``; line numbers count the header as line 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from credit_pipeline.data.io import MAX_EXAMPLES, Problem, scan_file, to_frame
from credit_pipeline.data.raw_schema import RAW_TABLES, RawTable

__all__ = ["Note", "Problem", "ValidationReport", "format_report", "validate_dir"]

_APPLICATIONS = ("application_train", "application_test")
# Child ids that may lack a parent row: the real data has such orphans (4-11 % of the ids).
_SOFT_KEYS = (
    ("bureau_balance", "SK_ID_BUREAU", "bureau"),
    ("POS_CASH_balance", "SK_ID_PREV", "previous_application"),
    ("installments_payments", "SK_ID_PREV", "previous_application"),
    ("credit_card_balance", "SK_ID_PREV", "previous_application"),
)
_KEY_COLUMNS = ("SK_ID_CURR", "SK_ID_BUREAU", "SK_ID_PREV")
_BITMAP_LIMIT = 200_000_000  # id spans up to this are tested with a boolean lookup table


@dataclass(frozen=True)
class Note:
    """A fact worth knowing that is not a problem, such as the share of orphan loan ids."""

    file: str
    column: str | None
    message: str
    share: float | None = None


@dataclass
class ValidationReport:
    """The outcome of :func:`validate_dir`.

    ``row_counts`` and ``frames`` are keyed by table name (``"bureau"``...). ``frames`` holds the
    tables as :func:`credit_pipeline.data.io.read_table` returns them, only when the folder is
    ok and ``keep_frames`` was asked, so that the loader does not read the files twice.
    """

    data_dir: Path
    problems: list[Problem] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    row_counts: dict[str, int] = field(default_factory=dict)
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        """The problems that make the folder unusable."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """The problems worth a look that do not stop the pipeline."""
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        """True when no problem is an error."""
        return not self.errors


def validate_dir(data_dir: Path, *, keep_frames: bool = True) -> ValidationReport:
    """Check the eight Home Credit files of ``data_dir``; never raises on bad data."""
    data_dir = Path(data_dir)
    report = ValidationReport(data_dir)
    if not data_dir.is_dir():
        reason = "not a folder" if data_dir.exists() else "the folder does not exist"
        report.problems.append(Problem(str(data_dir), None, reason))
        return report
    frames: dict[str, pd.DataFrame] = {}
    for name, table in RAW_TABLES.items():
        # Once an error is found the frames will be dropped: convert only what the checks need.
        frame = _check_file(data_dir, table, report, keep_frames and report.ok)
        if frame is not None:
            keys = [c for c in frame.columns if c in _KEY_COLUMNS]
            frames[name] = frame if keep_frames else frame[keys]
    report.problems += _client_problems(frames)
    report.notes += _orphan_notes(frames)
    report.frames = frames if keep_frames and report.ok else {}
    return report


def format_report(report: ValidationReport) -> str:
    """The report as text for a terminal or a log: verdict, row counts, then each finding."""
    verdict = "OK" if report.ok else "NOT OK"
    lines = [f"Home Credit data in {report.data_dir}: {verdict} "
             f"({len(report.errors)} error(s), {len(report.warnings)} warning(s))"]
    if report.row_counts:
        lines.append("Rows: " + ", ".join(
            f"{RAW_TABLES[n].file} {count:,}" for n, count in report.row_counts.items()))
    for title, problems in (("Errors", report.errors), ("Warnings", report.warnings)):
        if problems:
            lines.append(f"{title}:")
            lines += [f"  - {_where(p.file, p.column)}: {p.reason}" for p in problems]
    if report.notes:
        lines.append("Notes:")
        lines += [f"  - {_where(n.file, n.column)}: {n.message}" for n in report.notes]
    return "\n".join(lines)


def _where(file: str, column: str | None) -> str:
    return f"{file}, column {column}" if column else file


def _check_file(
    data_dir: Path, table: RawTable, report: ValidationReport, keep_frame: bool
) -> pd.DataFrame | None:
    """Read one file, record its problems; return the usable part of its frame.

    Without ``keep_frame`` only the columns that the checks need are converted to pandas.
    """
    scan = scan_file(data_dir / table.file, table)
    problems = scan.problems
    if table.name == "application_test" and "TARGET" in scan.header:
        problems = [p for p in problems if p.column != "TARGET"]
        problems.append(Problem(table.file, "TARGET", "the test file has a TARGET column: "
                                "only application_train.csv may carry the answer"))
    report.problems += problems
    if scan.table is None:
        return None
    report.row_counts[table.name] = scan.table.num_rows
    # Columns of the wrong type or with forbidden gaps stay out of the checks below.
    unusable = {p.column for p in problems if p.severity == "error"}
    checked = {*table.primary_key, *table.foreign_keys, *_KEY_COLUMNS, "TARGET"}
    columns = [
        c.name for c in table.columns
        if c.name not in unusable and (keep_frame or c.levels or c.name in checked)
    ]
    arrow_table, scan.table = scan.table, None
    frame = to_frame(arrow_table, table, columns)
    del arrow_table
    pa.default_memory_pool().release_unused()  # hand the parser's buffers back to the system
    report.problems += _primary_key_problems(frame, table)
    report.problems += _level_problems(frame, table)
    report.problems += _target_problems(frame, table)
    return frame


def _primary_key_problems(frame: pd.DataFrame, table: RawTable) -> list[Problem]:
    key = list(table.primary_key)
    if not key or any(c not in frame.columns for c in key):
        return []
    repeated = _duplicated(frame, key)
    if not repeated.any():
        return []
    rows = np.flatnonzero(repeated)[:MAX_EXAMPLES]
    shown = ", ".join(
        f"{' / '.join(str(frame[c].iat[r]) for c in key)} (line {r + 2})" for r in rows)
    composite = len(key) > 1
    reason = (f"{int(repeated.sum()):,} row(s) repeat a key already seen, e.g. {shown}: "
              f"{' + '.join(key)} should identify one row")
    return [Problem(table.file, ", ".join(key), reason, "warning" if composite else "error")]


def _duplicated(frame: pd.DataFrame, key: list[str]) -> np.ndarray:
    """Rows whose key was already seen.

    Integer keys are packed into one int64 code; when the codes span a modest range, a presence
    table proves in O(n) that they are all distinct (the usual case), before any hashing.
    """
    if not all(pd.api.types.is_integer_dtype(frame[c]) for c in key):
        return frame.duplicated(subset=key).to_numpy()
    code = np.zeros(len(frame), dtype=np.int64)
    for column in key:
        values = frame[column].to_numpy()
        low, span = int(values.min()), int(values.max()) - int(values.min()) + 1
        if int(code.max(initial=0)) >= (2**62) // span:
            return frame.duplicated(subset=key).to_numpy()
        code = code * span + (values - low)
    if int(code.max(initial=0)) <= _BITMAP_LIMIT and _distinct(code).size == code.size:
        return np.zeros(code.size, dtype=bool)
    return pd.Series(code).duplicated().to_numpy()


def _level_problems(frame: pd.DataFrame, table: RawTable) -> list[Problem]:
    problems = []
    for column in table.columns:
        values = frame.get(column.name)
        if values is None or not column.levels or values.dtype != "category":
            continue
        unknown = values.cat.categories.difference(column.levels)
        if unknown.empty:
            continue
        outside = values.isin(unknown).to_numpy()
        counts = values[outside].value_counts().loc[lambda c: c > 0]
        rows = np.flatnonzero(outside)[:MAX_EXAMPLES]
        top = counts.head(MAX_EXAMPLES)
        shown = ", ".join(f"{level!r} ({n:,} rows)" for level, n in top.items())
        reason = (f"{int(counts.sum()):,} value(s) outside the known levels: {shown}"
                  f"{', ...' if len(counts) > MAX_EXAMPLES else ''}; e.g. on line(s) "
                  f"{', '.join(str(r + 2) for r in rows)}")
        problems.append(Problem(table.file, column.name, reason, "warning"))
    return problems


def _target_problems(frame: pd.DataFrame, table: RawTable) -> list[Problem]:
    if "TARGET" not in table.column_names or "TARGET" not in frame.columns:
        return []
    target = frame["TARGET"]
    wrong = ~target.isin([0, 1]).to_numpy()
    if not wrong.any():
        return []
    rows = np.flatnonzero(wrong)[:MAX_EXAMPLES]
    shown = ", ".join(f"{target.iat[r]} (line {r + 2})" for r in rows)
    return [Problem(table.file, "TARGET", f"TARGET must be 0 or 1, but {int(wrong.sum()):,} "
                    f"row(s) hold another value, e.g. {shown}")]


def _client_problems(frames: dict[str, pd.DataFrame]) -> list[Problem]:
    """Train and test clients disjoint; every satellite client known in train or test."""
    train, test = (_int_ids(frames.get(name), "SK_ID_CURR") for name in _APPLICATIONS)
    if train is None or test is None:
        return []
    problems = []
    both = np.intersect1d(train, test)
    if both.size:
        problems.append(Problem(
            RAW_TABLES["application_test"].file, "SK_ID_CURR",
            f"{both.size:,} client(s) are in both application_train.csv and "
            f"application_test.csv, e.g. {', '.join(map(str, both[:MAX_EXAMPLES]))}"))
    known = np.concatenate([train, test])
    for name, table in RAW_TABLES.items():
        for column, target in table.foreign_keys.items():
            values = _int_ids(frames.get(name), column)
            if target != "application.SK_ID_CURR" or values is None:
                continue
            unknown = ~_isin(values, known)
            if unknown.any():
                rows = np.flatnonzero(unknown)[:MAX_EXAMPLES]
                shown = ", ".join(f"{values[r]} (line {r + 2})" for r in rows)
                problems.append(Problem(table.file, column, (
                    f"{int(unknown.sum()):,} row(s) ({np.unique(values[unknown]).size:,} "
                    "client(s)) refer to a client found in neither application_train.csv nor "
                    f"application_test.csv, e.g. {shown}")))
    return problems


def _orphan_notes(frames: dict[str, pd.DataFrame]) -> list[Note]:
    """Share of child loan ids without a parent row: allowed, reported for information."""
    notes = []
    for child, column, parent in _SOFT_KEYS:
        child_ids = _int_ids(frames.get(child), column)
        parent_ids = _int_ids(frames.get(parent), column)
        if child_ids is None or parent_ids is None or child_ids.size == 0:
            continue
        distinct = _distinct(child_ids)
        orphans = int((~_isin(distinct, parent_ids)).sum())
        share = orphans / distinct.size
        notes.append(Note(RAW_TABLES[child].file, column, (
            f"{orphans:,} of {distinct.size:,} {column} ({share:.1%}) have no row in "
            f"{RAW_TABLES[parent].file}; allowed (the real data has about 4-11 %)"), share))
    return notes


def _int_ids(frame: pd.DataFrame | None, column: str) -> np.ndarray | None:
    if frame is None or column not in frame.columns:
        return None
    values = frame[column]
    return values.to_numpy() if pd.api.types.is_integer_dtype(values) else None


def _distinct(values: np.ndarray) -> np.ndarray:
    """Sorted distinct ids, through a presence table when they span a modest range (O(n))."""
    low, high = int(values.min()), int(values.max())
    if high - low > _BITMAP_LIMIT:
        return np.unique(values)
    present = np.zeros(high - low + 1, dtype=bool)
    present[values - low] = True
    return np.flatnonzero(present) + low


def _isin(values: np.ndarray, known: np.ndarray) -> np.ndarray:
    """``np.isin`` through a boolean lookup table when the ids span a modest range (O(n))."""
    if values.size == 0 or known.size == 0:
        return np.zeros(values.size, dtype=bool)
    low, high = int(known.min()), int(known.max())
    if high - low > _BITMAP_LIMIT:
        return np.isin(values, known)
    table = np.zeros(high - low + 1, dtype=bool)
    table[known - low] = True
    inside = (values >= low) & (values <= high)
    found = np.zeros(values.size, dtype=bool)
    found[inside] = table[values[inside] - low]
    return found
