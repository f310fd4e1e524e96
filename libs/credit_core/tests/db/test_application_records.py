"""One rule for a stored application's missing fields: NULL and NaN are both absent."""

from __future__ import annotations

import math

from credit_core.db import get_engine
from credit_core.db.application_records import Application, is_missing, read_application
from credit_core.schema.application import APPLICATION_FIELD_NAMES

from ..conftest import ClientsDatabase


def test_missing_fields_are_absent_and_null_in_the_full_view(clients_db: ClientsDatabase) -> None:
    engine = get_engine(clients_db.url)
    last = clients_db.ids[-1]  # EXT_SOURCE_1 stored as NaN (PostgreSQL keeps it; SQLite: NULL)
    application = read_application(engine, last)
    assert application is not None
    assert application.client_id == last and application.split == clients_db.splits[-1]
    assert application.fields["SK_ID_CURR"] == last
    assert application.fields["AMT_CREDIT"] == 100_000.0 + len(clients_db.ids) - 1
    assert application.fields["NAME_CONTRACT_TYPE"] == "Cash loans"
    assert "EXT_SOURCE_1" not in application.fields  # NaN
    assert "OCCUPATION_TYPE" not in application.fields  # NULL
    assert not any(is_missing(value) for value in application.fields.values())
    every = application.every_field()
    assert list(every) == [name for name in APPLICATION_FIELD_NAMES if name != "SK_ID_CURR"]
    assert every["EXT_SOURCE_1"] is None and every["OCCUPATION_TYPE"] is None
    assert every["AMT_INCOME_TOTAL"] == 50_000.0


def test_a_known_value_is_kept_and_an_unknown_client_is_none(clients_db: ClientsDatabase) -> None:
    engine = get_engine(clients_db.url)
    application = read_application(engine, clients_db.ids[0])
    assert application is not None and application.fields["EXT_SOURCE_1"] == 0.5
    assert read_application(engine, 42) is None


def test_is_missing() -> None:
    assert is_missing(None) and is_missing(math.nan) and is_missing(float("nan"))
    assert not any(is_missing(v) for v in (0, 0.0, "", "XNA", False))
    assert Application(1, "test", {}).every_field()["AMT_CREDIT"] is None
