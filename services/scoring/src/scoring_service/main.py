"""The app factory: `uvicorn scoring_service.main:create_app --factory --port 8001`."""

from __future__ import annotations

import anyio
from fastapi import Depends, FastAPI
from prometheus_client import Counter

from credit_core.logins import LoginGate, LoginThrottle, PasswordChecks
from credit_core.model_source import ModelSource
from credit_core.serving.deps import serve_model
from credit_core.serving.holder import ModelHolder
from credit_core.serving.lifespan import serving_lifespan
from credit_core.settings import disable_telemetry
from credit_core.web.app import build_app
from credit_core.web.logging import configure_logging
from scoring_service.deps import require_home_credit
from scoring_service.mlflow_invocations import PyfuncCache
from scoring_service.population import Population
from scoring_service.routes import (
    clients,
    invocations,
    model,
    oversight,
    population,
    scores,
    sessions,
)
from scoring_service.served import ServedBuilder
from scoring_service.settings import ScoringSettings, get_settings

__all__ = ["create_app"]

def create_app(settings: ScoringSettings | None = None) -> FastAPI:
    """Build the scoring app (nothing is opened until the lifespan starts)."""
    disable_telemetry()
    settings = settings or get_settings()
    configure_logging("scoring", settings.log_level)
    app = build_app("scoring", settings, lifespan=serving_lifespan(), title="Credit scoring API",
                    version="1.0", description=__doc__)
    source = ModelSource(settings.resolved_tracking_uri, settings.model_name,
                         settings.model_alias, settings.resolved_model_cache_dir)
    # Home Credit or generic: fixed by the first version served unless configured.
    kind = None if settings.model_kind == "auto" else settings.model_kind
    serve_model(app, ModelHolder(source, app.state.metrics, ServedBuilder(kind)))
    app.state.pyfuncs = PyfuncCache()
    app.state.invocation_limiter = anyio.CapacityLimiter(invocations.LARGE_BODIES_AT_ONCE)
    app.state.decisions_total = Counter(
        "decisions_total", "Scoring decisions by outcome", ["decision"],
        registry=app.state.metrics.registry)
    app.state.population = Population()
    # Password checks (argon2) get a pool of their own, two at a time, off the scoring path.
    app.state.login_gate = LoginGate(LoginThrottle(lambda: app.state.engine()),
                                     PasswordChecks(limit=2))
    for router in (scores.router, invocations.router, model.router, population.router,
                   oversight.router, sessions.router):
        app.include_router(router)
    # The clients need no model, so no scorer dependency says "generic deployment": this does.
    app.include_router(clients.router, dependencies=[Depends(require_home_credit)])
    return app
