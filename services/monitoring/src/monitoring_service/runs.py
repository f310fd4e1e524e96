"""A drift run: the verdicts against the reference, computed at once and stored with the
prediction drift; Evidently's HTML report follows in the background.

Columns are listed drifted first, each group by the global importance of the feature (its share
of the mean |SHAP|), so that drift in what the model relies on comes first;
``importance_weighted_drift`` is the share of the model's reliance that drifted.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine

from credit_core.schema.features import feature
from monitoring_service.drift.engine import ColumnDrift, DriftReport, compare
from monitoring_service.drift.options import DriftOptions
from monitoring_service.monitor import Monitor
from monitoring_service.prediction import prediction_drift
from monitoring_service.sources import CurrentData, SourceError
from monitoring_service.store import fetch_run, insert_run, jsonable

__all__ = ["execute_run", "run_view"]

#: Called with the stored run's id, the monitor and the data, to render the report.
ReportHook = Callable[[int, Monitor, CurrentData, DriftReport], None]


def _label(monitor: Monitor, name: str) -> str:
    labels = monitor.bundle.metadata.get("labels") or {}
    if name in labels:
        return str(labels[name])
    try:
        return feature(name).label
    except KeyError:
        return name


def _column(monitor: Monitor, drift: ColumnDrift) -> dict[str, Any]:
    importance = monitor.importance.get(drift.column) if monitor.importance else None
    return {
        "column": drift.column, "label": _label(monitor, drift.column),
        "type": "numerical" if drift.kind == "num" else "categorical",
        "test": drift.method, "test_name": drift.method_name, "score": drift.score,
        "threshold": drift.threshold, "drifted": drift.drifted, "importance": importance,
        "reference_rows": drift.reference_rows, "current_rows": drift.current_rows,
    }


def _result(monitor: Monitor, current: CurrentData, report: DriftReport,
            seconds: float) -> dict[str, Any]:
    columns = sorted((_column(monitor, drift) for drift in report.columns),
                     key=lambda c: (not c["drifted"], -(c["importance"] or 0.0), c["column"]))
    weighted = (sum(c["importance"] or 0.0 for c in columns if c["drifted"])
                if monitor.importance else None)
    prediction = prediction_drift(monitor.profile.prediction, current.probabilities,
                                  current.approved, monitor.bundle.threshold)
    return {
        "current": current.describe(), "reference": {"rows": monitor.profile.rows},
        "number_of_columns": len(report.columns), "drifted_columns": report.drifted_columns,
        "drift_share": report.drift_share, "drift_share_threshold": report.drift_share_threshold,
        "dataset_drift": report.dataset_drift, "importance_weighted_drift": weighted,
        "columns": columns,
        "skipped_columns": [{"column": k, "reason": v} for k, v in report.skipped.items()],
        "prediction": prediction, "timings": {"drift_seconds": round(seconds, 4)},
    }


def execute_run(engine: Engine, monitor: Monitor, current: CurrentData, options: DriftOptions,
                *, trigger: str, requested_by: str | None, threads: int | None = None,
                report_hook: ReportHook | None = None) -> dict[str, Any]:
    """Compare, store, hand over to the report renderer; the stored run's view.

    SourceError (422) when no column has values on both sides: nothing is stored then.
    """
    options.check(monitor.profile.kinds)
    started = time.perf_counter()
    report = compare(monitor.profile, current.frame, options, threads)
    if not report.columns:
        raise SourceError("no column has values in both the reference and the current data: "
                          + "; ".join(f"{k}: {v}" for k, v in list(report.skipped.items())[:5]))
    result = _result(monitor, current, report, time.perf_counter() - started)
    run_id = insert_run(engine, {
        "created_at": datetime.now(UTC), "status": "pending" if report_hook else "done",
        "model_version": monitor.version, "current_source": current.source,
        "window_start": current.window_start, "window_end": current.window_end,
        "rows": current.rows, "drift_share": report.drift_share,
        "dataset_drift": report.dataset_drift,
        "params": jsonable({"options": options.model_dump(), "trigger": trigger,
                            "requested_by": requested_by, "model_name": monitor.model.name}),
        "result": jsonable(result),
    })
    if report_hook:
        report_hook(run_id, monitor, current, report)
    return run_view(fetch_run(engine, run_id))  # type: ignore[arg-type]


def run_view(row: dict[str, Any]) -> dict[str, Any]:
    """The API's view of a stored run."""
    params, result = row.get("params") or {}, row.get("result") or {}
    has_report = row["status"] == "pending" or row.get("report_path")
    return {
        "id": row["id"], "created_at": row["created_at"], "status": row["status"],
        "model": {"name": params.get("model_name"), "version": row["model_version"]},
        "trigger": params.get("trigger"), "requested_by": params.get("requested_by"),
        "options": params.get("options"),
        **{key: result.get(key) for key in (
            "current", "reference", "number_of_columns", "drifted_columns", "drift_share",
            "drift_share_threshold", "dataset_drift", "importance_weighted_drift", "columns",
            "skipped_columns", "prediction", "timings")},
        "report": {"status": row["status"], "error": row.get("error"),
                   "url": f"/v1/drift/runs/{row['id']}/report" if has_report else None},
    }
