"""Scoring settings: the shared variables plus SCORING_* (see .env.example)."""

from __future__ import annotations

from functools import lru_cache
from typing import ClassVar, Literal

from pydantic import Field

from credit_core.topology import Part, service
from credit_core.web.settings import ModelServiceSettings, service_config

__all__ = ["ScoringSettings", "get_settings"]


class ScoringSettings(ModelServiceSettings):
    part: ClassVar[Part] = service("scoring")
    model_config = service_config(part)
    port: int = part.port

    max_batch: int = Field(default=10_000, ge=1, le=100_000)
    #: What the registered model is (SCORING_MODEL_KIND): "auto" takes the kind of the first
    #: version served (Home Credit features, else generic: /invocations only); "home_credit"
    #: or "generic" refuses versions of the other kind from the start.
    model_kind: Literal["auto", "home_credit", "generic"] = "auto"


@lru_cache
def get_settings() -> ScoringSettings:
    return ScoringSettings()
