"""Finding applicants and the population around them: search, feature choice, distributions,
scatter, and the monitoring status line.

The features offered for comparison are the model's most important numeric ones (explain's
``/v1/importance``), cached per process for a while; when explanations are down, the model's
own feature list from scoring stands in, in a fixed order of well-known strong features.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from credit_core.schema.features import FEATURE_NAMES, SIMILARITY_TRAITS, feature
from ui_service.api.flows import Flows
from ui_service.api.peers import Invalid, NotFound, ServiceDown

__all__ = ["FeatureChoices", "distributions", "monitoring_status", "scatter", "search"]

_FALLBACK_ORDER = ("EXT_SOURCES_MEAN", "EXT_SOURCE_3", "EXT_SOURCE_2", "EXT_SOURCE_1",
                   "CREDIT_TERM", "PAYMENT_RATE", "AGE_YEARS", "DAYS_EMPLOYED",
                   "AMT_ANNUITY", "AMT_CREDIT", "AMT_GOODS_PRICE", "AMT_INCOME_TOTAL")
_ERRORS = (ServiceDown, NotFound, Invalid)


def _numeric(name: str) -> bool:
    return name in FEATURE_NAMES and not feature(name).categorical


class FeatureChoices:
    """The top numeric features, most important first: [(name, english label)]."""

    def __init__(self, flows: Flows, size: int = 8, ttl_seconds: float = 600.0) -> None:
        self.flows, self.size, self.ttl = flows, size, ttl_seconds
        self._cached: list[tuple[str, str]] = []
        self._when = 0.0
        self._lock = threading.Lock()

    def get(self) -> list[tuple[str, str]]:
        with self._lock:
            if self._cached and time.monotonic() - self._when < self.ttl:
                return self._cached
            found = self._fetch()
            if found:
                self._cached, self._when = found, time.monotonic()
            return found or self._cached or self._fallback([])

    def _fetch(self) -> list[tuple[str, str]]:
        try:
            ranked = self.flows.services.importance().get("features", [])
        except _ERRORS:
            try:
                model = self.flows.services.model().get("features", [])
            except _ERRORS:
                return []
            return self._fallback([f["name"] for f in model])
        names = [(f["feature"], f.get("label", f["feature"])) for f in ranked
                 if _numeric(f["feature"]) and not f.get("protected")]
        return names[: self.size]

    def _fallback(self, model_features: list[str]) -> list[tuple[str, str]]:
        known = set(model_features) or set(_FALLBACK_ORDER)
        return [(n, feature(n).label) for n in _FALLBACK_ORDER if n in known][: self.size]


def search(flows: Flows, split: str, query: str, limit: int) -> dict[str, Any]:
    """A page of applicants whose id starts with the digits typed; problems named."""
    digits = "".join(ch for ch in str(query or "") if ch.isdigit())
    try:
        answer = flows.services.clients(split=split, query=digits, limit=limit)
    except _ERRORS as error:
        return {"clients": [], "total": 0, "query": digits, "problem": _problem(error)}
    return {**answer, "query": digits, "problem": None}


def _problem(error: Exception) -> str:
    return "key" if isinstance(error, ServiceDown) and error.reason != "unavailable" else "down"


def distributions(flows: Flows, context: dict[str, Any], name: str) -> dict[str, Any]:
    """The feature's distribution among all clients and among clients like the applicant."""
    client_id = context.get("client_id")
    traits = None if client_id is not None else _traits(context)
    every = flows.pool.submit(flows.services.distribution, name, 30, client_id, False)
    similar = (flows.pool.submit(flows.services.distribution, name, 30, client_id, True, traits)
               if client_id is not None or traits else None)
    out: dict[str, Any] = {"feature": name, "problem": None}
    try:
        out["all"] = every.result()
        out["similar"] = similar.result() if similar is not None else None
    except _ERRORS as error:
        out.update(all=None, similar=None, problem=_problem(error))
    for key in ("all", "similar"):
        if out.get(key) and out[key].get("applicant_value") is None:
            out[key]["applicant_value"] = (context.get("values") or {}).get(name)
    return out


def _traits(context: dict[str, Any]) -> dict[str, float] | None:
    """A new applicant's similarity traits, from the feature values of its explanation."""
    values = context.get("values") or {}
    traits = {}
    for name, (low, high) in SIMILARITY_TRAITS.items():
        value = values.get(name)
        if isinstance(value, int | float) and low <= value <= high:
            traits[name] = float(value)
    return traits or None


def scatter(flows: Flows, x: str, y: str, points: int = 1500) -> dict[str, Any]:
    """Clients' values of two features with their outcome and score."""
    try:
        return {**flows.services.scatter(x, y, points), "problem": None}
    except _ERRORS as error:
        return {"x": x, "y": y, "points": [], "problem": _problem(error)}


def monitoring_status(flows: Flows) -> dict[str, Any]:
    """The latest drift run as {when, drifted, total, alert}, or {problem} / {none}."""
    try:
        run = flows.services.drift_latest()
    except NotFound:
        return {"none": True}
    except _ERRORS:
        return {"problem": "down"}
    return _drift_summary(run)


def _drift_summary(run: dict[str, Any]) -> dict[str, Any]:
    """The latest run (monitoring's run view) as {when, drifted, total, alert}."""
    drifted = run.get("drifted_columns")
    total = run.get("number_of_columns")
    if isinstance(drifted, list):
        drifted = len(drifted)
    when = run.get("created_at") or "?"
    return {"when": str(when), "drifted": "?" if drifted is None else drifted,
            "total": "?" if total is None else total, "alert": bool(run.get("dataset_drift"))}
