"""GET /v1/model (the explainer's version and what it offers) and POST /v1/model/reload."""

from __future__ import annotations

from credit_core.serving.routes import model_router
from credit_core.web.errors import error_responses
from explain_service.shap.explainer import VersionExplainer

__all__ = ["router"]

router = model_router(VersionExplainer.describe, summary="The model being explained",
                      description="Name, version, calibration, base value and what this "
                                  "version offers for explanations.",
                      responses=error_responses(404, 409))
