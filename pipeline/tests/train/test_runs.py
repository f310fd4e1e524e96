"""The training run as MLflow sees it: nested phase runs, metrics, data sets, artifacts."""

from __future__ import annotations

import pytest
from mlflow.entities import Run

import mlflow
from credit_pipeline.train.mlflow_io.plots import PLOT_FILES
from credit_pipeline.train.modelling.families import FAMILIES

from .conftest import Trained, use_store

RUN_METRICS = ("roc_auc", "business_cost", "business_cost_per_client", "recall", "precision",
               "brier", "threshold")


def children(parent_id: str, experiment_id: str) -> list[Run]:
    return mlflow.search_runs(
        experiment_ids=[experiment_id], output_format="list",
        filter_string=f"tags.mlflow.parentRunId = '{parent_id}'",
    )


@pytest.fixture(scope="module")
def phase_runs(trained: Trained) -> dict[str, Run]:
    use_store(trained.settings)
    runs = children(trained.result.run_id, trained.result.experiment_id)
    return {run.info.run_name: run for run in runs}


def artifact_names(run: Run, path: str | None = None) -> set[str]:
    client = mlflow.MlflowClient()
    return {item.path.split("/")[-1] for item in client.list_artifacts(run.info.run_id, path)}


def test_every_phase_is_a_nested_run(phase_runs: dict[str, Run]) -> None:
    names = set(phase_runs)
    assert {f"baseline/{family}" for family in FAMILIES} <= names
    assert {"search/lightgbm", "search/xgboost", "search-deep/lightgbm"} <= names
    assert {"imbalance/none", "imbalance/class_weights", "imbalance/undersampling"} <= names
    assert {"final/lightgbm", "threshold", "holdout", "registry"} <= names
    phases = {run.data.tags["phase"] for run in phase_runs.values()}
    assert phases == {"baselines", "search", "imbalance", "final", "threshold", "holdout",
                      "registry"}


def test_optuna_trials_are_nested_under_their_search(
    trained: Trained, phase_runs: dict[str, Run]
) -> None:
    search = phase_runs["search-deep/lightgbm"]
    trials = children(search.info.run_id, trained.result.experiment_id)
    assert len(trials) == trained.profile.deep_trials
    assert all(t.data.tags["phase"] == "search-trial" for t in trials)
    assert {t.data.tags["state"] for t in trials} <= {"complete", "pruned"}
    assert search.data.metrics["trials"] == len(trials)
    assert "optuna_trials.csv" in artifact_names(search)


@pytest.mark.parametrize("family", FAMILIES)
def test_baselines_log_metrics_times_data_and_figures(
    trained: Trained, phase_runs: dict[str, Run], family: str
) -> None:
    run = phase_runs[f"baseline/{family}"]
    for metric in (*RUN_METRICS, "fit_seconds", "predict_seconds"):
        assert metric in run.data.metrics, metric
    assert run.data.params["data.fingerprint"] == trained.data.fingerprint
    assert run.data.params["data.name"] == trained.data.dataset_name
    assert int(run.data.params["data.rows"]) == trained.data.rows
    assert "subsample" in run.data.tags
    dataset = run.inputs.dataset_inputs[0].dataset
    assert dataset.digest == trained.data.fingerprint[:36]
    assert dataset.name == trained.data.dataset_name
    expected = set(PLOT_FILES) if family != "dummy" else set(PLOT_FILES[:4])
    assert artifact_names(run, "plots") == expected


def test_final_run_logs_the_calibration_decision(
    trained: Trained, phase_runs: dict[str, Run]
) -> None:
    run = phase_runs["final/lightgbm"]
    metrics = run.data.metrics
    for name in ("brier_none", "brier_platt", "brier_isotonic", "brier_before_calibration",
                 "brier_after_calibration", *RUN_METRICS, "fit_seconds"):
        assert name in metrics, name
    method = run.data.tags["calibration.method"]
    assert method == trained.result.calibration
    # The retained method has the lowest cross-fitted Brier score; "none" wins ties.
    assert metrics["brier_after_calibration"] == min(
        metrics[f"brier_{m}"] for m in ("none", "platt", "isotonic"))
    assert metrics["brier_after_calibration"] <= metrics["brier_before_calibration"]
    assert set(PLOT_FILES) == artifact_names(run, "plots")
    assert "importance.json" in artifact_names(run)


def test_holdout_and_oracle_are_reported(trained: Trained, phase_runs: dict[str, Run]) -> None:
    holdout = phase_runs["holdout"]
    assert holdout.data.params["holdout.fingerprint"] == trained.result.split.fingerprint
    assert holdout.data.metrics["threshold"] == pytest.approx(trained.result.threshold)
    input_tags = {tag.key: tag.value for tag in holdout.inputs.dataset_inputs[0].tags}
    assert input_tags["mlflow.data.context"] == "holdout"
    assert input_tags["rows_used"] == str(len(trained.result.split.holdout_rows))
    parent = mlflow.get_run(trained.result.run_id).data
    oracle = trained.result.holdout.oracle
    assert oracle is not None
    assert parent.metrics["oracle_roc_auc"] == pytest.approx(oracle.oracle.roc_auc)
    expected_share = (parent.metrics["holdout_roc_auc"] - 0.5) / (oracle.oracle.roc_auc - 0.5)
    assert parent.metrics["oracle_lift_share"] == pytest.approx(expected_share)
    assert 0.5 < parent.metrics["oracle_lift_share"] <= 1.1
    for name in ("seconds_baselines", "seconds_search", "seconds_final", "seconds_publish"):
        assert name in parent.metrics


def test_parent_run_names_the_family_decision(trained: Trained) -> None:
    tags = mlflow.get_run(trained.result.run_id).data.tags
    assert tags["retained_family"] == "lightgbm"
    assert tags["winning_family"] in ("lightgbm", "xgboost")
    assert tags["imbalance"] in ("none", "class_weights", "undersampling")
    assert tags["promoted"] == "true"
