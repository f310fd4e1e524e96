"""A registry in memory for the serving kit's tests: versions, an alias, and failures on demand.

It stands in for ``ModelSource`` with the same answers (load at start-up, poll, load a given
version, tell whether a version exists), without MLflow.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from credit_core.model_source import LoadedModel, ModelLoadError, RegistryUnavailable


@dataclass(frozen=True)
class Served:
    """What a service would build from a version (a scorer, an explainer, a monitor)."""

    model: LoadedModel


def loaded(version: str, origin: str = "registry") -> LoadedModel:
    """A loaded version whose bundle only has a threshold (all the holder reads of it)."""
    bundle: Any = SimpleNamespace(threshold=0.4)
    return LoadedModel("credit-default", version, bundle, Path("/nowhere"), origin)


class FakeSource:
    """The registry's side of ``ModelSource``: ``alias`` names the current version."""

    name = "credit-default"

    def __init__(self, versions: tuple[str, ...] = ("1",), alias: str | None = "1") -> None:
        self.versions = set(versions)
        self.alias = alias
        self.down = False
        self.broken: set[str] = set()  # versions whose files cannot be loaded
        self.failed_versions: dict[str, str] = {}
        self.alias_version: str | None = None
        self.loads: list[str] = []

    def _resolve(self) -> str:
        if self.down or self.alias is None:
            raise RegistryUnavailable("cannot resolve models:/credit-default@champion")
        self.alias_version = self.alias
        return self.alias

    def load_version(self, version: str, tags: dict[str, str] | None = None) -> LoadedModel:
        if self.down or version not in self.versions:
            raise RegistryUnavailable(f"cannot download version {version}")
        self.loads.append(version)
        if version in self.broken:
            self.failed_versions[version] = f"version {version} cannot be loaded"
            raise ModelLoadError(f"version {version} cannot be loaded", version)
        self.failed_versions.pop(version, None)
        return loaded(version)

    def load_at_startup(self) -> tuple[LoadedModel | None, str | None]:
        try:
            return self.load_version(self._resolve()), None
        except (RegistryUnavailable, ModelLoadError) as error:
            return None, f"{error}; no version cached locally"

    def poll(self, current: LoadedModel | None, force: bool = False) -> LoadedModel | None:
        version = self._resolve()
        if not force and current is not None and current.version == version:
            return None
        if not force and version in self.failed_versions:
            return None
        return self.load_version(version)

    def has_version(self, version: str) -> bool:
        if self.down:
            raise RegistryUnavailable(f"cannot ask for version {version}")
        return version in self.versions
