"""``credit train --data`` and ``credit results`` through typer, as a user runs them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from credit_core.settings import get_core_settings
from credit_pipeline.commands.train import results_command, train_command
from credit_pipeline.train import run as run_module

from .conftest import TINY_PROFILE

runner = CliRunner()


def app() -> typer.Typer:
    application = typer.Typer()
    application.command("train")(train_command)
    application.command("results")(results_command)
    return application


@pytest.fixture
def var_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CREDIT_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    # The quick budget is minutes; the command's wiring is what is tested here.
    monkeypatch.setattr(run_module, "get_profile", lambda name: TINY_PROFILE)
    get_core_settings.cache_clear()
    yield tmp_path / "var"
    get_core_settings.cache_clear()


def loans_csv(path: Path, rows: int = 1500) -> Path:
    rng = np.random.default_rng(4)
    score = rng.random(rows)
    pd.DataFrame({
        "id": np.arange(rows),
        "score": score,
        "grade": rng.choice(["A", "B", "C"], rows),
        "status": np.where(rng.random(rows) < 0.25 * (1.2 - score), "default", "paid"),
    }).to_csv(path, index=False)
    return path


@pytest.mark.slow
def test_train_on_a_csv_then_write_results(var_dir: Path, tmp_path: Path) -> None:
    path = loans_csv(tmp_path / "loans.csv")
    arguments = ["train", "--data", str(path), "--id-column", "id", "--target-column",
                 "status", "--positive-label", "default", "--model-name", "loans"]
    result = runner.invoke(app(), arguments)
    assert result.exit_code == 0, result.output
    assert "loans v1" in result.output and "promoted" in result.output
    out = tmp_path / "docs" / "results.md"
    result = runner.invoke(app(), ["results", "--out", str(out), "--model-name", "loans"])
    assert result.exit_code == 0, result.output
    assert "| baselines | baseline/dummy |" in out.read_text()


@pytest.mark.parametrize(("arguments", "message"), [
    (["--id-column", "nope", "--target-column", "status"], "id column 'nope' not found"),
    (["--id-column", "id", "--target-column", "status"], "--positive-label"),
])
def test_bad_input_is_a_clear_error(var_dir: Path, tmp_path: Path, arguments: list[str],
                                    message: str) -> None:
    path = loans_csv(tmp_path / "loans.csv", rows=50)
    result = runner.invoke(app(), ["train", "--data", str(path), *arguments])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_data_needs_the_id_and_target_columns(var_dir: Path, tmp_path: Path) -> None:
    path = loans_csv(tmp_path / "loans.csv", rows=50)
    result = runner.invoke(app(), ["train", "--data", str(path)])
    assert result.exit_code == 2
    assert "--id-column" in result.output


def test_results_without_runs_is_a_clear_error(var_dir: Path, tmp_path: Path) -> None:
    result = runner.invoke(app(), ["results", "--out", str(tmp_path / "r.md")])
    assert result.exit_code == 1
    assert "no finished training run" in result.output
