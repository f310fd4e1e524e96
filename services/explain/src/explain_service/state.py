"""The model versions a running service holds.

The current version (the alias) is swapped atomically when the alias moves, as in scoring:
requests take a reference to the current explainer once and use it to the end. Other versions,
asked for by a pinned request or an old decision, are loaded on demand and kept in a small LRU.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from credit_core.model_source import LoadedModel, ModelLoadError, ModelSource, RegistryUnavailable
from credit_core.web.metrics import ServiceMetrics
from explain_service.explainer import VersionExplainer
from explain_service.versions import UnknownVersion, version_exists

__all__ = ["ModelHolder", "UnknownVersion", "VersionUnusable"]

logger = logging.getLogger("credit.explain.model")


class VersionUnusable(Exception):
    """A pinned version exists but cannot be loaded or explained."""


class ModelHolder:
    """Holds the current explainer, pinned versions, the load history and the reload loop."""

    def __init__(self, source: ModelSource, metrics: ServiceMetrics,
                 build: Callable[[LoadedModel], VersionExplainer], pinned: int = 3) -> None:
        self.source = source
        self.metrics = metrics
        self.build = build
        self.explainer: VersionExplainer | None = None
        self.problem: str | None = None
        self.last_reload_error: str | None = None
        self.pinned_size = pinned
        self._pinned: OrderedDict[str, VersionExplainer] = OrderedDict()
        self._lock = threading.Lock()
        self._load_lock = threading.Lock()

    def _build(self, model: LoadedModel) -> VersionExplainer:
        """The version's explainer; any failure to prepare it is a ModelLoadError."""
        try:
            return self.build(model)
        except Exception as error:  # a broken reference or importance file, an odd model
            message = f"version {model.version} cannot be explained: {type(error).__name__}: " \
                      f"{error}"
            self.source.failed_versions[model.version] = message
            raise ModelLoadError(message, model.version) from error

    def _install(self, model: LoadedModel) -> VersionExplainer:
        explainer = self._build(model)
        with self._lock:
            self.explainer = explainer
        self.metrics.set_model(model.name, model.version)
        logger.info("serving model", extra={"model": model.name, "version": model.version,
                                            "origin": model.origin})
        return explainer

    def _count_failure(self, version: str | None) -> None:
        """One more failed load of ``version`` in /metrics (alerts key on it)."""
        self.metrics.model_load_failures.labels(
            self.metrics.service, self.source.name, version or "unknown").inc()

    def start(self) -> None:
        """Load at start-up: registry, else cache, else stay not-ready (no crash loop)."""
        model, self.problem = self.source.load_at_startup()
        if model is not None:
            try:
                self._install(model)
            except ModelLoadError as error:
                self.problem = str(error)
        for version in self.source.failed_versions:  # e.g. the alias on a broken version
            self._count_failure(version)
        if self.explainer is None:
            logger.error("no model to serve: %s", self.problem)

    def reload(self, force: bool = False) -> dict[str, Any]:
        """Ask the registry; swap when the alias moved. Failures keep the current model."""
        current = self.explainer.model if self.explainer else None
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
        self.problem = None
        self.last_reload_error = None
        return {"reloaded": True, **self.describe()}

    def version(self, version: str | None) -> VersionExplainer | None:
        """The explainer of ``version`` (None: the current one, or None if none is loaded).

        Raises UnknownVersion (no such version), VersionUnusable (cannot be loaded) or
        RegistryUnavailable (cannot tell now).
        """
        current = self.explainer
        if version is None or (current is not None and current.version == version):
            return current
        with self._lock:
            if version in self._pinned:
                self._pinned.move_to_end(version)
                return self._pinned[version]
        with self._load_lock:  # one load at a time; a second caller then finds it cached
            with self._lock:
                if version in self._pinned:
                    return self._pinned[version]
            explainer = self._load_pinned(version)
            with self._lock:
                self._pinned[version] = explainer
                while len(self._pinned) > self.pinned_size:
                    self._pinned.popitem(last=False)
        return explainer

    def _load_pinned(self, version: str) -> VersionExplainer:
        try:
            return self._build(self.source.load_version(version))
        except RegistryUnavailable:
            if not version_exists(self.source, version):
                raise UnknownVersion(self.source.name, version) from None
            raise
        except ModelLoadError as error:
            raise VersionUnusable(f"version {version} cannot be explained: {error}") from error

    def describe(self) -> dict[str, Any]:
        explainer = self.explainer
        with self._lock:
            pinned = list(self._pinned)
        return {"model": explainer.describe() if explainer else None, "problem": self.problem,
                "last_reload_error": self.last_reload_error, "pinned_versions": pinned}

    def readiness(self) -> tuple[bool, Any]:
        return self.explainer is not None, self.describe()

    async def poll_forever(self, interval: float) -> None:
        """The reload loop: one registry question per interval, in a worker thread."""
        while True:
            await asyncio.sleep(interval)
            await asyncio.to_thread(self.reload)
