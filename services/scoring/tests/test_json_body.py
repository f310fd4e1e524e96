"""The yielding JSON reader of large bodies reads what json.loads reads, and refuses the same."""

from __future__ import annotations

import json
import math

import pytest

from credit_core.web.json_keys import DuplicateKey
from scoring_service.json_body import loads_yielding

DOCUMENTS = [
    {"dataframe_split": {"columns": ["a", "b"], "data": [[0.5, None], [1, -2e-9]]}},
    {"inputs": {"a": [1, None, "x"], "b": [True, False, {"deep": [[1]]}]}},
    {"instances": [{"a": 1, "b": "é\u2028"}], "params": {"k": [1, 2]}},
    [], {}, {"a": []}, "text", 1.5, None, [[[[1]]]],
]


@pytest.mark.parametrize("document", DOCUMENTS)
@pytest.mark.parametrize("indent", [None, 2])
def test_same_as_json_loads(document: object, indent: int | None) -> None:
    raw = json.dumps(document, indent=indent, ensure_ascii=indent is None).encode()
    assert loads_yielding(raw) == json.loads(raw)


def test_nan_as_json_loads() -> None:
    assert math.isnan(loads_yielding(b'{"a": [NaN]}')["a"][0])


@pytest.mark.parametrize("raw", [
    b'{"a": 1, "a": 2}',  # a level walked in Python
    b'{"inputs": [{"x": 1, "x": 2}]}',  # a record, still walked
    b'{"inputs": [[{"deep": {"y": 1, "y": 2}}]]}',  # below the walked levels: the C scanner
])
def test_a_repeated_key_is_refused_at_any_depth_as_every_other_body(raw: bytes) -> None:
    # The services' one rule (credit_core.web.json_keys), where json.loads keeps the last.
    with pytest.raises(DuplicateKey):
        loads_yielding(raw)


@pytest.mark.parametrize("raw", [b"{not json", b"", b'{"a": 1,}', b"[1 2]", b'{"a" 1}',
                                 b'{"a": 1} x', b"[1,]", b'{"a": [1, 2}', b"\xff"])
def test_refuses_what_json_loads_refuses(raw: bytes) -> None:
    with pytest.raises(ValueError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        json.loads(raw)
    with pytest.raises(ValueError):
        loads_yielding(raw)
