"""Renders one run's Evidently HTML report; run by ``ReportRenderer`` as a child process.

``python -m monitoring_service.report_worker '<job JSON>'``: the job names the reference parquet,
the current parquet (the run's rows, float32, with the probabilities), the columns with their
types, the drift options, the output path and an optional cap on the reference rows (a seeded
sample). Exit 0 when the report is written.
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

import pandas as pd

from credit_core.settings import disable_telemetry
from monitoring_service.drift.options import DriftOptions
from monitoring_service.drift.profile import PREDICTION
from monitoring_service.evidently_run import as_drift_frame, evidently_snapshot, save_report


def render(job: dict) -> Path:
    """Render the job's report; the path written."""
    columns = list(job["columns"])
    wanted = columns + ([PREDICTION] if job["prediction"] else [])
    reference = as_drift_frame(pd.read_parquet(job["reference"], columns=wanted), wanted)
    limit = int(job.get("reference_rows") or 0)
    if 0 < limit < len(reference):  # a seeded sample: Evidently's memory grows with the rows
        reference = reference.sample(limit, random_state=0).reset_index(drop=True)
    current = as_drift_frame(pd.read_parquet(job["current"], columns=wanted), wanted)
    options = DriftOptions.model_validate(job["options"])
    snapshot = evidently_snapshot(reference, current, job["kinds"], options,
                                  prediction=job["prediction"])
    return save_report(snapshot, Path(job["output"]))


def main(argv: list[str]) -> int:
    """Render the job given as the first argument (JSON)."""
    disable_telemetry()
    warnings.simplefilter("ignore")  # Evidently's and SciPy's warnings are not ours to fix
    render(json.loads(argv[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
