"""Read the eight Home Credit files with the dtypes of ``raw_schema``, fast and light.

How: each file is memory-mapped, checked in one pass over its bytes (UTF-8, balanced quotes)
and parsed by pyarrow's multithreaded CSV reader with an explicit type for every column, so
nothing is guessed and a 27M-row file takes a few seconds (the whole 2.6 GB folder about 20-30 s
on 2 cores).

What :func:`read_table` returns:

- the schema's columns in the schema's order (extra columns of the file are dropped; the file's
  column order does not matter: columns are read by name);
- ``int64`` and ``float64`` columns exactly as the schema says;
- object columns as pandas ``category`` (categories = the values seen, in no set order): 27M
  ``STATUS`` values then cost 27 MB of codes instead of 216 MB of pointers to Python strings.
  ``.astype(object)`` gives plain strings back; note that a category column only accepts its
  categories (``fillna("missing")`` needs ``.cat.add_categories("missing")`` first);
- an empty field and pandas' usual NA spellings (``NA``, ``NaN``, ``null``...) are missing values
  (NaN), as with ``pd.read_csv``;
- ordinary writeable numpy-backed columns (not read-only views of arrow memory).

What cannot be read raises :class:`RawDataError` (file, column, reason). :func:`scan_file` is the
tolerant variant used by the validator: it collects every problem instead of stopping at the
first. Line numbers in messages count the header as line 1.
"""

from __future__ import annotations

import csv
import mmap
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from credit_pipeline.data.raw_schema import RAW_TABLES, RawTable

__all__ = [
    "MAX_EXAMPLES", "Problem", "RawDataError", "TableScan", "read_table", "scan_file", "to_frame",
]

Severity = Literal["error", "warning"]
#: At most this many examples in a message, so that a broken 27M-row file stays readable.
MAX_EXAMPLES = 5
_CHUNK = 64 << 20  # bytes per pass of the byte checks: bounded memory on any file size

