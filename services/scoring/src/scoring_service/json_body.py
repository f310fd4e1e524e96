"""JSON for large bodies, parsed so that the event loop keeps running beside it.

``json.loads`` parses a whole document in C without ever releasing the GIL: on a worker thread
a 5 MB body still stops the event loop for its whole parse (0.1 s idle, 0.3 s and more on a
busy machine, where the thread holding the GIL is also descheduled). Here the outer levels of
containers are walked in Python, which releases the GIL every few milliseconds, and each element
below them (a row, a record's value, a column's value) is parsed by the same C scanner as
``json.loads``: the result is the same document, at about the same speed, and /healthz is
answered between two elements. Every few hundred elements the GIL is handed over explicitly:
a thread that waits for it (the event loop, back from a socket) otherwise waits a whole switch
interval behind each busy thread.
"""

from __future__ import annotations

import json
import re
import time
from json.decoder import JSONDecodeError
from typing import Any

from credit_core.web.json_keys import DuplicateKey, unique_pairs

__all__ = ["loads_yielding"]

_WHITESPACE = re.compile(r"[ \t\n\r]*")
#: Below the levels walked here, objects are built by the C scanner through the same hook as
#: every other body of the services (a repeated key is refused, not silently overwritten).
_DECODER = json.JSONDecoder(object_pairs_hook=unique_pairs)
#: Elements of an array parsed between two explicit hand-overs of the GIL (see _array).
_ELEMENTS_PER_PAUSE = 256


def _skip(text: str, index: int) -> int:
    match = _WHITESPACE.match(text, index)
    assert match is not None  # the pattern matches the empty string
    return match.end()


def _value(text: str, index: int, depth: int) -> tuple[Any, int]:
    index = _skip(text, index)
    opening = text[index:index + 1]
    if depth > 0 and opening == "{":
        return _object(text, index + 1, depth - 1)
    if depth > 0 and opening == "[":
        return _array(text, index + 1, depth - 1)
    return _DECODER.raw_decode(text, index)  # C, as json.loads


def _object(text: str, index: int, depth: int) -> tuple[dict[str, Any], int]:
    result: dict[str, Any] = {}
    index = _skip(text, index)
    if text[index:index + 1] == "}":
        return result, index + 1
    while True:
        if text[index:index + 1] != '"':
            raise JSONDecodeError("Expecting property name enclosed in double quotes", text,
                                  index)
        key, index = _DECODER.raw_decode(text, index)  # a string: it starts with a quote
        index = _skip(text, index)
        if text[index:index + 1] != ":":
            raise JSONDecodeError("Expecting ':' delimiter", text, index)
        if key in result:
            raise DuplicateKey(key)
        result[key], index = _value(text, index + 1, depth)
        index = _skip(text, index)
        delimiter = text[index:index + 1]
        if delimiter == "}":
            return result, index + 1
        if delimiter != ",":
            raise JSONDecodeError("Expecting ',' delimiter", text, index)
        index = _skip(text, index + 1)


def _array(text: str, index: int, depth: int) -> tuple[list[Any], int]:
    result: list[Any] = []
    index = _skip(text, index)
    if text[index:index + 1] == "]":
        return result, index + 1
    while True:
        value, index = _value(text, index, depth)
        result.append(value)
        if len(result) % _ELEMENTS_PER_PAUSE == 0:
            time.sleep(0)  # hands the GIL over now: the event loop need not wait its turn
        index = _skip(text, index)
        delimiter = text[index:index + 1]
        if delimiter == "]":
            return result, index + 1
        if delimiter != ",":
            raise JSONDecodeError("Expecting ',' delimiter", text, index)
        index += 1


def loads_yielding(raw: bytes, python_levels: int = 3) -> Any:
    """``json.loads(raw)``, the ``python_levels`` outer levels of containers walked in Python.

    Three levels reach the rows of every MLflow format ({"dataframe_split": {"data": [rows]}},
    {"inputs": {"column": [values]}}, {"instances": [records]}). Raises what json.loads raises
    (ValueError subclasses, UnicodeDecodeError, RecursionError), and DuplicateKey (a ValueError)
    for a repeated key at any depth, as the services' other bodies.
    """
    text = raw.decode(json.detect_encoding(raw))
    value, end = _value(text, 0, python_levels)
    end = _skip(text, end)
    if end != len(text):
        raise JSONDecodeError("Extra data", text, end)
    return value
