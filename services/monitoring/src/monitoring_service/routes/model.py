"""GET /v1/model (the monitored version and its reference) and POST /v1/model/reload."""

from __future__ import annotations

from typing import Any

from credit_core.serving.routes import model_router
from monitoring_service.deps import OPS_ROLES
from monitoring_service.monitor import Monitor

__all__ = ["router"]


def describe(monitor: Monitor) -> dict[str, Any]:
    """Version, threshold, training metrics, reference rows, columns with type and importance."""
    profile = monitor.profile
    importance = monitor.importance or {}
    return {
        **monitor.model.describe(), "metrics": monitor.bundle.metrics,
        "reference": {"rows": profile.rows,
                      "approval_rate": monitor.reference_approval_rate()},
        "columns": [{"name": name, "type": "numerical" if column.kind == "num" else "categorical",
                     "reference_values": column.count, "importance": importance.get(name)}
                    for name, column in profile.columns.items()],
    }


router = model_router(describe, summary="The monitored model and its reference",
                      description="Version, threshold, training metrics, reference rows, "
                                  "columns with type and importance.",
                      readers=OPS_ROLES)
