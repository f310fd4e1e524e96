"""The app factory: `uvicorn monitoring_service.main:create_app --factory --port 8003`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse

from credit_core.model_source import ModelSource
from credit_core.settings import disable_telemetry
from credit_core.web.app import build_app
from credit_core.web.logging import configure_logging
from credit_core.web.startup import wait_for_database
from monitoring_service.deps import LoginRequired
from monitoring_service.gauges import DriftGauges
from monitoring_service.reports import ReportRenderer
from monitoring_service.routes import dashboard, drift, model, outcomes
from monitoring_service.scheduler import Scheduler
from monitoring_service.service import Runner
from monitoring_service.sessions import SessionSigner
from monitoring_service.settings import MonitoringSettings, get_settings
from monitoring_service.state import MonitorHolder

__all__ = ["create_app"]

logger = logging.getLogger("credit.monitoring")


async def _stop(task: asyncio.Task[None] | None) -> None:
    if task:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Wait for the database, load the model and profile, start the reload loop and schedule."""
    settings: MonitoringSettings = app.state.settings
    await asyncio.to_thread(wait_for_database, app.state.engine,
                            settings.startup_database_wait_seconds)
    holder: MonitorHolder = app.state.monitors
    await asyncio.to_thread(holder.start)
    poller = schedule = None
    if settings.reload_interval_seconds > 0:
        poller = asyncio.create_task(holder.poll_forever(settings.reload_interval_seconds))
    if settings.schedule_seconds > 0:
        schedule = asyncio.create_task(app.state.scheduler.run_forever())
    try:
        yield
    finally:
        await _stop(schedule)
        await _stop(poller)
        if app.state.renderer:
            app.state.renderer.shutdown()


def _login_required(request: Request, error: Exception) -> HTMLResponse:
    return dashboard.login_page(str(error), getattr(error, "status", 401))


def create_app(settings: MonitoringSettings | None = None) -> FastAPI:
    """Build the monitoring app (nothing is opened until the lifespan starts)."""
    disable_telemetry()
    settings = settings or get_settings()
    configure_logging("monitoring", settings.log_level)
    app = build_app("monitoring", settings, lifespan=lifespan, title="Credit monitoring API",
                    version="1.0", description=__doc__)
    source = ModelSource(settings.resolved_tracking_uri, settings.model_name,
                         settings.model_alias, settings.resolved_model_cache_dir)
    app.state.monitors = MonitorHolder(source, app.state.metrics)
    app.state.readiness.add("model", app.state.monitors.readiness)
    app.state.renderer = (ReportRenderer(app.state.engine, settings.resolved_reports_dir,
                                         settings.report_timeout_seconds,
                                         settings.report_reference_rows)
                          if settings.render_reports else None)
    gauges = DriftGauges(app.state.metrics.registry, app.state.engine)
    app.state.runner = Runner(settings, app.state.engine, gauges, app.state.renderer)
    app.state.scheduler = Scheduler(settings.schedule_seconds or 1.0,
                                    lambda: app.state.runner.scheduled(app.state.monitors),
                                    on_skip=gauges.skipped_ticks.inc)
    secret = settings.session_secret.get_secret_value().encode() if settings.session_secret \
        else None
    app.state.sessions = SessionSigner(secret, settings.session_hours * 3600)
    app.add_exception_handler(LoginRequired, _login_required)
    for router in (drift.router, outcomes.router, model.router, dashboard.router):
        app.include_router(router)
    return app
