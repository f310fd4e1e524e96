"""The app factory: `uvicorn scoring_service.main:create_app --factory --port 8001`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI
from prometheus_client import Counter

from credit_core.model_source import ModelSource
from credit_core.scoring import check_compatible
from credit_core.settings import disable_telemetry
from credit_core.web.app import build_app
from credit_core.web.logging import configure_logging
from credit_core.web.startup import wait_for_database
from scoring_service.logins import LoginThrottle
from scoring_service.population import Population
from scoring_service.routes import clients, invocations, model, oversight, population, scores
from scoring_service.settings import ScoringSettings, get_settings
from scoring_service.state import ModelHolder

__all__ = ["create_app"]

logger = logging.getLogger("credit.scoring")


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: ScoringSettings = app.state.settings
    await asyncio.to_thread(wait_for_database, app.state.engine,
                            settings.startup_database_wait_seconds)
    holder: ModelHolder = app.state.models
    await asyncio.to_thread(holder.start)
    poller = None
    if settings.reload_interval_seconds > 0:
        poller = asyncio.create_task(holder.poll_forever(settings.reload_interval_seconds))
    try:
        yield
    finally:
        if poller:
            poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await poller


def create_app(settings: ScoringSettings | None = None) -> FastAPI:
    """Build the scoring app (nothing is opened until the lifespan starts)."""
    disable_telemetry()
    settings = settings or get_settings()
    configure_logging("scoring", settings.log_level)
    app = build_app("scoring", settings, lifespan=lifespan, title="Credit scoring API",
                    version="1.0", description=__doc__)
    source = ModelSource(settings.resolved_tracking_uri, settings.model_name,
                         settings.model_alias, settings.resolved_model_cache_dir,
                         validate=check_compatible)
    app.state.models = ModelHolder(source, app.state.metrics)
    app.state.readiness.add("model", app.state.models.readiness)
    app.state.decisions_total = Counter(
        "decisions_total", "Scoring decisions by outcome", ["decision"],
        registry=app.state.metrics.registry)
    app.state.population = Population()
    app.state.login_throttle = LoginThrottle()
    for router in (scores.router, invocations.router, clients.router, model.router,
                   population.router, oversight.router):
        app.include_router(router)
    return app
