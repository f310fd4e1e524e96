"""A client's application as received (the ``applications`` table): the one reader.

Missing values are decided here, once: a field stored as NULL, or as a float NaN (a loader may
write either), is *missing*, and a missing field is absent from ``Application.fields``. Views that
must name every field (the scoring API's ``GET /v1/clients/{id}``) take ``every_field()``, where
a missing field is None (JSON null). NaN never leaves this module.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select

from credit_core.db.tables import applications
from credit_core.schema.application import APPLICATION_FIELD_NAMES

__all__ = ["Application", "is_missing", "read_application"]

_FIELDS = tuple(APPLICATION_FIELD_NAMES)
_ID = "SK_ID_CURR"


def is_missing(value: Any) -> bool:
    """True for None and for a float NaN: both mean the applicant did not give the field."""
    return value is None or (isinstance(value, float) and math.isnan(value))


@dataclass(frozen=True)
class Application:
    """A stored application: the client, its split, and the fields it gave."""

    client_id: int
    split: str
    #: The application fields that have a value (SK_ID_CURR included), by their Kaggle names.
    fields: dict[str, Any]

    def every_field(self) -> dict[str, Any]:
        """Every application field but the id, in schema order, None where missing."""
        return {name: self.fields.get(name) for name in _FIELDS if name != _ID}


def read_application(engine: Engine, client_id: int) -> Application | None:
    """The client's stored application, or None when the client is unknown."""
    with engine.connect() as connection:
        row = connection.execute(
            select(applications).filter_by(SK_ID_CURR=client_id)
        ).mappings().first()
    if row is None:
        return None
    fields = {name: row[name] for name in _FIELDS if not is_missing(row[name])}
    return Application(client_id=int(row[_ID]), split=str(row["split"]), fields=fields)
