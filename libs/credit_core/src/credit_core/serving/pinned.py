"""Versions other than the current one, loaded on demand and kept in a small LRU.

A request may ask for a given version (explain: a pinned explanation, or an old decision
explained with the model that made it). Loading one takes seconds, so the last few are kept;
one load runs at a time and a second caller of the same version then finds it cached.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

from credit_core.model_source import LoadedModel, ModelLoadError, ModelSource, RegistryUnavailable

__all__ = ["PinnedVersions", "UnknownVersion", "VersionUnusable"]

ServedT = TypeVar("ServedT")


class UnknownVersion(LookupError):
    """The registry has no such version of the model."""

    def __init__(self, name: str, version: str) -> None:
        super().__init__(f"model {name} has no version {version}")
        self.version = version


class VersionUnusable(Exception):
    """A pinned version exists but cannot be loaded or served."""


class PinnedVersions(Generic[ServedT]):
    """At most ``size`` versions' objects, the least recently used dropped first."""

    def __init__(self, source: ModelSource, build: Callable[[LoadedModel], ServedT],
                 size: int) -> None:
        self.source = source
        self.build = build
        self.size = size
        self._kept: OrderedDict[str, ServedT] = OrderedDict()
        self._lock = threading.Lock()
        self._load_lock = threading.Lock()

    def get(self, version: str) -> ServedT:
        """The object of ``version``, loaded now unless kept (see ``_load`` for the errors)."""
        with self._lock:
            if version in self._kept:
                self._kept.move_to_end(version)
                return self._kept[version]
        with self._load_lock:  # one load at a time; a second caller then finds it cached
            with self._lock:
                if version in self._kept:
                    return self._kept[version]
            served = self._load(version)
            with self._lock:
                self._kept[version] = served
                while len(self._kept) > self.size:
                    self._kept.popitem(last=False)
        return served

    def _load(self, version: str) -> ServedT:
        """UnknownVersion, VersionUnusable or RegistryUnavailable when it cannot be had."""
        try:
            return self.build(self.source.load_version(version))
        except RegistryUnavailable:
            # A download failure may mean "no such version" or "registry down": ask which.
            if not self.source.has_version(version):
                raise UnknownVersion(self.source.name, version) from None
            raise
        except ModelLoadError as error:
            raise VersionUnusable(f"version {version} cannot be used: {error}") from error

    def versions(self) -> list[str]:
        """The versions kept, least recently used first."""
        with self._lock:
            return list(self._kept)
