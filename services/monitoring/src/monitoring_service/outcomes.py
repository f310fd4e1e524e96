"""Observed outcomes and the realised performance they reveal, by ISO week of the decision.

Each outcome is matched with the client's latest decision made at or before it was observed
(the decision it is the outcome of); outcomes without such a decision are counted, not used.
Per week: realised AUC (scikit-learn; None with a single class), business cost at each
decision's own threshold (credit_core.cost), default rate and approval rate, beside the
figures of the model's training (its holdout, else out-of-fold, metrics).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score
from sqlalchemy import Engine, insert, select

from credit_core.cost import business_cost
from credit_core.db import decisions
from credit_core.db.tables import outcomes

__all__ = ["realised_performance", "record_outcomes", "training_figures"]


def record_outcomes(engine: Engine, items: Sequence[Mapping[str, Any]],
                    recorded_by: str) -> dict[str, Any]:
    """Store outcomes ({client_id, observed_default, observed_at}); how many match a decision."""
    now = datetime.now(UTC)
    observed = [(int(item["client_id"]), int(item["observed_default"]),
                 _utc(item.get("observed_at") or now)) for item in items]
    rows = [{"client_id": client_id, "observed_default": default, "observed_at": moment,
             "recorded_at": now, "recorded_by": recorded_by}
            for client_id, default, moment in observed]
    first_decision = (select(decisions.c.client_id, decisions.c.created_at)
                      .where(decisions.c.client_id.in_(sorted({o[0] for o in observed}))))
    earliest: dict[int, datetime] = {}
    with engine.begin() as connection:
        connection.execute(insert(outcomes), rows)
        for client_id, created_at in connection.execute(first_decision):
            moment = _utc(created_at)
            earliest[client_id] = min(earliest.get(client_id, moment), moment)
    unmatched = [o for o in observed if o[0] not in earliest or earliest[o[0]] > o[2]]
    return {"recorded": len(rows), "matched": len(rows) - len(unmatched),
            "unmatched_client_ids": sorted({o[0] for o in unmatched})[:100]}


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _frame(engine: Engine, model_version: str | None) -> tuple[pd.DataFrame, int]:
    """Outcomes with their decision (merge_asof, backward by client); and the unmatched count."""
    decision_query = (select(decisions.c.client_id, decisions.c.created_at,
                             decisions.c.probability, decisions.c.threshold,
                             decisions.c.decision, decisions.c.model_version)
                      .where(decisions.c.client_id.in_(select(outcomes.c.client_id))))
    with engine.connect() as connection:
        observed = pd.DataFrame(connection.execute(select(
            outcomes.c.client_id, outcomes.c.observed_default, outcomes.c.observed_at)).all(),
            columns=["client_id", "observed_default", "observed_at"])
        made = pd.DataFrame(connection.execute(decision_query).all(), columns=[
            "client_id", "created_at", "probability", "threshold", "decision", "model_version"])
    if observed.empty or made.empty:
        return made.iloc[:0], len(observed)
    for frame, column in ((observed, "observed_at"), (made, "created_at")):
        frame[column] = pd.to_datetime(frame[column].map(_utc), utc=True)
        frame.sort_values(column, inplace=True)
    joined = pd.merge_asof(observed, made, left_on="observed_at", right_on="created_at",
                           by="client_id", direction="backward").dropna(subset=["created_at"])
    unmatched = len(observed) - len(joined)
    if model_version is not None:
        joined = joined[joined["model_version"] == model_version]
    return joined, unmatched


def _figures(group: pd.DataFrame) -> dict[str, Any]:
    truth = group["observed_default"].to_numpy(dtype=int)
    costs = [business_cost(part["observed_default"].to_numpy(dtype=int),
                           part["probability"].to_numpy(), float(threshold))
             for threshold, part in group.groupby("threshold")]
    total = sum(cost.total for cost in costs)
    both_classes = 0 < truth.sum() < truth.size
    return {
        "outcomes": int(truth.size), "defaults": int(truth.sum()),
        "default_rate": float(truth.mean()),
        "roc_auc": float(roc_auc_score(truth, group["probability"])) if both_classes else None,
        "business_cost": float(total), "business_cost_per_client": float(total / truth.size),
        "false_negatives": sum(cost.false_negatives for cost in costs),
        "false_positives": sum(cost.false_positives for cost in costs),
        "approval_rate": float((group["decision"] == "approved").mean()),
    }


def realised_performance(engine: Engine, training_metrics: Mapping[str, float],
                         model_version: str | None = None) -> dict[str, Any]:
    """Realised figures by ISO week of the decision, overall, and the training figures."""
    joined, unmatched = _frame(engine, model_version)
    weeks = []
    if not joined.empty:
        calendar = joined["created_at"].dt.isocalendar()
        joined = joined.assign(week=calendar["year"].astype(str) + "-W"
                               + calendar["week"].astype(str).str.zfill(2))
        for week, group in joined.groupby("week", sort=True):
            start = datetime.fromisocalendar(int(week[:4]), int(week[-2:]), 1).date()
            weeks.append({"week": week, "week_start": start.isoformat(), **_figures(group)})
    return {"weeks": weeks, "overall": _figures(joined) if not joined.empty else None,
            "unmatched_outcomes": unmatched, "model_version": model_version,
            "training": training_figures(training_metrics)}


def _first(metrics: Mapping[str, float], *keys: str) -> float | None:
    for key in keys:
        value = metrics.get(key)
        if value is not None and math.isfinite(float(value)):
            return float(value)
    return None


def _default_rate(metrics: Mapping[str, float], prefix: str) -> float | None:
    """Defaults / clients from the confusion figures: FN / (1 - recall) over cost / per client."""
    false_negatives = _first(metrics, f"{prefix}false_negatives")
    recall = _first(metrics, f"{prefix}recall")
    cost = _first(metrics, f"{prefix}business_cost")
    per_client = _first(metrics, f"{prefix}business_cost_per_client")
    if None in (false_negatives, recall, cost, per_client) or recall >= 1 or not per_client:  # type: ignore[operator]
        return None
    return float(np.clip(false_negatives / (1 - recall) / (cost / per_client), 0, 1))  # type: ignore[operator]


def training_figures(metrics: Mapping[str, float]) -> dict[str, Any]:
    """The model's own figures (holdout first, out-of-fold otherwise); None where unknown."""
    prefix = "holdout_" if any(k.startswith("holdout_") for k in metrics) else "oof_"
    refusal = _first(metrics, f"{prefix}refusal_rate", "refusal_rate")
    return {
        "source": prefix.rstrip("_") if any(k.startswith(prefix) for k in metrics) else None,
        "roc_auc": _first(metrics, f"{prefix}roc_auc", "roc_auc", "auc"),
        "business_cost_per_client": _first(metrics, f"{prefix}business_cost_per_client",
                                           "business_cost_per_client"),
        "default_rate": _first(metrics, f"{prefix}default_rate", "default_rate")
        or _default_rate(metrics, prefix),
        "approval_rate": None if refusal is None else 1 - refusal,
    }
