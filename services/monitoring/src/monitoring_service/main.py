"""The app factory: `uvicorn monitoring_service.main:create_app --factory --port 8003`."""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse

from credit_core.logins import LoginGate, LoginThrottle, PasswordChecks
from credit_core.model_source import ModelSource
from credit_core.serving.deps import serve_model
from credit_core.serving.holder import ModelHolder
from credit_core.serving.lifespan import serving_lifespan
from credit_core.settings import disable_telemetry
from credit_core.web.app import build_app
from credit_core.web.logging import configure_logging
from monitoring_service.deps import LoginRequired, dashboard_sessions
from monitoring_service.gauges import DriftGauges
from monitoring_service.monitor import describe_monitor, load_monitor
from monitoring_service.reports import ReportRenderer
from monitoring_service.routes import dashboard, drift, model, outcomes
from monitoring_service.scheduler import Scheduler
from monitoring_service.service import Runner
from monitoring_service.settings import MonitoringSettings, get_settings

__all__ = ["create_app"]


def _schedule(app: FastAPI) -> Coroutine[Any, Any, None] | None:
    """The scheduled drift runs, when a schedule is set."""
    if app.state.settings.schedule_seconds > 0:
        return app.state.scheduler.run_forever()  # type: ignore[no-any-return]
    return None


def _stop_renderer(app: FastAPI) -> None:
    if app.state.renderer:
        app.state.renderer.shutdown()


def _login_required(request: Request, error: Exception) -> HTMLResponse:
    return dashboard.login_page(str(error), getattr(error, "status", 401))


def create_app(settings: MonitoringSettings | None = None) -> FastAPI:
    """Build the monitoring app (nothing is opened until the lifespan starts)."""
    disable_telemetry()
    settings = settings or get_settings()
    configure_logging("monitoring", settings.log_level)
    app = build_app("monitoring", settings,
                    lifespan=serving_lifespan(_schedule, on_shutdown=_stop_renderer),
                    title="Credit monitoring API", version="1.0", description=__doc__)
    source = ModelSource(settings.resolved_tracking_uri, settings.model_name,
                         settings.model_alias, settings.resolved_model_cache_dir)
    serve_model(app, ModelHolder(source, app.state.metrics, load_monitor,
                                 describe=describe_monitor,
                                 unavailable="the model and its reference"))
    app.state.renderer = (ReportRenderer(app.state.engine, settings.resolved_reports_dir,
                                         settings.report_timeout_seconds,
                                         settings.report_reference_rows)
                          if settings.render_reports else None)
    gauges = DriftGauges(app.state.metrics.registry, app.state.engine)
    app.state.runner = Runner(settings, app.state.engine, gauges, app.state.renderer)
    app.state.scheduler = Scheduler(settings.schedule_seconds or 1.0,
                                    lambda: app.state.runner.scheduled(app.state.models),
                                    on_skip=gauges.skipped_ticks.inc)
    app.state.sessions = dashboard_sessions(settings, lambda: app.state.engine())
    app.state.login_gate = LoginGate(LoginThrottle(lambda: app.state.engine()),
                                     PasswordChecks(limit=2))
    app.add_exception_handler(LoginRequired, _login_required)
    for router in (drift.router, outcomes.router, model.router, dashboard.router):
        app.include_router(router)
    return app
