"""The model holder: load at start, swap when the alias moves, keep the current model when a
load fails (and count it), and the pinned versions' cache."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from credit_core.model_source import LoadedModel, RegistryUnavailable
from credit_core.serving.holder import ModelHolder, ServedVersion
from credit_core.serving.pinned import UnknownVersion, VersionUnusable
from credit_core.web.metrics import ServiceMetrics

from .fake_registry import FakeSource, Served, loaded


def _holder(source: FakeSource, build: Any = Served, **options: Any) -> ModelHolder[Served]:
    return ModelHolder(source, ServiceMetrics("scoring"), build, **options)  # type: ignore[arg-type]


def _failures(holder: ModelHolder[Any], version: str) -> float:
    value = holder.metrics.registry.get_sample_value(
        "model_load_failures_total",
        {"service": "scoring", "model": "credit-default", "version": version})
    return value or 0.0


def _served_version(holder: ModelHolder[Any]) -> str | None:
    for metric in holder.metrics.registry.collect():
        if metric.name == "model_version_info":
            return next((s.labels["version"] for s in metric.samples if s.value == 1), None)
    return None


def test_start_loads_the_alias_and_is_ready() -> None:
    holder = _holder(FakeSource())
    assert holder.readiness()[0] is False
    holder.start()
    ready, detail = holder.readiness()
    assert ready and holder.current is not None and holder.current.model.version == "1"
    assert detail == {"model": {"name": "credit-default", "version": "1", "origin": "registry",
                                "threshold": 0.4}, "problem": None, "last_reload_error": None}
    assert _served_version(holder) == "1"


def test_without_a_model_the_holder_stays_not_ready() -> None:
    holder = _holder(FakeSource(alias=None))
    holder.start()
    ready, detail = holder.readiness()
    assert not ready and holder.current is None
    assert "no version cached" in detail["problem"]


def test_a_version_the_service_cannot_build_is_a_counted_failure() -> None:
    def build(model: LoadedModel) -> Served:
        raise ValueError("the reference lacks EXT_SOURCE_2")

    holder = _holder(FakeSource(), build)
    holder.start()
    assert holder.current is None
    assert "version 1 cannot be served by scoring: ValueError" in str(holder.problem)
    assert _failures(holder, "1") == 1
    assert "1" in holder.source.failed_versions


def test_reload_swaps_when_the_alias_moves() -> None:
    source = FakeSource(versions=("1", "2"))
    holder = _holder(source)
    holder.start()
    in_flight = holder.current  # a request holds its reference to the end
    assert holder.reload() == {"reloaded": False, **holder.describe()}
    source.alias = "2"
    answer = holder.reload()
    assert answer["reloaded"] and answer["model"]["version"] == "2"
    assert holder.current is not None and holder.current.model.version == "2"
    assert in_flight is not None and in_flight.model.version == "1"
    assert _served_version(holder) == "2"


def test_a_failed_reload_keeps_the_current_model_and_says_why() -> None:
    source = FakeSource(versions=("1", "2"))
    holder = _holder(source)
    holder.start()
    source.down = True
    answer = holder.reload()
    assert not answer["reloaded"] and "cannot resolve" in answer["error"]
    assert holder.current is not None and holder.current.model.version == "1"

    source.down, source.alias = False, "2"
    source.broken.add("2")
    answer = holder.reload()
    assert not answer["reloaded"] and "version 2" in answer["last_reload_error"]
    assert holder.current.model.version == "1" and _failures(holder, "2") == 1
    holder.reload()  # a failed version is not retried (nor counted) until forced
    assert _failures(holder, "2") == 1 and source.loads.count("2") == 1
    holder.reload(force=True)
    assert _failures(holder, "2") == 2

    source.alias = "1"  # the alias is back on what is served: the error is resolved
    assert holder.reload()["last_reload_error"] is None


def test_describe_is_the_services_own() -> None:
    def describe(served: Served | None) -> dict[str, Any]:
        return {"model": served.model.version if served else None, "reference_rows": 3}

    holder = _holder(FakeSource(), describe=describe)
    holder.start()
    assert holder.describe() == {"model": "1", "reference_rows": 3, "problem": None,
                                 "last_reload_error": None}


def test_only_the_current_version_without_the_pinned_option() -> None:
    holder = _holder(FakeSource(versions=("1", "2")))
    holder.start()
    assert holder.version(None) is holder.current and holder.version("1") is holder.current
    with pytest.raises(LookupError):
        holder.version("2")
    assert "pinned_versions" not in holder.describe()


def test_pinned_versions_are_loaded_once_and_the_oldest_dropped() -> None:
    source = FakeSource(versions=("1", "2", "3", "4"), alias="4")
    holder = _holder(source, pinned=2)
    holder.start()
    first = holder.version("1")
    assert first is not None and first.model.version == "1"
    assert holder.version("1") is first and source.loads.count("1") == 1
    holder.version("2")
    holder.version("1")  # used again: "2" is now the least recently used
    holder.version("3")
    assert holder.describe()["pinned_versions"] == ["1", "3"]
    assert holder.version("4") is holder.current  # the current one is never pinned


def test_pinned_versions_that_cannot_be_had_say_why() -> None:
    source = FakeSource(versions=("1", "2"), alias="2")
    holder = _holder(source, pinned=3)
    holder.start()
    with pytest.raises(UnknownVersion, match="has no version 9"):
        holder.version("9")
    source.broken.add("1")
    with pytest.raises(VersionUnusable, match="version 1"):
        holder.version("1")
    source.down = True
    with pytest.raises(RegistryUnavailable):
        holder.version("1")
    assert holder.describe()["pinned_versions"] == []


def test_a_served_version_tells_its_bundle_and_version() -> None:
    class Explainer(ServedVersion):  # as explain's: the model set in __init__
        def __init__(self, model: LoadedModel) -> None:
            self.model = model

    model = loaded("7")
    served = Explainer(model)
    assert served.version == "7"
    assert served.bundle is model.bundle

    @dataclass(frozen=True)
    class Monitor(ServedVersion):  # as monitoring's: the model a dataclass field
        model: LoadedModel

    assert Monitor(model).version == "7"
    assert Monitor(model).bundle is model.bundle
