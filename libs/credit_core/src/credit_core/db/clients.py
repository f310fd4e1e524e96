"""Which clients there are: the dashboard's search page (``applications``) and the batch
command's keyset paging over ``client_features`` (memory stays flat whatever the table's size).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import ColumnElement, Engine, String, cast, func, select, true

from credit_core.db.tables import applications, client_features

__all__ = ["count_clients", "iter_client_ids", "list_clients"]

#: The fields shown beside each client of the search page.
LISTED_FIELDS = ("AMT_CREDIT", "AMT_INCOME_TOTAL", "NAME_CONTRACT_TYPE")


def list_clients(engine: Engine, split: str, id_prefix: str, limit: int,
                 offset: int) -> dict[str, Any]:
    """Clients of ``split`` whose id starts with ``id_prefix``, by id, with a few fields:
    ``{"total": matches, "clients": [{"client_id", "split", *LISTED_FIELDS}]}``."""
    condition = applications.c.split == split
    if id_prefix:
        condition &= cast(applications.c.SK_ID_CURR, String).like(f"{id_prefix}%")
    with engine.connect() as connection:
        total = connection.execute(
            select(func.count()).select_from(applications).where(condition)).scalar_one()
        rows = connection.execute(
            select(applications.c.SK_ID_CURR, applications.c.split,
                   *(applications.c[name] for name in LISTED_FIELDS))
            .where(condition).order_by(applications.c.SK_ID_CURR).limit(limit).offset(offset)
        ).mappings().all()
    clients = [{"client_id": row["SK_ID_CURR"], "split": row["split"],
                **{name: row[name] for name in LISTED_FIELDS}} for row in rows]
    return {"total": int(total), "clients": clients}


def _scored_clients(split: str | None, after: int | None) -> ColumnElement[bool]:
    """The clients of ``split`` (None: every split) whose id is greater than ``after``."""
    condition: ColumnElement[bool] = true()
    if split is not None:
        condition &= client_features.c.split == split
    if after is not None:
        condition &= after < client_features.c.SK_ID_CURR
    return condition


def iter_client_ids(engine: Engine, split: str | None, chunk_size: int,
                    after: int | None = None) -> Iterator[list[int]]:
    """Client ids of ``split`` (None: all) above ``after``, increasing, ``chunk_size`` at a
    time; each chunk is read in its own short connection."""
    last = after
    while True:
        query = (select(client_features.c.SK_ID_CURR).where(_scored_clients(split, last))
                 .order_by(client_features.c.SK_ID_CURR).limit(chunk_size))
        with engine.connect() as connection:
            ids = [int(i) for i in connection.execute(query).scalars()]
        if not ids:
            return
        yield ids
        last = ids[-1]


def count_clients(engine: Engine, split: str | None, after: int | None = None) -> int:
    """How many clients ``iter_client_ids`` would give."""
    query = (select(func.count()).select_from(client_features)
             .where(_scored_clients(split, after)))
    with engine.connect() as connection:
        return int(connection.execute(query).scalar_one())
