"""The model a running service holds, swapped atomically when the registry alias moves.

The holder is generic over the service's own object (scoring's scorer, explain's explainer,
monitoring's monitor), built by a function from a ``LoadedModel``. Requests take a reference to
the current object once and use it to the end, so a reload never changes the model under a
request in flight. A failed load keeps the current object and is counted in /metrics.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar

from credit_core.bundle import ModelBundle
from credit_core.model_source import LoadedModel, ModelLoadError, ModelSource, RegistryUnavailable
from credit_core.serving.pinned import PinnedVersions
from credit_core.web.metrics import ServiceMetrics

__all__ = ["ModelHolder", "Served", "ServedVersion", "describe_model"]


class Served(Protocol):
    """What a service builds from a loaded version: anything that keeps that version."""

    @property
    def model(self) -> LoadedModel: ...


class ServedVersion:
    """A base for a service's object built from one version: its bundle and version at hand.

    The subclass keeps the ``LoadedModel`` as ``model`` (a dataclass field or an attribute set
    in ``__init__``); explain's explainer and monitoring's monitor share these two properties.
    """

    model: LoadedModel

    @property
    def bundle(self) -> ModelBundle:
        """The version's model bundle (booster, calibration, threshold, features)."""
        return self.model.bundle

    @property
    def version(self) -> str:
        """The registry version this object was built from."""
        return self.model.version


ServedT = TypeVar("ServedT", bound=Served)


def describe_model(served: Served | None) -> dict[str, Any]:
    """The default description of the served object: the version it keeps."""
    return {"model": served.model.describe() if served is not None else None}


class ModelHolder(Generic[ServedT]):
    """Holds the current object, its load history, optional pinned versions and the reload loop.

    ``build`` turns a loaded version into the service's object; any error it raises is a
    failed load of that version. ``describe`` says what the readiness check and the reload
    answer tell of the object (None when nothing is served). ``pinned`` > 0 keeps that many
    other versions loaded on demand (see ``version``). ``unavailable`` names what a request
    waits for while nothing is served (the 503's message).
    """

    def __init__(
        self,
        source: ModelSource,
        metrics: ServiceMetrics,
        build: Callable[[LoadedModel], ServedT],
        *,
        describe: Callable[[ServedT | None], dict[str, Any]] = describe_model,
        pinned: int = 0,
        unavailable: str = "the model",
    ) -> None:
        self.source = source
        self.metrics = metrics
        self.build = build
        self.describe_served = describe
        self.unavailable = unavailable
        self.current: ServedT | None = None
        self.problem: str | None = None
        self.last_reload_error: str | None = None
        self.pinned = PinnedVersions(source, self._build, pinned) if pinned > 0 else None
        self._lock = threading.Lock()
        self._logger = logging.getLogger(f"credit.{metrics.service}.model")

    def _build(self, model: LoadedModel) -> ServedT:
        """The service's object of ``model``; any failure to build it is a ModelLoadError."""
        try:
            return self.build(model)
        except ModelLoadError as error:
            error.version = error.version or model.version
            self.source.failed_versions[model.version] = str(error)
            raise
        except Exception as error:  # a broken artifact of the version, an odd model
            message = (f"version {model.version} cannot be served by {self.metrics.service}: "
                       f"{type(error).__name__}: {error}")
            self.source.failed_versions[model.version] = message
            raise ModelLoadError(message, model.version) from error

    def _install(self, model: LoadedModel) -> None:
        served = self._build(model)
        with self._lock:
            self.current = served
        self.metrics.set_model(model.name, model.version)
        self._logger.info("serving model", extra={"model": model.name, "version": model.version,
                                                  "origin": model.origin})

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
        if self.current is None:
            self._logger.error("no model to serve: %s", self.problem)

    def reload(self, force: bool = False) -> dict[str, Any]:
        """Ask the registry; swap when the alias moved. Failures keep the current model."""
        current = self.current.model if self.current is not None else None
        try:
            model = self.source.poll(current, force=force)
            if model is not None:
                self._install(model)
        except (RegistryUnavailable, ModelLoadError) as error:
            self.last_reload_error = str(error)
            if isinstance(error, ModelLoadError):
                self._count_failure(error.version)
            self._logger.error("model reload failed; keeping the current version",
                               extra={"error": str(error)})
            return {"reloaded": False, "error": str(error), **self.describe()}
        if model is None:
            if current is not None and self.source.alias_version == current.version:
                self.last_reload_error = None  # the alias is back on what we serve: resolved
            return {"reloaded": False, **self.describe()}
        self.problem = self.last_reload_error = None
        return {"reloaded": True, **self.describe()}

    def version(self, version: str | None) -> ServedT | None:
        """The object of ``version`` (None: the current one, or None if none is loaded).

        Another version than the current one needs the ``pinned`` option; raises
        UnknownVersion (no such version), VersionUnusable (cannot be loaded) or
        RegistryUnavailable (cannot tell now).
        """
        current = self.current
        if version is None or (current is not None and current.model.version == version):
            return current
        if self.pinned is None:
            raise LookupError(f"this service serves only the current version, not {version}")
        return self.pinned.get(version)

    def describe(self) -> dict[str, Any]:
        """The served object, the last problems and the pinned versions (if kept)."""
        description = {**self.describe_served(self.current), "problem": self.problem,
                       "last_reload_error": self.last_reload_error}
        if self.pinned is not None:
            description["pinned_versions"] = self.pinned.versions()
        return description

    def readiness(self) -> tuple[bool, Any]:
        """The /readyz check: ready once an object is served."""
        return self.current is not None, self.describe()

    async def poll_forever(self, interval: float) -> None:
        """The reload loop: one registry question per interval, in a worker thread."""
        while True:
            await asyncio.sleep(interval)
            await asyncio.to_thread(self.reload)
