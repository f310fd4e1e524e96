"""Session cookies with a store: revocable, idle-expiring; and the duplicate-key check."""

from __future__ import annotations

import pytest

from credit_core.web.json_keys import DuplicateKey, loads_unique
from credit_core.web.sessions import SessionCookie


class _Store:
    def __init__(self) -> None:
        self.open_ids: set[str] = set()

    def open(self, name: str, role: str) -> str:
        session_id = f"{name}-{len(self.open_ids)}-session-id-long-enough"
        self.open_ids.add(session_id)
        return session_id

    def active(self, session_id: str) -> bool:
        return session_id in self.open_ids

    def close(self, session_id: str) -> None:
        self.open_ids.discard(session_id)


def test_a_closed_session_refuses_its_still_signed_cookie() -> None:
    store = _Store()
    sessions = SessionCookie("c", "s" * 40, 60, salt="t", store=store)
    token = sessions.issue("ada", "advisor")
    assert sessions.read(token) is not None
    store.open_ids.clear()  # closed server-side (sign-out, removal, idle)
    assert sessions.read(token) is None
    stateless = SessionCookie("c", "s" * 40, 60, salt="t")
    assert stateless.read(stateless.issue("ada", "advisor")) is not None
    assert sessions.read(stateless.issue("ada", "advisor")) is None  # no session id: refused


def _repeated(raw: bytes) -> str | None:
    try:
        loads_unique(raw)
    except DuplicateKey as error:
        return error.key
    return None


def test_duplicate_keys_are_found_at_any_depth() -> None:
    assert _repeated(b'{"a": 1, "a": 2}') == "a"
    assert _repeated(b'{"f": [{"x": 1}, {"y": 1, "y": 2}]}') == "y"
    assert _repeated(b'{"a": 1, "b": {"a": 2}}') is None
    with pytest.raises(ValueError) as error:  # not JSON: the parser's own error, not a key
        loads_unique(b"not json")
    assert not isinstance(error.value, DuplicateKey)


def test_pydantic_validator_names_are_not_locations() -> None:
    from credit_core.web.errors import validation_errors

    cleaned = validation_errors([{"loc": ("body", "outcomes", 0,
                                          "function-after[_not_future(), OutcomeIn]"),
                                  "msg": "Value error, observed_at is in the future",
                                  "type": "value_error"}])
    assert cleaned[0]["loc"] == ["body", "outcomes", 0]
