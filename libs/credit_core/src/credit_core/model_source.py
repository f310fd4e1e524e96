"""Where the services get their model: the MLflow registry, with a local cache to fall back on.

``models:/<name>@<alias>`` is resolved to a version, downloaded once into the cache
(``<cache>/<name>/<version>``, written atomically) and loaded as a ``ModelBundle``. If the
registry is unreachable at start-up, the last version cached is served and says so; with
nothing cached the caller stays not-ready. A version that fails to load or is incompatible is
remembered and not retried until the alias moves again (or an admin forces a reload).
Needs the ``registry`` extra (MLflow, LightGBM); imported lazily.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from credit_core.bundle import ModelBundle
from credit_core.mlflow_credentials import TrackingCredentialsError, load_tracking_credentials

__all__ = ["LoadedModel", "ModelLoadError", "ModelSource", "RegistryUnavailable"]

logger = logging.getLogger("credit.model")


class RegistryUnavailable(Exception):
    """The MLflow registry could not be reached or has no such alias."""


class ModelLoadError(Exception):
    """A model version was found but cannot be served (broken files, incompatible features).

    ``version`` says which one, so that the failure is counted and reported against it.
    """

    def __init__(self, message: str, version: str | None = None) -> None:
        super().__init__(message)
        self.version = version


@dataclass
class LoadedModel:
    """A model version ready to serve, with where it came from."""

    name: str
    version: str
    bundle: ModelBundle
    directory: Path
    origin: str  # "registry" or "cache"
    loaded_at: float = field(default_factory=time.time)
    tags: dict[str, str] = field(default_factory=dict)

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "version": self.version, "origin": self.origin,
                "threshold": self.bundle.threshold}


def _quiet_mlflow_client() -> None:
    # A service must not hang for minutes on retries when the registry is down: fail fast and
    # fall back to the cache, the next poll will try again.
    os.environ.setdefault("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "1")
    os.environ.setdefault("MLFLOW_HTTP_REQUEST_TIMEOUT", "10")
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    try:
        load_tracking_credentials()
    except TrackingCredentialsError as error:  # answered as "registry unavailable", then cache
        raise RegistryUnavailable(str(error)) from error


class ModelSource:
    """Resolves, downloads, caches and loads the registered model for one service."""

    def __init__(
        self,
        tracking_uri: str,
        name: str,
        alias: str,
        cache_dir: Path,
        validate: Callable[[ModelBundle], None] | None = None,
    ) -> None:
        self.tracking_uri = tracking_uri
        self.name = name
        self.alias = alias
        self.cache_dir = cache_dir / name
        self.validate = validate
        self.failed_versions: dict[str, str] = {}
        #: The version the alias pointed to at the last successful resolve (None before any):
        #: lets a holder tell "the alias is back on what I serve" from "a failed version".
        self.alias_version: str | None = None

    def _client(self) -> Any:
        _quiet_mlflow_client()
        from mlflow import MlflowClient

        return MlflowClient(tracking_uri=self.tracking_uri, registry_uri=self.tracking_uri)

    def resolve(self) -> tuple[str, dict[str, str]]:
        """The version the alias points to, and its tags."""
        try:
            version = self._client().get_model_version_by_alias(self.name, self.alias)
        except Exception as error:  # any client error: unreachable, no such model or alias
            raise RegistryUnavailable(f"cannot resolve models:/{self.name}@{self.alias}: "
                                      f"{type(error).__name__}: {error}") from error
        self.alias_version = str(version.version)
        return self.alias_version, dict(version.tags or {})

    def has_version(self, version: str) -> bool:
        """True if the registry knows ``version``; RegistryUnavailable if it cannot be asked.

        Tells "no such version" (a 404 to a pinned request) from "the registry is down".
        """
        client = self._client()
        from mlflow.exceptions import MlflowException

        try:
            client.get_model_version(self.name, version)
        except MlflowException as error:
            if getattr(error, "error_code", "") == "RESOURCE_DOES_NOT_EXIST":
                return False
            raise RegistryUnavailable(f"cannot ask for version {version}: {error}") from error
        except Exception as error:  # unreachable registry and the like
            raise RegistryUnavailable(f"cannot ask for version {version}: {error}") from error
        return True

    def _download(self, version: str) -> Path:
        target = self.cache_dir / version
        if (target / ".complete").is_file():
            return target
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        _quiet_mlflow_client()
        import mlflow

        staging = Path(tempfile.mkdtemp(prefix=f".{version}-", dir=self.cache_dir))
        try:
            # Both URIs explicitly: otherwise the model's own artifacts are fetched through
            # MLflow's default store (./mlflow.db) when MLFLOW_TRACKING_URI is unset.
            mlflow.set_tracking_uri(self.tracking_uri)
            mlflow.set_registry_uri(self.tracking_uri)
            mlflow.artifacts.download_artifacts(
                artifact_uri=f"models:/{self.name}/{version}", dst_path=str(staging),
                tracking_uri=self.tracking_uri,
            )
            (staging / ".complete").touch()
            if target.exists():
                shutil.rmtree(target)
            staging.rename(target)  # atomic: a half download is never taken for a model
        except Exception as error:
            shutil.rmtree(staging, ignore_errors=True)
            raise RegistryUnavailable(f"cannot download version {version}: {error}") from error
        return target

    def _load(self, version: str, directory: Path, origin: str,
              tags: dict[str, str]) -> LoadedModel:
        try:
            bundle = ModelBundle.load(directory)
            probe = bundle.predict_proba(np.full((1, len(bundle.features)), np.nan))
            if not np.all(np.isfinite(probe)):
                raise ModelLoadError(f"version {version} gives no finite probability for a "
                                     "probe row", version)
            if self.validate:
                self.validate(bundle)
        except ModelLoadError:
            raise
        except Exception as error:
            raise ModelLoadError(f"version {version} cannot be loaded: "
                                 f"{type(error).__name__}: {error}", version) from error
        return LoadedModel(self.name, version, bundle, directory, origin, tags=tags)

    def _remember(self, model: LoadedModel) -> None:
        pointer = {"version": model.version, "tags": model.tags, "alias": self.alias}
        temporary = self.cache_dir / ".current.json.tmp"
        temporary.write_text(json.dumps(pointer))
        temporary.replace(self.cache_dir / "current.json")

    def load_cached(self) -> LoadedModel | None:
        """The last version this service loaded from the registry, if any is cached."""
        pointer = self.cache_dir / "current.json"
        if not pointer.is_file():
            return None
        info = json.loads(pointer.read_text())
        directory = self.cache_dir / info["version"]
        if not (directory / ".complete").is_file():
            return None
        return self._load(info["version"], directory, "cache", info.get("tags", {}))

    def load_current(self) -> LoadedModel:
        """The version the alias points to now (RegistryUnavailable, ModelLoadError)."""
        version, tags = self.resolve()
        return self.load_version(version, tags)

    def load_version(self, version: str, tags: dict[str, str] | None = None) -> LoadedModel:
        """A given version (e.g. to explain a past decision with the model that made it)."""
        try:
            model = self._load(version, self._download(version), "registry", tags or {})
        except ModelLoadError as error:
            self.failed_versions[version] = str(error)
            raise
        self.failed_versions.pop(version, None)
        return model

    def load_at_startup(self) -> tuple[LoadedModel | None, str | None]:
        """(model, problem): the registry's version, else the cached one, else (None, why)."""
        try:
            model = self.load_current()
            self._remember(model)
            return model, None
        except (RegistryUnavailable, ModelLoadError) as error:
            logger.warning("registry model unavailable at start-up: %s", error)
            problem = str(error)
        try:
            cached = self.load_cached()
        except ModelLoadError as error:
            return None, f"{problem}; the cached version is unusable too: {error}"
        if cached is None:
            return None, f"{problem}; no version cached locally"
        return cached, f"serving cached version {cached.version}: {problem}"

    def poll(self, current: LoadedModel | None, force: bool = False) -> LoadedModel | None:
        """A newly loaded model when the alias moved (or ``force``), else None.

        Raises RegistryUnavailable or ModelLoadError; a version that failed before is not
        retried unless forced.
        """
        version, tags = self.resolve()
        unchanged = (current is not None and current.version == version
                     and current.origin == "registry")
        if not force and unchanged:
            return None
        if not force and version in self.failed_versions:
            return None
        model = self.load_version(version, tags)
        self._remember(model)
        return model
