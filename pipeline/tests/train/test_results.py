"""docs/results.md is generated from the MLflow runs."""

from __future__ import annotations

from pathlib import Path

from credit_pipeline.train.mlflow_io.results import training_run, write_model_card, write_results

from .conftest import Trained, use_store


def test_results_page_has_one_comparison_table(trained: Trained, tmp_path: Path) -> None:
    use_store(trained.settings)
    out = write_results(tmp_path / "docs" / "results.md",
                        training_run(trained.result.experiment_id))
    page = out.read_text()
    assert "| phase | model | AUC | business cost per client | business cost | time (s) |" in page
    lines = [line for line in page.splitlines() if line.startswith("| ")]
    rows = lines[1:]
    assert [row.split(" | ")[0].lstrip("| ") for row in rows][:5] == ["baselines"] * 5
    assert any("| holdout | holdout |" in row for row in rows)
    assert any("baseline/lightgbm" in row for row in rows)
    assert not any("trial-" in row for row in rows)  # trials stay in their search run
    holdout_auc = f"{trained.result.holdout.evaluation.roc_auc:.4f}"
    assert holdout_auc in page
    assert "Oracle" in page and "of the oracle's lift" in page
    assert trained.result.run_id in page


def test_the_model_card_is_the_registered_versions_description(trained: Trained,
                                                                tmp_path: Path) -> None:
    import mlflow

    use_store(trained.settings)
    out = write_model_card(tmp_path / "docs" / "model-card.md",
                           training_run(trained.result.experiment_id))
    card = out.read_text()
    version = mlflow.MlflowClient().get_model_version(
        trained.result.model_name, trained.result.version)
    assert card.rstrip("\n") == version.description.rstrip("\n")
    assert "CODE_GENDER" in card and "threshold" in card.lower()
