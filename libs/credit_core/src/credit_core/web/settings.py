"""The settings base of every service: the shared variables plus the HTTP knobs, per prefix."""

from __future__ import annotations

from pydantic import Field, field_validator

from credit_core.settings import CoreSettings

__all__ = ["ServiceSettings"]


class ServiceSettings(CoreSettings):
    """Subclass with ``model_config = SettingsConfigDict(env_prefix="SCORING_", ...)``.

    Shared variables (DATABASE_URL, MLFLOW_TRACKING_URI, MODEL_NAME, MODEL_ALIAS) keep their
    names through their aliases; the fields below take the service's prefix.
    """

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
    cors_origins: list[str] = Field(default_factory=lambda: ["http://127.0.0.1:7860",
                                                             "http://localhost:7860"])
    database_retry_after_seconds: int = Field(default=5, ge=1, le=300)
    startup_database_wait_seconds: float = Field(default=30.0, ge=0)

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        value = value.upper()
        if value not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("log level must be DEBUG, INFO, WARNING or ERROR")
        return value
