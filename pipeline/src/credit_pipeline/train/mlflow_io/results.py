"""docs/results.md, generated from the MLflow runs of a training (never typed by hand).

One model-comparison table: a row per phase run of the latest (or a given) training run, with
its phase, model, AUC, business cost and time, followed by the holdout check and the oracle.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from mlflow.entities import Run

import mlflow
from credit_pipeline.train.mlflow_io.packaging import MODEL_CARD_FILE

__all__ = ["ResultRow", "collect_rows", "latest_training_run", "model_card_of", "render_results",
           "training_run", "write_model_card", "write_results"]

_PHASE_ORDER = ("baselines", "search", "imbalance", "final", "threshold", "holdout")


@dataclass(frozen=True)
class ResultRow:
    """One line of the comparison table."""

    phase: str
    model: str
    roc_auc: float
    cost_per_client: float
    cost_total: float
    seconds: float
    rows: str


def latest_training_run(experiment_id: str) -> Run:
    """The most recent finished parent training run of the experiment."""
    runs = mlflow.search_runs(
        experiment_ids=[experiment_id],
        filter_string="tags.phase = 'training' and attributes.status = 'FINISHED'",
        order_by=["attributes.start_time DESC"], max_results=1, output_format="list",
    )
    if not runs:
        raise LookupError("no finished training run in this experiment: run `credit train`")
    return runs[0]


def _row(run: Run) -> ResultRow:
    metrics = run.data.metrics
    seconds = ((run.info.end_time or run.info.start_time) - run.info.start_time) / 1000
    return ResultRow(
        phase=run.data.tags.get("phase", "?"),
        model=run.info.run_name or run.data.tags.get("model", "?"),
        roc_auc=metrics.get("roc_auc", math.nan),
        cost_per_client=metrics.get("business_cost_per_client", math.nan),
        cost_total=metrics.get("business_cost", math.nan),
        seconds=seconds,
        rows=_thousands(run.data.params.get("data.rows_used", "")),
    )


def _children(parent: Run, condition: str = "") -> list[Run]:
    """The runs directly under ``parent`` (and matching ``condition``), by start time."""
    filter_string = f"tags.mlflow.parentRunId = '{parent.info.run_id}'"
    return mlflow.search_runs(  # type: ignore[no-any-return]
        experiment_ids=[parent.info.experiment_id],
        filter_string=f"{filter_string} and {condition}" if condition else filter_string,
        order_by=["attributes.start_time ASC"], output_format="list",
    )


def collect_rows(parent: Run) -> list[ResultRow]:
    """The phase runs directly under ``parent``, in phase order then start time."""
    rows = [_row(run) for run in _children(parent) if run.data.tags.get("phase") in _PHASE_ORDER]
    return sorted(rows, key=lambda row: _PHASE_ORDER.index(row.phase))


def _thousands(value: str) -> str:
    return f"{int(value):,}" if value.isdigit() else value


def _number(value: float, pattern: str) -> str:
    return "-" if math.isnan(value) else format(value, pattern)


def _summary(parent: Run) -> list[str]:
    metrics, params = parent.data.metrics, parent.data.params
    lines = [
        f"Data set `{params.get('data.name', '?')}` ({_thousands(params.get('data.rows', '?'))} "
        "rows, "
        f"fingerprint `{params.get('data.fingerprint', '?')[:16]}`), profile "
        f"`{parent.data.tags.get('profile', '?')}`, training run `{parent.info.run_id}`, "
        f"model version {parent.data.tags.get('model_version', '?')} "
        f"(promoted: {parent.data.tags.get('promoted', '?')}).",
        "",
        f"Holdout ({_thousands(params.get('holdout.rows', '?'))} clients, never used to choose "
        "anything): "
        f"AUC {_number(metrics.get('holdout_roc_auc', math.nan), '.4f')}, business cost "
        f"{_number(metrics.get('holdout_business_cost', math.nan), ',.0f')} "
        f"({_number(metrics.get('holdout_business_cost_per_client', math.nan), '.4f')} per "
        f"client) at threshold {_number(metrics.get('holdout_threshold', math.nan), '.4f')}.",
    ]
    if "oracle_roc_auc" in metrics:
        lines += ["", (
            f"Oracle (the generator's true probability) on the same holdout: AUC "
            f"{metrics['oracle_roc_auc']:.4f}, cost {metrics['oracle_business_cost']:,.0f} "
            f"({metrics['oracle_business_cost_per_client']:.4f} per client); the model reaches "
            f"{metrics['oracle_lift_share']:.1%} of the oracle's lift over a coin (AUC - 0.5)."
        )]
    return lines


def render_results(parent: Run, rows: list[ResultRow]) -> str:
    """The markdown page."""
    table = ["| phase | model | AUC | business cost per client | business cost | time (s) "
             "| rows |", "|---|---|---|---|---|---|---|"]
    for row in rows:
        table.append(
            f"| {row.phase} | {row.model} | {_number(row.roc_auc, '.4f')} | "
            f"{_number(row.cost_per_client, '.4f')} | {_number(row.cost_total, ',.0f')} | "
            f"{row.seconds:.1f} | {row.rows} |"
        )
    return "\n".join([
        "# Results", "",
        "Generated from the MLflow runs by `credit results`; do not edit by hand. Business "
        "cost = 10 x FN + 1 x FP at each run's threshold (out of fold, except the holdout row).",
        "", *_summary(parent), "", *table, "",
    ])


def training_run(experiment_id: str, run_id: str | None = None) -> Run:
    """The training run ``run_id``, or the latest finished one of the experiment."""
    return mlflow.get_run(run_id) if run_id else latest_training_run(experiment_id)


def write_results(out: Path, parent: Run) -> Path:
    """Write the page of the training run ``parent`` to ``out``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_results(parent, collect_rows(parent)))
    return out


def model_card_of(parent: Run) -> str:
    """The model card that the training run registered with its version (its registry run's
    artifact: the same text as the version's description)."""
    registry = _children(parent, "tags.phase = 'registry'")
    if not registry:
        raise LookupError(f"training run {parent.info.run_id} registered no model version")
    return mlflow.artifacts.load_text(f"{registry[0].info.artifact_uri}/{MODEL_CARD_FILE}")


def write_model_card(out: Path, parent: Run) -> Path:
    """Write the model card of the training run ``parent`` to ``out``."""
    card = model_card_of(parent)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(card if card.endswith("\n") else card + "\n")
    return out
