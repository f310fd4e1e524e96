"""Scoring settings: the shared variables plus SCORING_* (see .env.example)."""

from __future__ import annotations

from functools import lru_cache
from typing import ClassVar

from pydantic import Field

from credit_core.topology import Part, service
from credit_core.web.settings import ModelServiceSettings, service_config

__all__ = ["ScoringSettings", "get_settings"]


class ScoringSettings(ModelServiceSettings):
    part: ClassVar[Part] = service("scoring")
    model_config = service_config(part)
    port: int = part.port

    max_batch: int = Field(default=10_000, ge=1, le=100_000)


@lru_cache
def get_settings() -> ScoringSettings:
    return ScoringSettings()
