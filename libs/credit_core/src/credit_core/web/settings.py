"""The settings base of every service: the shared variables plus the HTTP knobs, per prefix.

Names, prefixes and ports come from ``credit_core.topology``, written once for the platform.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from pydantic import Field, field_validator
from pydantic_settings import SettingsConfigDict

from credit_core.settings import CoreSettings
from credit_core.topology import Part, local_url

__all__ = ["ModelServiceSettings", "ServiceSettings", "service_config"]


def service_config(part: Part) -> SettingsConfigDict:
    """The settings source of a service: its prefix (SCORING_, ...), .env, empty means unset."""
    return SettingsConfigDict(env_prefix=part.env_prefix or "", env_file=".env", extra="ignore",
                              env_ignore_empty=True)


class ServiceSettings(CoreSettings):
    """Subclass with ``part: ClassVar[Part] = service("scoring")`` (its row of the topology),
    ``model_config = service_config(part)`` and ``port: int = part.port``.

    Shared variables (DATABASE_URL, MLFLOW_TRACKING_URI, MODEL_NAME, MODEL_ALIAS) keep their
    names through their aliases; the fields below take the service's prefix.
    """

    part: ClassVar[Part]
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "INFO"
    #: Seconds a verified API key is trusted before the database is asked again (revocation
    #: takes effect within this delay; argon2 on every request would cost ~50 ms).
    api_key_cache_seconds: float = Field(default=30.0, ge=0, le=3600)
    rate_limit_per_minute: int = Field(default=6000, ge=1)
    rate_limit_burst: int = Field(default=600, ge=1)
    max_body_bytes: int = Field(default=8 * 1024 * 1024, ge=1024)
    #: Bodies other than multipart uploads (JSON, forms) are never larger than this, even where
    #: max_body_bytes is raised for uploads: parsing JSON costs many times its size in memory.
    max_json_bytes: int = Field(default=8 * 1024 * 1024, ge=1024)
    #: The dashboard, as the browser may address it locally.
    cors_origins: list[str] = Field(default_factory=lambda: [local_url("ui"),
                                                             local_url("ui", "localhost")])
    database_retry_after_seconds: int = Field(default=5, ge=1, le=300)
    startup_database_wait_seconds: float = Field(default=30.0, ge=0)

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        value = value.upper()
        if value not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("log level must be DEBUG, INFO, WARNING or ERROR")
        return value


class ModelServiceSettings(ServiceSettings):
    """A service that serves the registered model: the reload loop and its local cache."""

    #: How often the registry is asked whether the alias moved (seconds; 0 disables polling).
    reload_interval_seconds: float = Field(default=30.0, ge=0)
    model_cache_dir: Path | None = None

    @property
    def resolved_model_cache_dir(self) -> Path:
        """Where downloaded versions are kept: ``var/model-cache/<service>`` unless set."""
        return self.model_cache_dir or self.resolved_var_dir / "model-cache" / self.part.name
