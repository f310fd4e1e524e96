"""Settings shared by the pipeline and every service, read from the environment (and .env).

Nothing is read when this module is imported: call ``get_core_settings()`` (cached) or build a
service's own subclass. The embedded default needs no server: with ``DATABASE_URL`` and
``MLFLOW_TRACKING_URI`` unset, the database is SQLite and MLflow a local store, both under
``CREDIT_VAR_DIR`` (``var/`` in the working directory).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["CoreSettings", "disable_telemetry", "get_core_settings"]


class CoreSettings(BaseSettings):
    """The variables every part of the product shares (no prefix)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", env_ignore_empty=True)

    var_dir: Path = Field(default=Path("var"), validation_alias="CREDIT_VAR_DIR")
    database_url: str | None = Field(default=None, validation_alias="DATABASE_URL")
    mlflow_tracking_uri: str | None = Field(default=None, validation_alias="MLFLOW_TRACKING_URI")
    model_name: str = Field(default="credit-default", validation_alias="MODEL_NAME")
    model_alias: str = Field(default="champion", validation_alias="MODEL_ALIAS")

    @property
    def resolved_var_dir(self) -> Path:
        return self.var_dir.expanduser().resolve()

    @property
    def resolved_database_url(self) -> str:
        """The database URL; SQLite under var/ when DATABASE_URL is unset."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.resolved_var_dir / 'credit.db'}"

    @property
    def resolved_tracking_uri(self) -> str:
        """The MLflow tracking URI; a local SQLite-backed store under var/mlflow when unset."""
        if self.mlflow_tracking_uri:
            return self.mlflow_tracking_uri
        return f"sqlite:///{self.resolved_var_dir / 'mlflow' / 'mlflow.db'}"

    @property
    def local_artifact_root(self) -> Path:
        """Where the embedded MLflow store keeps artifacts."""
        return self.resolved_var_dir / "mlflow" / "artifacts"

    @property
    def model_uri(self) -> str:
        return f"models:/{self.model_name}@{self.model_alias}"


def disable_telemetry() -> None:
    """Turn off MLflow's and Gradio's telemetry for this process and its children."""
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")


@lru_cache
def get_core_settings() -> CoreSettings:
    """The shared settings, read once."""
    return CoreSettings()
