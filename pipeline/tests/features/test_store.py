import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select

from credit_core.db import applications, client_features, get_engine, synthetic_truth
from credit_core.db.migrate import upgrade
from credit_core.schema.features import FEATURE_NAMES
from credit_pipeline.features import store
from credit_pipeline.features.build import build_client_data
from credit_pipeline.features.store import count_rows, load_client_data, read_table_frame


@pytest.fixture
def engine(database_url: str):  # type: ignore[no-untyped-def]
    upgrade(database_url)
    return get_engine(database_url)


def _truth(ids: list[int]) -> pd.DataFrame:
    return pd.DataFrame({"SK_ID_CURR": ids, "split": ["train", "train", "test"],
                         "default_probability": [0.1, 0.2, 0.3], "outcome": [0, 1, 0]})


def test_build_gives_one_row_per_client_with_features_in_order(raw) -> None:  # type: ignore[no-untyped-def]
    data = build_client_data(raw)
    assert data.features.index.tolist() == [1, 2, 3]
    assert list(data.features.columns[3:]) == list(FEATURE_NAMES)
    assert data.features["split"].tolist() == ["train", "train", "test"]
    assert data.features["TARGET"].iloc[:2].tolist() == [0, 1]
    assert pd.isna(data.features["TARGET"].iloc[2])
    assert data.features.loc[1, "PREV_IS_REFUSED_MEAN"] == 0.5
    assert np.isnan(data.features.loc[3, "PREV_COUNT"])
    assert data.applications.loc[2, "NAME_TYPE_SUITE"] == "Spouse, partner"


def test_load_and_read_back(engine, raw) -> None:  # type: ignore[no-untyped-def]
    data = build_client_data(raw)
    summary = load_client_data(engine, data, truth=_truth([1, 2, 3]))
    assert (summary.clients, summary.train, summary.test, summary.truth_rows) == (3, 2, 1, 3)
    back = read_table_frame(engine, client_features).set_index("SK_ID_CURR")
    pd.testing.assert_frame_equal(
        back[list(FEATURE_NAMES)], data.features[list(FEATURE_NAMES)], check_names=False
    )
    train = read_table_frame(engine, client_features, where_split="train")
    assert train["SK_ID_CURR"].tolist() == [1, 2]
    with engine.connect() as connection:
        row = connection.execute(
            select(applications).where(applications.c.SK_ID_CURR == 2)).one()
    assert row.NAME_TYPE_SUITE == "Spouse, partner" and row.AMT_INCOME_TOTAL == 100_001.0
    assert row.OCCUPATION_TYPE is None and row.EXT_SOURCE_1 is None  # missing stays missing


def test_loading_again_replaces_cleanly(engine, raw) -> None:  # type: ignore[no-untyped-def]
    load_client_data(engine, build_client_data(raw), truth=_truth([1, 2, 3]))
    smaller = dict(raw, application_test=raw["application_test"].iloc[:0])
    load_client_data(engine, build_client_data(smaller))
    assert count_rows(engine, client_features) == 2
    assert count_rows(engine, applications) == 2
    assert count_rows(engine, synthetic_truth) == 0


def test_a_failure_half_way_leaves_the_database_as_it_was(engine, raw, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    load_client_data(engine, build_client_data(raw), truth=_truth([1, 2, 3]))
    before = read_table_frame(engine, client_features)
    writers = {"postgresql": "_copy_chunk", "sqlite": "_insert_chunk"}
    real_writer = getattr(store, writers[engine.dialect.name])
    calls = {"n": 0}

    def failing_writer(connection, table, chunk):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 4:  # applications written, client_features half-way
            raise RuntimeError("disk full")
        real_writer(connection, table, chunk)

    monkeypatch.setattr(store, "CHUNK_ROWS", 1)
    monkeypatch.setattr(store, writers[engine.dialect.name], failing_writer)
    changed = dict(raw, application_train=raw["application_train"].assign(EXT_SOURCE_2=0.9))
    with pytest.raises(RuntimeError, match="disk full"):
        load_client_data(engine, build_client_data(changed))
    assert calls["n"] == 4
    pd.testing.assert_frame_equal(read_table_frame(engine, client_features), before)
    assert count_rows(engine, synthetic_truth) == 3
    assert count_rows(engine, applications) == 3


def test_unknown_split_is_refused(engine) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="unknown split"):
        read_table_frame(engine, client_features, where_split="x' OR 1=1 --")
