"""GET /v1/population/...: the applicant among the other clients (for the dashboard)."""

from __future__ import annotations

from typing import Annotated, Any

import numpy as np
from fastapi import APIRouter, HTTPException, Query, Request

from credit_core.db.vectors import read_vector
from credit_core.schema.features import FEATURE_NAMES, SIMILARITY_TRAITS, feature
from credit_core.web.errors import error_responses
from credit_core.web.json_keys import StrictJSONRoute
from scoring_service.deps import DashboardReaderDep, EngineDep, ScorerDep
from scoring_service.population import SIMILAR_CLIENTS, SIMILARITY_FEATURES, Population

router = APIRouter(route_class=StrictJSONRoute, prefix="/v1/population", tags=["population"],
                   responses=error_responses(404))
_FEATURE_PATTERN = r"^[A-Z0-9_]{1,63}$"
FeatureName = Annotated[str, Query(pattern=_FEATURE_PATTERN, description="A feature name")]


def _check_feature(name: str) -> None:
    if name not in FEATURE_NAMES:
        raise HTTPException(422, detail=[{"loc": ["query", "feature"], "type": "value_error",
                                          "msg": f"unknown feature {name!r}"}])


def _population(request: Request) -> Population:
    return request.app.state.population  # type: ignore[no-any-return]


def _applicant(engine: Any, client_id: int) -> dict[str, float]:
    vector = read_vector(engine, client_id)
    if vector is None:
        raise HTTPException(404, detail=f"unknown client id {client_id}")
    return dict(zip(FEATURE_NAMES, vector.tolist(), strict=True))


def _trait(name: str, description: str) -> Any:
    """A new applicant's similarity trait as a query parameter named after the feature."""
    low, high = SIMILARITY_TRAITS[name]
    return Query(alias=name, ge=low, le=high, allow_inf_nan=False, description=description)


#: A new applicant's similarity traits (no client id yet): the query names are the features.
AgeYears = Annotated[float | None, _trait("AGE_YEARS", "A new applicant's age in years")]
Income = Annotated[float | None, _trait("AMT_INCOME_TOTAL", "A new applicant's annual income")]
Credit = Annotated[float | None, _trait("AMT_CREDIT", "A new applicant's credit amount")]
ExtSources = Annotated[float | None, _trait("EXT_SOURCES_MEAN",
                                            "A new applicant's mean external score")]


@router.get("/distribution", summary="A feature among clients who repaid and who defaulted")
def distribution(request: Request, engine: EngineDep, caller: DashboardReaderDep, feature_name: Annotated[
        str, Query(alias="feature", pattern=_FEATURE_PATTERN)],
        bins: Annotated[int, Query(ge=2, le=100)] = 30,
        client_id: Annotated[int | None, Query(ge=1, le=2**53)] = None,
        similar: bool = False, age_years: AgeYears = None, income: Income = None,
        credit: Credit = None, ext_sources_mean: ExtSources = None) -> dict[str, Any]:
    """Histograms of repaid and defaulted training clients; the applicant's value marked.

    ``similar=true`` restricts them to the clients closest to the applicant: a known client
    (``client_id``) or a new applicant described by its similarity traits (AGE_YEARS,
    AMT_INCOME_TOTAL, AMT_CREDIT, EXT_SOURCES_MEAN; absent ones count as average)."""
    _check_feature(feature_name)
    traits = {name: value for name, value in zip(
        SIMILARITY_FEATURES, (age_years, income, credit, ext_sources_mean), strict=True)
        if value is not None}
    if client_id is not None and traits:
        raise HTTPException(422, detail=[{"loc": ["query", "client_id"], "type": "value_error",
                                          "msg": "give the client_id or a new applicant's "
                                                 "traits, not both"}])
    if similar and client_id is None and not traits:
        raise HTTPException(422, detail=[{"loc": ["query", "client_id"], "type": "missing",
                                          "msg": "similar=true needs the applicant's client_id "
                                                 "or traits (" + ", ".join(SIMILARITY_FEATURES)
                                                 + ")"}])
    population = _population(request)
    applicant = _applicant(engine, client_id) if client_id is not None else (traits or None)
    mask = population.similar_mask(engine, applicant) if similar and applicant else None
    body = population.distribution(engine, feature_name, bins, mask)
    value = applicant.get(feature_name) if applicant else None
    body.update({
        "feature": feature_name, "label": feature(feature_name).label,
        "applicant_value": None if value is None or not np.isfinite(value) else value,
        "population": "similar" if mask is not None else "all",
        "description": (f"the {SIMILAR_CLIENTS} training clients closest to this applicant on "
                        + ", ".join(feature(n).label.lower() for n in SIMILARITY_FEATURES))
        if mask is not None else "all training clients with a known outcome",
    })
    return body


@router.get("/scatter", summary="Two features for a random, jittered sample of clients")
def scatter(request: Request, engine: EngineDep, scorer: ScorerDep, caller: DashboardReaderDep,
            x: FeatureName, y: FeatureName,
            n: Annotated[int, Query(ge=10, le=5000)] = 1500) -> dict[str, Any]:
    """A new random sample per call, jittered and without identifiers: x, y, outcome, score."""
    _check_feature(x)
    _check_feature(y)
    points = _population(request).scatter(engine, scorer, x, y, n)
    return {"x": x, "y": y, "x_label": feature(x).label, "y_label": feature(y).label,
            "points": points}


@router.get("/percentile", summary="Where a probability stands among all clients")
def percentile(request: Request, engine: EngineDep, scorer: ScorerDep, caller: DashboardReaderDep,
               probability: Annotated[float, Query(ge=0, le=1, allow_inf_nan=False)]) -> dict[str, Any]:
    """The share of clients (0-100) with a lower probability of default."""
    scores, description = _population(request).reference_scores(engine, scorer)
    if scores.size == 0:
        raise HTTPException(503, detail="no population scores available",
                            headers={"Retry-After": "30"})
    rank = np.searchsorted(scores, probability, side="left")
    return {"percentile": round(100.0 * rank / scores.size, 2), "population": description,
            "clients": int(scores.size)}
