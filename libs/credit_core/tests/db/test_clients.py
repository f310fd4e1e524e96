"""The client search page and the batch command's keyset paging."""

from __future__ import annotations

from credit_core.db import get_engine
from credit_core.db.clients import LISTED_FIELDS, count_clients, iter_client_ids, list_clients

from ..conftest import FIRST_ID, ClientsDatabase


def test_search_by_id_prefix_with_total_and_paging(clients_db: ClientsDatabase) -> None:
    engine = get_engine(clients_db.url)
    train = [i for i, s in zip(clients_db.ids, clients_db.splits, strict=True) if s == "train"]
    page = list_clients(engine, "train", "", limit=5, offset=2)
    assert page["total"] == len(train)
    assert [c["client_id"] for c in page["clients"]] == train[2:7]
    assert set(page["clients"][0]) == {"client_id", "split", *LISTED_FIELDS}
    prefix = str(FIRST_ID + 9)[:-1]  # "20001": ids 200010 to 200019
    found = list_clients(engine, "train", prefix, limit=50, offset=0)
    assert all(str(c["client_id"]).startswith(prefix) for c in found["clients"])
    assert found["total"] == len(found["clients"]) == len([i for i in train if 200_010 <= i < 200_020])
    assert list_clients(engine, "train", "9", limit=5, offset=0) == {"total": 0, "clients": []}


def test_keyset_chunks_by_split_and_after_an_id(clients_db: ClientsDatabase) -> None:
    engine = get_engine(clients_db.url)
    chunks = list(iter_client_ids(engine, None, 7))
    assert [i for chunk in chunks for i in chunk] == clients_db.ids
    assert max(map(len, chunks)) == 7
    after = clients_db.ids[10]
    test_ids = [i for i, s in zip(clients_db.ids, clients_db.splits, strict=True)
                if s == "test" and i > after]
    assert [i for chunk in iter_client_ids(engine, "test", 3, after) for i in chunk] == test_ids
    assert count_clients(engine, "test", after) == len(test_ids)
    assert count_clients(engine, None) == len(clients_db.ids)
