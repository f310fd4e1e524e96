"""The model version a running service monitors, swapped atomically when the alias moves.

A version is usable once its profile is ready (``monitor.load_monitor``). A version without a
reference cannot be monitored; it is remembered as failed, and the current one stays. Requests
take a reference to the current ``Monitor`` once and use it to the end.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any

from credit_core.model_source import LoadedModel, ModelLoadError, ModelSource, RegistryUnavailable
from credit_core.web.metrics import ServiceMetrics
from monitoring_service.monitor import Monitor, load_monitor

__all__ = ["MonitorHolder"]

logger = logging.getLogger("credit.monitoring.model")


class MonitorHolder:
    """Holds the current monitor, its load history and the reload loop."""

    def __init__(self, source: ModelSource, metrics: ServiceMetrics) -> None:
        self.source = source
        self.metrics = metrics
        self.monitor: Monitor | None = None
        self.problem: str | None = None
        self.last_reload_error: str | None = None
        self._lock = threading.Lock()

    def _install(self, model: LoadedModel) -> None:
        try:
            monitor = load_monitor(model)
        except ModelLoadError as error:
            self.source.failed_versions[model.version] = str(error)
            error.version = error.version or model.version
            raise
        with self._lock:
            self.monitor = monitor
        self.metrics.set_model(model.name, model.version)
        logger.info("monitoring model", extra={"model": model.name, "version": model.version,
                                               "origin": model.origin})

    def _count_failure(self, version: str | None) -> None:
        """One more failed load of ``version`` in /metrics (alerts key on it)."""
        self.metrics.model_load_failures.labels(
            self.metrics.service, self.source.name, version or "unknown").inc()

    def start(self) -> None:
        """Load at start-up: registry, else cache, else stay not-ready (no crash loop)."""
        model, self.problem = self.source.load_at_startup()
        for version in self.source.failed_versions:  # e.g. the alias on a broken version
            self._count_failure(version)
        if model is None:
            logger.error("no model to monitor: %s", self.problem)
            return
        try:
            self._install(model)
        except ModelLoadError as error:
            self.problem = str(error)
            self._count_failure(model.version)
            logger.error("cannot monitor version %s: %s", model.version, error)

    def reload(self, force: bool = False) -> dict[str, Any]:
        """Ask the registry; swap when the alias moved. Failures keep the current version."""
        current = self.monitor.model if self.monitor else None
        try:
            model = self.source.poll(current, force=force)
            if model is not None:
                self._install(model)
        except (RegistryUnavailable, ModelLoadError) as error:
            self.last_reload_error = str(error)
            if isinstance(error, ModelLoadError):
                self._count_failure(error.version)
            logger.error("model reload failed; keeping the current version",
                         extra={"error": str(error)})
            return {"reloaded": False, "error": str(error), **self.describe()}
        if model is None:
            if current is not None and self.source.alias_version == current.version:
                self.last_reload_error = None  # the alias is back on what we serve: resolved
            return {"reloaded": False, **self.describe()}
        self.problem = self.last_reload_error = None
        return {"reloaded": True, **self.describe()}

    def describe(self) -> dict[str, Any]:
        """The monitored version, its reference size and the last problems."""
        monitor = self.monitor
        return {"model": monitor.model.describe() if monitor else None,
                "reference_rows": monitor.profile.rows if monitor else None,
                "problem": self.problem, "last_reload_error": self.last_reload_error}

    def readiness(self) -> tuple[bool, Any]:
        return self.monitor is not None, self.describe()

    async def poll_forever(self, interval: float) -> None:
        """The reload loop: one registry question per interval, in a worker thread."""
        while True:
            await asyncio.sleep(interval)
            await asyncio.to_thread(self.reload)
