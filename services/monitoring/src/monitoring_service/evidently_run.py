"""Evidently 0.7 on the same columns and options as our engine: the HTML report, and the
reference implementation that the tests and the benchmark compare our verdicts with.

Evidently is imported lazily (importing it takes seconds): only the report worker, the tests and
the benchmark pay for it. Both frames are float32 with infinite values as missing, the
representation our engine tests, and the column types are declared, never inferred.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from monitoring_service.drift.options import METHODS, DriftOptions, Kind
from monitoring_service.drift.profile import PREDICTION

__all__ = ["PREDICTION_COLUMN", "EvidentlyVerdicts", "as_drift_frame", "evidently_snapshot",
           "evidently_verdicts", "save_report"]

PREDICTION_COLUMN = PREDICTION
_DISPLAY_NAMES = {name: method.display_name for name, method in METHODS.items()}


@dataclass(frozen=True)
class EvidentlyVerdicts:
    """What Evidently decided: per column (method display name, score, threshold, drifted)."""

    columns: dict[str, tuple[str, float, float, bool]]
    drifted_columns: int
    drift_share: float


def as_drift_frame(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """``columns`` of ``frame`` as float32 with infinite values as missing."""
    values = frame[list(columns)].to_numpy(dtype=np.float32, copy=True)
    values[~np.isfinite(values)] = np.nan
    return pd.DataFrame(values, columns=list(columns))


def _preset_kwargs(options: DriftOptions, columns: Sequence[str]) -> dict[str, Any]:
    wanted = set(columns)
    return {
        "columns": list(columns), "drift_share": options.drift_share,
        "method": options.method, "num_method": options.num_method,
        "cat_method": options.cat_method, "threshold": options.threshold,
        "num_threshold": options.num_threshold, "cat_threshold": options.cat_threshold,
        "per_column_method": {k: v for k, v in options.per_column_method.items() if k in wanted}
        or None,
        "per_column_threshold": {k: v for k, v in options.per_column_threshold.items()
                                 if k in wanted} or None,
    }


def evidently_snapshot(reference: pd.DataFrame, current: pd.DataFrame,
                       kinds: Mapping[str, Kind], options: DriftOptions,
                       prediction: bool = False) -> Any:
    """Run DataDriftPreset (with its tests) over the columns of ``kinds``; the snapshot.

    With ``prediction``, both frames also hold PREDICTION_COLUMN and its drift is added as a
    separate ValueDrift (it does not count in the share of drifted columns).
    """
    from evidently import DataDefinition, Dataset, Report
    from evidently.metrics import ValueDrift
    from evidently.presets import DataDriftPreset

    columns = list(kinds)
    numerical = [c for c in columns if kinds[c] == "num"] + ([PREDICTION_COLUMN] if prediction
                                                               else [])
    definition = DataDefinition(numerical_columns=numerical,
                                categorical_columns=[c for c in columns if kinds[c] == "cat"])
    metrics: list[Any] = [DataDriftPreset(**_preset_kwargs(options, columns))]
    if prediction:
        metrics.append(ValueDrift(column=PREDICTION_COLUMN))
    report = Report(metrics, include_tests=True)
    return report.run(Dataset.from_pandas(current, data_definition=definition),
                      Dataset.from_pandas(reference, data_definition=definition))


def evidently_verdicts(snapshot: Any) -> EvidentlyVerdicts:
    """Per-column verdicts read from the snapshot: ValueDrift values and their tests.

    The method is the display name (Evidently reports a configured test by its short name).
    """
    content = snapshot.dict()
    scores: dict[str, tuple[str, float, float]] = {}
    drifted_count, share = 0, 0.0
    for metric in content["metrics"]:
        config = metric["config"]
        if config["type"].endswith("ValueDrift"):
            method = _DISPLAY_NAMES.get(config["method"], config["method"])
            scores[config["column"]] = (method, float(metric["value"]), float(config["threshold"]))
        elif config["type"].endswith("DriftedColumnsCount"):
            drifted_count = int(metric["value"]["count"])
            share = float(metric["value"]["share"])
    verdicts = {}
    for test in content["tests"]:
        params = test["metric_config"]["params"]
        if params["type"].endswith("ValueDrift"):
            column = params["column"]
            status = getattr(test["status"], "value", test["status"])
            verdicts[column] = (*scores[column], status == "FAIL")
    return EvidentlyVerdicts(verdicts, drifted_count, share)


def save_report(snapshot: Any, path: Path) -> Path:
    """Write the snapshot's HTML atomically."""
    temporary = path.with_name(f".{path.name}.tmp")
    snapshot.save_html(str(temporary))
    temporary.replace(path)
    return path
