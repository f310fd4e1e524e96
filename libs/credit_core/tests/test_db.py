from sqlalchemy import inspect, text

from credit_core.db import get_engine
from credit_core.db.migrate import current_revision, head_revision, upgrade

TABLES = {"applications", "client_features", "synthetic_truth", "decisions", "drift_runs",
          "users", "api_keys"}


def test_migrations_create_every_table_and_are_idempotent(database_url: str) -> None:
    assert current_revision(database_url) is None
    upgrade(database_url)
    upgrade(database_url)  # a second run changes nothing and does not fail
    assert current_revision(database_url) == head_revision()
    names = set(inspect(get_engine(database_url)).get_table_names())
    assert names >= TABLES
    columns = {c["name"] for c in inspect(get_engine(database_url)).get_columns("client_features")}
    assert {"SK_ID_CURR", "EXT_SOURCE_2", "PAYMENT_RATE", "INSTAL_DPD_MEAN"} <= columns


def test_client_lookup_by_id_is_an_index_query(database_url: str) -> None:
    upgrade(database_url)
    engine = get_engine(database_url)
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            plan = connection.execute(text(
                'EXPLAIN QUERY PLAN SELECT * FROM client_features WHERE "SK_ID_CURR" = 100002'
            )).fetchall()
            detail = " ".join(str(row[-1]) for row in plan)
            assert "SEARCH" in detail and "INDEX" in detail.upper(), detail
        else:
            connection.execute(text("SET enable_seqscan = off"))  # empty table: force the choice
            plan = connection.execute(text(
                'EXPLAIN SELECT * FROM client_features WHERE "SK_ID_CURR" = 100002'
            )).fetchall()
            detail = " ".join(row[0] for row in plan)
            assert "Index Scan using pk_client_features" in detail, detail
