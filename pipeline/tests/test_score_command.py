"""`credit score batch`: the batch-score Job's command, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from credit_core.db import decisions, get_engine
from credit_core.schema.features import FEATURE_NAMES
from credit_core.settings import get_core_settings
from credit_pipeline import cli
from credit_pipeline.commands.score import Split, iter_client_chunks

runner = CliRunner()


@pytest.fixture
def environment(service_db, mlflow_registry, tmp_path: Path,  # type: ignore[no-untyped-def]
                monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CREDIT_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("DATABASE_URL", service_db.url)
    monkeypatch.setenv("MLFLOW_TRACKING_URI", mlflow_registry.uri)
    get_core_settings.cache_clear()
    cli._register_optional_commands()
    yield service_db
    get_core_settings.cache_clear()


def _rows(url: str) -> list:
    with get_engine(url).connect() as connection:
        return connection.execute(select(decisions).order_by(decisions.c.id)).all()


def test_scores_every_test_client_in_chunks_with_audit_rows_and_a_csv(
        environment, tiny_bundle, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out" / "decisions.csv"
    result = runner.invoke(cli.app, ["score", "batch", "--chunk-size", "7", "--output", str(out)])
    assert result.exit_code == 0, result.output
    test_ids = [i for n, i in enumerate(environment.client_ids) if n % 5 == 0]
    rows = _rows(environment.url)
    assert [row.client_id for row in rows] == test_ids
    assert len({row.request_id for row in rows}) == 1 and rows[0].request_id.startswith("batch-")
    assert {row.api_key_name for row in rows} == {"batch-score"}
    stored = environment.features.loc[test_ids, tiny_bundle.features].to_numpy(dtype=float)
    np.testing.assert_allclose([row.probability for row in rows],
                               tiny_bundle.predict_proba(stored), rtol=1e-12)
    with out.open() as handle:
        written = list(csv.DictReader(handle))
    assert [int(r["client_id"]) for r in written] == test_ids
    assert [r["decision_id"] for r in written] == [row.decision_id for row in rows]
    assert f"Scored {len(test_ids)} clients" in result.output
    assert len(FEATURE_NAMES) * 8 > len(rows[0].feature_vector)  # the compact audit vector


def test_limit_and_resume_after_an_id(environment) -> None:  # type: ignore[no-untyped-def]
    first = runner.invoke(cli.app, ["score", "batch", "--split", "all", "--limit", "25",
                                    "--chunk-size", "10"])
    assert first.exit_code == 0, first.output
    last = environment.client_ids[24]
    assert f"last client {last}" in first.output
    second = runner.invoke(cli.app, ["score", "batch", "--split", "all", "--after", str(last),
                                     "--chunk-size", "100", "--caller", "nightly"])
    assert second.exit_code == 0, second.output
    rows = _rows(environment.url)
    assert [row.client_id for row in rows] == environment.client_ids
    assert [row.api_key_name for row in rows].count("nightly") == len(environment.client_ids) - 25


def test_chunks_are_bounded_and_ordered(environment) -> None:  # type: ignore[no-untyped-def]
    chunks = list(iter_client_chunks(get_engine(environment.url), Split.train, 17))
    assert all(len(chunk) <= 17 for chunk in chunks) and len(chunks[0]) == 17
    flat = [i for chunk in chunks for i in chunk]
    assert flat == sorted(flat) and len(flat) == len(environment.client_ids) * 4 // 5


def test_without_a_model_it_fails_clearly_and_writes_nothing(
        environment, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path / 'empty.db'}")
    get_core_settings.cache_clear()
    result = runner.invoke(cli.app, ["score", "batch"])
    assert result.exit_code == 1
    assert "no model to score with" in result.output and "Traceback" not in result.output
    assert _rows(environment.url) == []


@pytest.mark.parametrize("args, fragment", [
    (["--chunk-size", "0"], "--chunk-size"),
    (["--chunk-size", "20000"], "--chunk-size"),
    (["--split", "everyone"], "--split"),
])
def test_bad_options_are_named(environment, args: list[str], fragment: str) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(cli.app, ["score", "batch", *args])
    assert result.exit_code == 2 and fragment in result.output
    assert _rows(environment.url) == []
