"""The model a running service holds, swapped atomically when the alias moves.

Requests take a reference to the current ``Scorer`` once and use it to the end, so a reload
never changes the model under a request in flight.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any

from credit_core.model_source import LoadedModel, ModelLoadError, ModelSource, RegistryUnavailable
from credit_core.scoring import Scorer
from credit_core.web.metrics import ServiceMetrics

__all__ = ["ModelHolder"]

logger = logging.getLogger("credit.scoring.model")


class ModelHolder:
    """Holds the current scorer, its load history and the reload loop."""

    def __init__(self, source: ModelSource, metrics: ServiceMetrics) -> None:
        self.source = source
        self.metrics = metrics
        self.scorer: Scorer | None = None
        self.problem: str | None = None
        self.last_reload_error: str | None = None
        self._lock = threading.Lock()

    def _install(self, model: LoadedModel) -> Scorer:
        scorer = Scorer(model)
        with self._lock:
            self.scorer = scorer
        self.metrics.set_model(model.name, model.version)
        logger.info("serving model", extra={"model": model.name, "version": model.version,
                                            "origin": model.origin})
        return scorer

    def _count_failure(self, version: str | None) -> None:
        """One more failed load of ``version`` in /metrics (alerts key on it)."""
        self.metrics.model_load_failures.labels(
            self.metrics.service, self.source.name, version or "unknown").inc()

    def start(self) -> None:
        """Load at start-up: registry, else cache, else stay not-ready (no crash loop)."""
        model, self.problem = self.source.load_at_startup()
        for version in self.source.failed_versions:  # e.g. the alias on a broken version
            self._count_failure(version)
        if model is not None:
            self._install(model)
        else:
            logger.error("no model to serve: %s", self.problem)

    def reload(self, force: bool = False) -> dict[str, Any]:
        """Ask the registry; swap when the alias moved. Failures keep the current model."""
        current = self.scorer.model if self.scorer else None
        try:
            model = self.source.poll(current, force=force)
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
        self._install(model)
        self.problem = None
        self.last_reload_error = None
        return {"reloaded": True, **self.describe()}

    def describe(self) -> dict[str, Any]:
        scorer = self.scorer
        return {"model": scorer.model.describe() if scorer else None, "problem": self.problem,
                "last_reload_error": self.last_reload_error}

    def readiness(self) -> tuple[bool, Any]:
        return self.scorer is not None, self.describe()

    async def poll_forever(self, interval: float) -> None:
        """The reload loop: one registry question per interval, in a worker thread."""
        while True:
            await asyncio.sleep(interval)
            await asyncio.to_thread(self.reload)