# pandas' default NA spellings, so that the frames match what pd.read_csv would give.
_NULL_VALUES = [
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
]
_ARROW_TYPES = {
    "int64": pa.int64(), "float64": pa.float64(), "object": pa.dictionary(pa.int32(), pa.string()),
}
_CONVERSION_ERROR = re.compile(r"In CSV column #(\d+): .*CSV conversion error")
# What pyarrow accepts as int64 / float64 text (used only to explain a failed conversion).
_VALID_TEXT = {
    "int64": (r"^\s*-?\d{1,18}\s*$", "whole numbers"),
    "float64": (r"^\s*[+-]?((\d+\.?\d*|\.\d+)(e[+-]?\d+)?|inf|infinity|nan)\s*$", "numbers"),
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data: where (file, column) and why, in plain words."""

    file: str
    column: str | None
    reason: str
    severity: Severity = "error"


class RawDataError(Exception):
    """A raw file that cannot be read with the schema's types."""

    def __init__(self, file: str, column: str | None, reason: str) -> None:
        self.file, self.column, self.reason = file, column, reason
        where = f"{file}, column {column}" if column else file
        super().__init__(f"{where}: {reason}")


@dataclass
class TableScan:
    """What :func:`scan_file` found: the parsed table (None when unusable) and the problems."""

    table: pa.Table | None
    problems: list[Problem] = field(default_factory=list)
    header: list[str] = field(default_factory=list)


def read_table(data_dir: Path, name: str, columns: list[str] | None = None) -> pd.DataFrame:
    """Read the raw table ``name`` (e.g. ``"bureau"``) of ``data_dir`` with the schema dtypes.

    ``columns`` restricts the read to those schema columns. Raises RawDataError on the first
    error (warnings, such as an extra column, are ignored); KeyError for an unknown table or
    column name.
    """
    table = RAW_TABLES[name]
    scan = scan_file(Path(data_dir) / table.file, table, columns)
    error = next((p for p in scan.problems if p.severity == "error"), None)
    if error is not None:
        raise RawDataError(error.file, error.column, error.reason)
    if scan.table is None:  # pragma: no cover - a scan without a table always reports an error
        raise RawDataError(table.file, None, "the file could not be read")
    return to_frame(scan.table, table)


def to_frame(
    arrow_table: pa.Table, table: RawTable, columns: Sequence[str] | None = None
) -> pd.DataFrame:
    """Convert a scanned table (or only ``columns`` of it) to pandas, in the schema order.

    The conversion copies into ordinary writeable numpy blocks: zero-copy views of arrow memory
    would be read-only and break in-place edits such as ``frame.loc[mask, column] = value``.
    """
    keep = set(arrow_table.column_names if columns is None else columns)
    order = [c for c in table.column_names if c in keep and c in arrow_table.column_names]
    return arrow_table.select(order).to_pandas()


def scan_file(path: Path, table: RawTable, columns: Sequence[str] | None = None) -> TableScan:
    """Check and parse one raw file, collecting every problem rather than stopping at one.

    With ``columns`` only those columns are parsed and checked, and the header is not compared
    with the rest of the schema.
    """
    wanted = list(table.column_names if columns is None else columns)
    unknown = sorted(set(wanted) - set(table.column_names))
    if unknown:
        raise KeyError(f"{table.name} has no column(s) {unknown}")
    if not path.is_file():
        return TableScan(None, [Problem(table.file, None, f"the file is missing ({path})")])
    if path.stat().st_size == 0:
        return TableScan(None, [Problem(table.file, None, "the file is empty (0 bytes)")])
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        return _scan_mapped(path, mm, table, wanted, full_header_check=columns is None)


def _scan_mapped(
    path: Path, mm: mmap.mmap, table: RawTable, wanted: list[str], full_header_check: bool
) -> TableScan:
    file = table.file
    facts = _ByteFacts.of(mm)
    if facts.bad_encoding:
        return TableScan(None, [Problem(file, None, facts.bad_encoding)])
    first_line = mm[: mm.find(b"\n")] if mm.find(b"\n") >= 0 else mm[:]
    header = next(csv.reader([first_line.decode("utf-8").lstrip("\ufeff").rstrip("\r")]), [])
    if not any(name.strip() for name in header):
        return TableScan(None, [Problem(file, None, "the first line is empty: no header")])
    problems = _header_problems(file, header, table, wanted, full_header_check)
    problems += [Problem(file, None, reason) for reason in facts.quote_problems]
    if facts.quote_problems or len(set(header)) < len(header):
        return TableScan(None, problems, header)
    present = [c for c in wanted if c in header]
    parsed, parse_problems = _parse(path, mm, table, header, present, facts)
    problems += parse_problems
    if parsed is not None and parsed.num_rows == 0:
        problems.append(Problem(file, None, "the file has a header but no data rows"))
        parsed = None
    if parsed is not None:
        problems += _missing_value_problems(parsed, table)
        if not facts.ends_with_line_break:  # a cut inside the last value leaves no other trace
            problems.append(Problem(file, None, "the file does not end with a line break: check "
                                    f"that its last line (line {_line_at(mm, len(mm))}) is "
                                    "complete", "warning"))
    return TableScan(parsed, problems, header)


def _header_problems(
    file: str, header: list[str], table: RawTable, wanted: list[str], full_check: bool
) -> list[Problem]:
    problems = [
        Problem(file, name, "the column appears more than once in the header")
        for name in sorted({n for n in header if header.count(n) > 1})
    ]
    problems += [
        Problem(file, name, "the column is missing from the header")
        for name in wanted if name not in header
    ]
    if not full_check:
        return problems
    problems += [
        Problem(file, name, "unknown column, not in the schema: it is ignored", "warning")
        for name in header if name not in table.column_names
    ]
    known = [n for n in header if n in table.column_names]
    if known != [n for n in table.column_names if n in header]:
        problems.append(Problem(file, None, "the columns are not in the usual order "
                                "(harmless: they are read by name)", "warning"))
    return problems


def _parse(
    path: Path, mm: mmap.mmap, table: RawTable, header: list[str], present: list[str],
    facts: _ByteFacts,
) -> tuple[pa.Table | None, list[Problem]]:
    """Parse with the schema types; a column that fails to convert is re-read as text."""
    dtypes = {c.name: c.dtype for c in table.columns}
    as_text: list[str] = []
    while True:
        invalid_rows: list[pacsv.InvalidRow] = []
        try:
            parsed = _read_csv(path, present, dtypes, as_text, invalid_rows)
            break
        except (pa.ArrowInvalid, KeyError) as exc:  # KeyError: pyarrow read the header otherwise
            match = _CONVERSION_ERROR.search(str(exc))
            column = header[int(match.group(1))] if match else None
            if column is None or column in as_text:
                return None, [Problem(table.file, column, f"the file cannot be parsed: {exc}")]
            as_text.append(column)
    problems = [
        Problem(table.file, name, _describe_bad_values(parsed.column(name), dtypes[name]))
        for name in as_text
    ]
    if invalid_rows:
        problems.append(Problem(table.file, None, facts.describe_invalid_rows(mm, invalid_rows)))
        return None, problems
    return parsed, problems


def _read_csv(
    path: Path, present: list[str], dtypes: Mapping[str, str], as_text: list[str],
    invalid_rows: list[pacsv.InvalidRow],
) -> pa.Table:
    def set_aside(row: pacsv.InvalidRow) -> str:
        invalid_rows.append(row)
        return "skip"

    types = {n: pa.string() if n in as_text else _ARROW_TYPES[dtypes[n]] for n in present}
    # pyarrow maps the file itself: handing it Python's mmap would pin that map open.
    with pa.memory_map(str(path)) as source:
        return pacsv.read_csv(
            source,
            read_options=pacsv.ReadOptions(use_threads=True, block_size=8 << 20),
            parse_options=pacsv.ParseOptions(invalid_row_handler=set_aside),
            convert_options=pacsv.ConvertOptions(
                column_types=types, include_columns=present, null_values=_NULL_VALUES,
                strings_can_be_null=True,
            ),
        )


def _describe_bad_values(text: pa.ChunkedArray, dtype: str) -> str:
    pattern, kind = _VALID_TEXT.get(dtype, (r"", "text"))
    valid = pc.match_substring_regex(text, pattern, ignore_case=True)
    rows = np.flatnonzero(pc.fill_null(pc.invert(valid), False).to_numpy())
    if rows.size == 0:
        return f"the values cannot be read as {dtype} (out of range?)"
    examples = text.take(pa.array(rows[:MAX_EXAMPLES])).to_pylist()
    shown = ", ".join(f"{v!r} (line {r + 2})" for v, r in zip(examples, rows, strict=False))
    return f"{rows.size:,} value(s) are not {kind} as the schema requires ({dtype}), e.g. {shown}"


def _missing_value_problems(parsed: pa.Table, table: RawTable) -> list[Problem]:
    """Missing values in the columns that the schema declares always filled."""
    problems = []
    for column in table.columns:
        if column.nullable or column.name not in parsed.column_names:
            continue
        values = parsed.column(column.name)
        if values.null_count:
            rows = np.flatnonzero(values.is_null().to_numpy())[:MAX_EXAMPLES]
            problems.append(Problem(
                table.file, column.name,
                f"{values.null_count:,} missing value(s) in a column that must be filled on "
                f"every row, e.g. on line(s) {', '.join(str(r + 2) for r in rows)}",
            ))
    return problems


@dataclass
class _ByteFacts:
    """What one pass over the raw bytes tells: encoding, unbalanced quotes, final line break."""

    ends_with_line_break: bool = True
    bad_encoding: str | None = None
    quote_problems: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, mm: mmap.mmap) -> _ByteFacts:
        """Scan the bytes by chunks cut at line breaks (a character never straddles two).

        Line numbers are only counted when something is wrong: counting them costs as much as
        the rest of the pass.
        """
        facts = cls(ends_with_line_break=mm[-1:] == b"\n")
        odd_lines: list[int] = []
        odd_count, start = 0, 0
        while start < len(mm):
            cut = mm.find(b"\n", min(start + _CHUNK, len(mm)))
            end = len(mm) if cut < 0 else cut + 1
            chunk = mm[start:end]
            if not chunk.isascii() and _first_bad_utf8(chunk) is not None:
                facts.bad_encoding = _encoding_reason(mm, chunk, start)
                return facts
            lines = _odd_quote_lines(chunk) if b'"' in chunk else np.empty(0, dtype=np.int64)
            odd_count += lines.size
            if lines.size and len(odd_lines) < MAX_EXAMPLES:
                lines_before = _line_at(mm, start) - 1
                odd_lines += (lines[: MAX_EXAMPLES - len(odd_lines)] + lines_before + 1).tolist()
            start = end
        if odd_count:
            facts.quote_problems.append(
                f"{odd_count:,} line(s) open a quoted value that is never closed (cut or badly "
                f"exported file), e.g. line(s) {', '.join(map(str, odd_lines))}"
            )
        return facts

    def describe_invalid_rows(self, mm: mmap.mmap, rows: list[pacsv.InvalidRow]) -> str:
        """Explain the rows whose number of fields differs from the header's."""
        expected = rows[0].expected_columns
        last_line = _line_at(mm, len(mm)) - (1 if self.ends_with_line_break else 0)
        shown = []
        for row in rows[:MAX_EXAMPLES]:
            line = _line_of_text(mm, row.text)
            if line == last_line and not self.ends_with_line_break and len(rows) == 1:
                return (f"the file looks truncated: its last line (line {line}) stops after "
                        f"{row.actual_columns} of the {expected} fields")
            shown.append(f"line {line or '?'} has {row.actual_columns}")
        return (f"{len(rows):,} line(s) do not have the {expected} fields of the header "
                f"(malformed CSV): {'; '.join(shown)}")


