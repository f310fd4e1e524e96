"""GET /v1/model (the monitored version and its reference) and POST /v1/model/reload."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from monitoring_service.deps import AdminDep, MonitorDep, OpsDep

router = APIRouter(prefix="/v1/model", tags=["model"])


@router.get("", summary="The monitored model and its reference")
def get_model(monitor: MonitorDep, caller: OpsDep) -> dict[str, Any]:
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


@router.post("/reload", summary="Ask the registry now (admins)")
def reload_model(request: Request, caller: AdminDep) -> dict[str, Any]:
    """Reload the version the alias points to now, even if it failed before (admins only)."""
    return request.app.state.monitors.reload(force=True)  # type: ignore[no-any-return]
