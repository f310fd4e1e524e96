"""``--data``: any CSV or Parquet with an id and a binary target, and clear errors otherwise."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from credit_pipeline.train.datasets.tabular import load_tabular
from credit_pipeline.train.datasets.training_data import TrainingInputError


def applicants(rows: int = 300, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "loan_id": np.arange(rows) + 10,
        "income": rng.lognormal(10, 0.5, rows),
        "age": rng.integers(20, 70, rows),
        "region": rng.choice(["north", "south", "east"], rows, p=[0.5, 0.3, 0.2]),
        "owns_car": rng.choice([True, False], rows),
        "comment": [f"free text {i}" for i in range(rows)],
        "empty": np.nan,
        "defaulted": (rng.random(rows) < 0.2).astype(int),
    })
    frame.loc[::7, "region"] = None
    frame.loc[::5, "income"] = np.nan
    return frame


@pytest.fixture(params=["csv", "parquet"])
def applicants_file(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    frame = applicants()
    path = tmp_path / f"applicants.{request.param}"
    if request.param == "csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_parquet(path, index=False)
    return path


def test_types_detected_and_id_target_dropped(applicants_file: Path) -> None:
    data = load_tabular(applicants_file, "loan_id", "defaulted")
    frame = applicants()
    assert list(data.features.columns) == ["income", "age", "region", "owns_car"]
    assert (data.features.dtypes == np.float64).all()
    assert data.categorical_features == ["region"]
    assert data.category_levels == {"region": ["north", "south", "east"]}
    expected_codes = frame["region"].map({"north": 0.0, "south": 1.0, "east": 2.0})
    np.testing.assert_array_equal(data.features["region"].to_numpy(), expected_codes.to_numpy())
    np.testing.assert_array_equal(data.target, frame["defaulted"].to_numpy())
    np.testing.assert_array_equal(data.ids, frame["loan_id"].to_numpy())
    assert data.features["owns_car"].isin([0.0, 1.0]).all()
    assert data.dataset_name == applicants_file.name
    assert data.segments.empty


def test_string_target_with_positive_label(tmp_path: Path) -> None:
    frame = applicants()
    frame["status"] = np.where(frame.pop("defaulted") == 1, "bad", "good")
    path = tmp_path / "status.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(TrainingInputError, match="--positive-label"):
        load_tabular(path, "loan_id", "status")
    data = load_tabular(path, "loan_id", "status", positive_label="bad")
    np.testing.assert_array_equal(data.target, (frame["status"] == "bad").astype(int))
    with pytest.raises(TrainingInputError, match="not a level"):
        load_tabular(path, "loan_id", "status", positive_label="ugly")


def test_obvious_string_target_needs_no_label(tmp_path: Path) -> None:
    frame = applicants()
    frame["defaulted"] = np.where(frame["defaulted"] == 1, "Yes", "No")
    path = tmp_path / "yes_no.parquet"
    frame.to_parquet(path, index=False)
    assert load_tabular(path, "loan_id", "defaulted").target.sum() == (
        frame["defaulted"] == "Yes").sum()


@pytest.mark.parametrize(("id_column", "target_column", "message"), [
    ("missing_id", "defaulted", "id column 'missing_id' not found"),
    ("loan_id", "missing_target", "target column 'missing_target' not found"),
])
def test_missing_column(applicants_file: Path, id_column: str, target_column: str,
                        message: str) -> None:
    with pytest.raises(TrainingInputError, match=message):
        load_tabular(applicants_file, id_column, target_column)


def test_target_with_three_levels(tmp_path: Path) -> None:
    frame = applicants()
    frame.loc[:10, "defaulted"] = 2
    path = tmp_path / "three.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(TrainingInputError, match="exactly two levels, found 3"):
        load_tabular(path, "loan_id", "defaulted")


@pytest.mark.parametrize("content", ["", "loan_id,income,defaulted\n"])
def test_empty_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "empty.csv"
    path.write_text(content)
    with pytest.raises(TrainingInputError, match=r"empty|no data rows"):
        load_tabular(path, "loan_id", "defaulted")


def test_all_features_missing(tmp_path: Path) -> None:
    frame = applicants()[["loan_id", "defaulted"]].assign(a=np.nan, b=None)
    path = tmp_path / "blank.parquet"
    frame.to_parquet(path, index=False)
    with pytest.raises(TrainingInputError, match="every feature column is missing"):
        load_tabular(path, "loan_id", "defaulted")


def test_other_bad_inputs(tmp_path: Path) -> None:
    with pytest.raises(TrainingInputError, match="no such file"):
        load_tabular(tmp_path / "nope.csv", "a", "b")
    (tmp_path / "data.xlsx").write_text("x")
    with pytest.raises(TrainingInputError, match="unsupported file type"):
        load_tabular(tmp_path / "data.xlsx", "a", "b")
    frame = applicants()
    frame.loc[3, "loan_id"] = frame.loc[4, "loan_id"]
    frame.to_csv(tmp_path / "dup.csv", index=False)
    with pytest.raises(TrainingInputError, match="duplicate"):
        load_tabular(tmp_path / "dup.csv", "loan_id", "defaulted")
    frame = applicants()
    frame["defaulted"] = 0
    frame.to_csv(tmp_path / "one.csv", index=False)
    with pytest.raises(TrainingInputError, match="two levels, found 1"):
        load_tabular(tmp_path / "one.csv", "loan_id", "defaulted")