def _first_bad_utf8(chunk: bytes) -> int | None:
    try:
        chunk.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start
    return None


def _encoding_reason(mm: mmap.mmap, chunk: bytes, offset: int) -> str:
    position = _first_bad_utf8(chunk) or 0
    return (f"the file is not valid UTF-8: byte 0x{chunk[position]:02x} at byte offset "
            f"{offset + position:,} (line {_line_at(mm, offset + position)}); was it saved as "
            "latin-1 / Windows-1252? Save it as UTF-8")


def _odd_quote_lines(chunk: bytes) -> np.ndarray:
    """0-based numbers (within the chunk) of the lines holding an odd number of quotes."""
    data = np.frombuffer(chunk, dtype=np.uint8)
    breaks = np.flatnonzero(data == ord("\n"))
    line_of_quote = np.searchsorted(breaks, np.flatnonzero(data == ord('"')))
    return np.flatnonzero(np.bincount(line_of_quote) % 2)


def _line_at(mm: mmap.mmap, offset: int) -> int:
    """The line number of the byte at ``offset`` (1 + the line breaks before it)."""
    return 1 + sum(mm[s : min(s + _CHUNK, offset)].count(b"\n") for s in range(0, offset, _CHUNK))


def _line_of_text(mm: mmap.mmap, text: str | None) -> int | None:
    """Line number of the first line equal to ``text`` (pyarrow does not give it when threaded)."""
    needle = b"\n" + (text or "").encode("utf-8")
    found = [mm.find(needle + end) for end in (b"\n", b"\r\n")]
    found = [p for p in found if p >= 0]
    if not found and mm[len(mm) - len(needle) :].rstrip(b"\r\n") == needle.rstrip(b"\r\n"):
        found = [len(mm) - len(needle)]  # the last line, without a final line break
    return _line_at(mm, min(found) + 1) if found else None
