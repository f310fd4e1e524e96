"""Scoring settings: the shared variables plus SCORING_* (see .env.example)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from credit_core.web.settings import ServiceSettings

__all__ = ["ScoringSettings", "get_settings"]


class ScoringSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="SCORING_", env_file=".env", extra="ignore",
                                      env_ignore_empty=True)

    port: int = 8001
    #: How often the registry is asked whether the alias moved (seconds; 0 disables polling).
    reload_interval_seconds: float = Field(default=30.0, ge=0)
    max_batch: int = Field(default=10_000, ge=1, le=100_000)
    model_cache_dir: Path | None = None

    @property
    def resolved_model_cache_dir(self) -> Path:
        return self.model_cache_dir or self.resolved_var_dir / "model-cache" / "scoring"


@lru_cache
def get_settings() -> ScoringSettings:
    return ScoringSettings()
