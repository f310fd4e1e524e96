"""MLflow helpers: where runs go, nested phase runs, the data set input, metrics and figures.

Works the same on the embedded store (SQLite under var/mlflow, artifacts under
var/mlflow/artifacts) and on an ``mlflow server`` reached over HTTP. Telemetry is turned off
before MLflow is first touched.
"""

from __future__ import annotations

import json
import logging
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from mlflow.data.code_dataset_source import CodeDatasetSource
from mlflow.data.meta_dataset import MetaDataset
from mlflow.types import ColSpec, Schema

import mlflow
from credit_core.mlflow_credentials import load_tracking_credentials
from credit_core.settings import CoreSettings, disable_telemetry
from credit_pipeline.train.datasets.training_data import TrainingData
from credit_pipeline.train.mlflow_io.plots import write_plots
from credit_pipeline.train.modelling.evaluate import Evaluation

__all__ = [
    "DataRecord",
    "configure_tracking",
    "log_data_used",
    "log_evaluation",
    "log_figures",
    "log_params",
    "phase_run",
]

logger = logging.getLogger(__name__)


def configure_tracking(settings: CoreSettings, experiment_name: str) -> str:
    """Point MLflow at the settings' store and select (or create) the experiment; its id."""
    disable_telemetry()
    _drop_telemetry_client()
    load_tracking_credentials()  # the training account's password, from its file if so given
    uri = settings.resolved_tracking_uri
    is_local = uri.startswith("sqlite:") or uri.startswith("file:")
    if uri.startswith("sqlite:///"):
        Path(uri.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    experiment = mlflow.get_experiment_by_name(experiment_name)
    if experiment is None:
        # The embedded store keeps artifacts under var/; a server decides for itself.
        location = None
        if is_local:
            settings.local_artifact_root.mkdir(parents=True, exist_ok=True)
            location = settings.local_artifact_root.as_uri()
        experiment_id = mlflow.create_experiment(experiment_name, artifact_location=location)
    else:
        experiment_id = experiment.experiment_id
    mlflow.set_experiment(experiment_id=experiment_id)
    logger.info("MLflow tracking at %s, experiment %r", uri, experiment_name)
    return experiment_id


def _drop_telemetry_client() -> None:
    """MLflow starts its telemetry client when imported; re-reading the switch drops it if
    mlflow was imported before ``disable_telemetry`` ran."""
    with suppress(ImportError, AttributeError):
        from mlflow.telemetry.client import set_telemetry_client

        set_telemetry_client()


@contextmanager
def phase_run(
    run_name: str, phase: str, model: str | None = None, tags: dict[str, str] | None = None
) -> Iterator[mlflow.ActiveRun]:
    """A run nested under the active one, tagged with its phase and model family."""
    run_tags = {"phase": phase, **({"model": model} if model else {}), **(tags or {})}
    with mlflow.start_run(run_name=run_name, nested=True, tags=run_tags) as run:
        yield run


@dataclass(frozen=True)
class DataRecord:
    """What identifies the data set in every run, without giving a phase the rows themselves."""

    name: str
    fingerprint: str
    rows: int
    n_features: int
    entity: Any

    @classmethod
    def of(cls, data: TrainingData) -> DataRecord:
        """The record of a data set: its MLflow dataset entity with the fingerprint as digest."""
        schema = Schema([ColSpec("double", name) for name in data.feature_names])
        entity = _FeatureTable(
            source=CodeDatasetSource(tags={"dataset": data.dataset_name}),
            name=data.dataset_name, digest=data.fingerprint[:36], schema=schema,
        )
        entity.rows, entity.columns = data.rows, len(data.feature_names)
        return cls(data.dataset_name, data.fingerprint, data.rows, len(data.feature_names), entity)


class _FeatureTable(MetaDataset):
    """The data set's name, fingerprint, schema and row count, without the rows.

    ``mlflow.data.from_pandas`` infers the schema value by value: 80 s on the full-size table.
    The features are float64 by contract, so the schema is known; the profile is the row count.
    """

    rows: int = 0
    columns: int = 0

    @property
    def profile(self) -> dict[str, int]:
        return {"num_rows": self.rows, "num_elements": self.rows * self.columns}

    def to_dict(self) -> dict[str, str]:
        return {**super().to_dict(), "profile": json.dumps(self.profile)}


def log_data_used(record: DataRecord, rows_used: int, context: str = "training") -> None:
    """Record the data set a run used: the input entity, and params for search and reports."""
    mlflow.log_input(record.entity, context=context, tags={"rows_used": str(rows_used)})
    mlflow.log_params({
        "data.name": record.name,
        "data.fingerprint": record.fingerprint,
        "data.rows": record.rows,
        "data.rows_used": rows_used,
        "data.features": record.n_features,
    })


def log_params(params: dict[str, Any], prefix: str = "") -> None:
    """Log parameters, stringifying values MLflow would reject."""
    mlflow.log_params({f"{prefix}{key}": _param_value(value) for key, value in params.items()})


def _param_value(value: Any) -> Any:
    if isinstance(value, (int, float, str, bool)) or value is None:
        return value
    return str(value)


def log_evaluation(evaluation: Evaluation, prefix: str = "") -> dict[str, float]:
    """Log an evaluation's metrics under an optional prefix; returns them."""
    metrics = evaluation.metrics(prefix)
    mlflow.log_metrics(metrics)
    return metrics


def log_figures(
    y_true: np.ndarray,
    probability: np.ndarray,
    threshold: float,
    title: str,
    importance: dict[str, float] | None = None,
    artifact_path: str = "plots",
) -> None:
    """Draw the run's figures and attach them as artifacts under ``artifact_path``."""
    with tempfile.TemporaryDirectory() as scratch:
        write_plots(Path(scratch), y_true, probability, threshold, title, importance)
        mlflow.log_artifacts(scratch, artifact_path=artifact_path)
