"""Runs as the API and the schedule ask for them, with no web framework: fetch the current
data, compare, store, count, and queue the report.

At most two runs compute at once in a process (each holds its current batch in memory); a third
waits its turn.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import IO, Any

from sqlalchemy import Engine

from credit_core.serving.holder import ModelHolder
from monitoring_service.drift.options import DriftOptions
from monitoring_service.gauges import DriftGauges
from monitoring_service.monitor import Monitor
from monitoring_service.reports import ReportRenderer
from monitoring_service.runs import execute_run
from monitoring_service.settings import MonitoringSettings
from monitoring_service.sources import (
    CurrentData,
    SourceError,
    as_utc,
    from_application_test,
    from_decisions,
    scored,
)
from monitoring_service.store import recent_scheduled_at
from monitoring_service.uploads import read_upload

__all__ = ["Runner"]

logger = logging.getLogger("credit.monitoring.runs")


class Runner:
    """Everything a run needs besides the monitor: settings, database, renderer, metrics."""

    def __init__(self, settings: MonitoringSettings, engine: Callable[[], Engine],
                 gauges: DriftGauges, renderer: ReportRenderer | None) -> None:
        self.settings = settings
        self.engine = engine
        self.gauges = gauges
        self.renderer = renderer
        self._slots = threading.Semaphore(2)

    def options(self, requested: DriftOptions | None, monitor: Monitor) -> DriftOptions:
        """The request's options over the service's defaults, checked against the columns."""
        options = (requested or DriftOptions()).merged_over(self.settings.drift_defaults)
        options.check(monitor.profile.kinds)
        return options

    def window(self, start: datetime | None, end: datetime | None) -> tuple[datetime, datetime]:
        """The decisions window: [start, end), by default the last MONITORING_DEFAULT_WINDOW_DAYS."""
        end = as_utc(end) if end else datetime.now(UTC)
        start = as_utc(start) if start else end - timedelta(days=self.settings.default_window_days)
        if start >= end:
            raise SourceError("window_start must be before window_end")
        return start, end

    def current(self, monitor: Monitor, source: str, window: tuple[datetime, datetime] | None,
                upload: IO[bytes] | None = None, filename: str | None = None) -> CurrentData:
        """The current rows of ``source`` (SourceError / UploadError with the reason)."""
        limit = self.settings.max_current_rows
        if source == "decisions":
            return from_decisions(self.engine(), monitor.bundle, *(window or self.window(None, None)),
                                  limit)
        if source == "application_test":
            return from_application_test(self.engine(), monitor.bundle, limit)
        if upload is None:
            raise SourceError("send the batch as multipart/form-data with a 'file' field")
        frame = read_upload(upload, monitor.bundle.features, limit)
        return scored("upload", frame, monitor.bundle, filename=filename)

    def run(self, monitor: Monitor, current: CurrentData, options: DriftOptions, *,
            caller: str | None, trigger: str = "api", render: bool = True) -> dict[str, Any]:
        """Compare, store and count one run; its view."""
        hook = self.renderer.submit if (render and self.renderer) else None
        with self._slots:
            view = execute_run(self.engine(), monitor, current, options, trigger=trigger,
                               requested_by=caller, threads=self.settings.drift_threads or None,
                               report_hook=hook)
        self.gauges.runs.labels(current.source, trigger).inc()
        self.gauges.forget()
        logger.info("drift run stored", extra={
            "run_id": view["id"], "source": current.source, "rows": current.rows,
            "drift_share": view["drift_share"], "dataset_drift": view["dataset_drift"]})
        return view

    def scheduled(self, holder: ModelHolder[Monitor]) -> None:
        """The schedule's job: a run on the default decisions window, unless another replica
        stored one less than half an interval ago, or there is nothing to compare."""
        monitor = holder.current
        if monitor is None:
            logger.warning("scheduled drift run skipped: no model loaded")
            return
        last = recent_scheduled_at(self.engine())
        half = timedelta(seconds=self.settings.schedule_seconds / 2)
        if last is not None and datetime.now(UTC) - last < half:
            logger.info("scheduled drift run skipped: one was stored %s ago", datetime.now(UTC) - last)
            return
        try:
            current = self.current(monitor, "decisions", None)
        except SourceError as error:
            logger.info("scheduled drift run skipped: %s", error)
            return
        self.run(monitor, current, self.options(None, monitor), caller=None, trigger="schedule")
