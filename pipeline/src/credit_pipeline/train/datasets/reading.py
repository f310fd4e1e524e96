"""Reading a ``--data`` file: type, encoding and delimiter, checked before any other work.

Every way a file can be unreadable ends in a ``TrainingInputError`` with a one-line message
(the command prints it and exits with code 2), never in a parser traceback:

- binary bytes (a NUL byte, or many control characters, in the first 64 KiB) are refused;
- the encoding is ``--encoding`` when given, else UTF-8 (with or without a BOM), else
  Windows-1252 / Latin-1: a file that is not UTF-8 is almost always one of those two in
  credit data exports, and Latin-1 decodes any byte, so the sniff never fails on text;
- the delimiter is ``--sep`` when given, else sniffed among ``, ; TAB |`` on the first lines
  (the one that splits every line into the same, largest number of fields).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from credit_pipeline.train.datasets.training_data import TrainingInputError

__all__ = ["CANDIDATE_SEPARATORS", "TextFormat", "read_table", "sniff_format"]

CANDIDATE_SEPARATORS = (",", ";", "\t", "|")
_SNIFF_BYTES = 64 * 1024
#: Control characters other than TAB, LF, CR are rare in text; more than this share is binary.
_MAX_CONTROL_SHARE = 0.05
_FALLBACK_ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")


@dataclass(frozen=True)
class TextFormat:
    """How a delimited text file is read."""

    encoding: str
    separator: str


def _refuse_binary(path: Path, head: bytes) -> None:
    if not head:
        raise TrainingInputError(f"{path}: the file is empty")
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 13))
    if b"\x00" in head or controls > _MAX_CONTROL_SHARE * len(head):
        raise TrainingInputError(
            f"{path}: binary content, not delimited text (a CSV file must be text; "
            "Parquet files need the .parquet suffix)"
        )


def _decodes(head: bytes, encoding: str) -> UnicodeDecodeError | None:
    """None if ``head`` decodes; a read head may end inside a multi-byte character."""
    try:
        head.decode(encoding)
    except UnicodeDecodeError as error:
        truncated = len(head) == _SNIFF_BYTES and error.start >= len(head) - 3
        return None if truncated else error
    return None


def _encoding(path: Path, head: bytes, given: str | None) -> str:
    if given:
        try:
            error = _decodes(head, given)
        except LookupError:
            raise TrainingInputError(f"--encoding {given!r} is not a known encoding") from None
        if error is not None:
            raise TrainingInputError(
                f"{path}: byte {error.object[error.start]:#04x} at offset {error.start} is "
                f"not valid {given}; give the file's encoding with --encoding"
            )
        return given
    return next(e for e in _FALLBACK_ENCODINGS if _decodes(head, e) is None)


def _separator(path: Path, text: str, given: str | None) -> str:
    if given:
        if len(given) != 1 and given != "\\t":
            raise TrainingInputError(f"--sep {given!r} must be one character")
        return "\t" if given == "\\t" else given
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    if len(lines) > 1 and not text.endswith("\n"):
        lines = lines[:-1]  # the sniffed head may cut the last line
    best, best_fields = ",", 1
    for separator in CANDIDATE_SEPARATORS:
        counts = {len(row) for row in csv.reader(io.StringIO("\n".join(lines)),
                                                 delimiter=separator)}
        if len(counts) == 1 and (fields := counts.pop()) > best_fields:
            best, best_fields = separator, fields
    return best


def sniff_format(path: Path, encoding: str | None = None, separator: str | None = None
                 ) -> TextFormat:
    """The encoding and delimiter of a text file (given ones are checked, not trusted)."""
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    _refuse_binary(path, head)
    chosen = _encoding(path, head, encoding)
    text = head.decode(chosen, errors="ignore")
    return TextFormat(chosen, _separator(path, text, separator))


def _read_text(path: Path, encoding: str | None, separator: str | None) -> pd.DataFrame:
    text_format = sniff_format(path, encoding, separator)
    try:
        return pd.read_csv(path, sep=text_format.separator, encoding=text_format.encoding,
                           low_memory=False)
    except pd.errors.EmptyDataError:
        raise TrainingInputError(f"{path}: the file is empty") from None
    except pd.errors.ParserError as error:
        # pandas' message is one line such as "Expected 5 fields in line 12, saw 6".
        detail = str(error).strip().splitlines()[-1]
        raise TrainingInputError(
            f"{path}: not a consistent {text_format.separator!r}-separated file ({detail}); "
            "give the delimiter with --sep"
        ) from None
    except UnicodeDecodeError as error:
        raise TrainingInputError(
            f"{path}: byte {error.object[error.start]:#04x} at offset {error.start} is not "
            f"valid {text_format.encoding}; give the file's encoding with --encoding"
        ) from None


def read_table(path: Path, encoding: str | None = None, separator: str | None = None
               ) -> pd.DataFrame:
    """The file as a DataFrame (CSV / text or Parquet, by suffix); one-line errors otherwise."""
    if not path.is_file():
        raise TrainingInputError(f"{path}: no such file")
    suffixes = "".join(path.suffixes).lower()
    if ".parquet" in suffixes or suffixes.endswith(".pq"):
        try:
            return pd.read_parquet(path)
        except Exception as error:  # pyarrow raises several types for a damaged file
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
            raise TrainingInputError(f"{path}: not a readable Parquet file ({first_line})") from None
    if any(suffix in suffixes for suffix in (".csv", ".txt", ".tsv")):
        return _read_text(path, encoding, separator)
    raise TrainingInputError(f"{path}: unsupported file type; use .csv or .parquet")
