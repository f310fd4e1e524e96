"""What the ops dashboard shows, gathered in one place from the runs, the outcomes, the model
and the other services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine

from credit_core.serving.holder import ModelHolder
from monitoring_service.monitor import Monitor
from monitoring_service.outcomes import realised_performance
from monitoring_service.peers import peer_readiness
from monitoring_service.runs import run_view
from monitoring_service.settings import MonitoringSettings
from monitoring_service.store import fetch_latest, list_runs

__all__ = ["DashboardData", "collect"]

HISTORY = 60


@dataclass(frozen=True)
class DashboardData:
    caller: str
    model: dict[str, Any] | None
    problem: str | None
    history: list[dict[str, Any]]  # oldest first: id, created_at, source, share, approval
    latest: dict[str, Any] | None
    performance: dict[str, Any]
    peers: dict[str, dict[str, Any]]
    generated_at: datetime


def _history(engine: Engine) -> list[dict[str, Any]]:
    points = []
    for row in reversed(list_runs(engine, HISTORY, with_result=True)):
        result = row.get("result") or {}
        approval = (result.get("prediction") or {}).get("approval_rate") or {}
        points.append({"id": row["id"], "created_at": row["created_at"],
                       "source": row["current_source"], "drift_share": row["drift_share"],
                       "dataset_drift": row["dataset_drift"],
                       "threshold": result.get("drift_share_threshold"),
                       "approval_current": approval.get("current"),
                       "approval_reference": approval.get("reference")})
    return points


def collect(engine: Engine, holder: ModelHolder[Monitor], settings: MonitoringSettings,
            caller: str) -> DashboardData:
    """Everything the page shows (peers are asked in parallel, with a short timeout)."""
    monitor = holder.current
    latest = fetch_latest(engine)
    return DashboardData(
        caller=caller,
        model=monitor.model.describe() | {"reference_rows": monitor.profile.rows}
        if monitor else None,
        problem=holder.problem,
        history=_history(engine),
        latest=run_view(latest) if latest else None,
        performance=realised_performance(engine, monitor.bundle.metrics if monitor else {}),
        peers=peer_readiness(settings.peers, settings.peer_timeout_seconds),
        generated_at=datetime.now(UTC),
    )
