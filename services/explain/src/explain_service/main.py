"""The app factory: `uvicorn explain_service.main:create_app --factory --port 8002`."""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import FastAPI

from credit_core.model_source import ModelSource
from credit_core.scoring import check_compatible
from credit_core.serving.deps import serve_model
from credit_core.serving.holder import ModelHolder
from credit_core.serving.lifespan import serving_lifespan
from credit_core.settings import disable_telemetry
from credit_core.web.app import build_app
from credit_core.web.logging import configure_logging
from explain_service.routes import counterfactuals, explanations, importance, model
from explain_service.settings import ExplainSettings, get_settings
from explain_service.shap.explainer import VersionExplainer

__all__ = ["create_app"]

_DESCRIPTION = """Why the model decided what it decided, for one applicant or overall.

- `POST /v1/explanations`: exact SHAP contributions of every feature (raw log-odds of the
  booster), the top reasons toward refusal and approval in English and French, waterfall data.
- `POST /v1/explanations/image`: the waterfall as PNG or SVG, with a text alternative.
- `GET /v1/importance`: global importance (mean absolute SHAP), as stored with the version.
- `POST /v1/counterfactuals`: the smallest change to the loan that the model approves.

An applicant is a known client (`client_id`), an audited decision (`decision_id`, explained
with the model version that made it) or application fields (`features`). Every route but
/healthz, /readyz and /metrics needs `Authorization: Bearer <api key>`.
"""


def _describe(explainer: VersionExplainer | None) -> dict[str, Any]:
    """What /readyz and a reload tell of the current explainer."""
    return {"model": explainer.describe() if explainer is not None else None}


def create_app(settings: ExplainSettings | None = None) -> FastAPI:
    """Build the explanation app (nothing is opened until the lifespan starts)."""
    disable_telemetry()
    settings = settings or get_settings()
    configure_logging("explain", settings.log_level)
    app = build_app("explain", settings, lifespan=serving_lifespan(),
                    title="Credit explanation API", version="1.0", description=_DESCRIPTION)
    source = ModelSource(settings.resolved_tracking_uri, settings.model_name,
                         settings.model_alias, settings.resolved_model_cache_dir,
                         validate=check_compatible)
    build = partial(VersionExplainer, treeshap=settings.treeshap,
                    percentile_rows=settings.percentile_rows)
    serve_model(app, ModelHolder(source, app.state.metrics, build, describe=_describe,
                                 pinned=settings.pinned_versions))
    for router in (explanations.router, importance.router, counterfactuals.router, model.router):
        app.include_router(router)
    return app
