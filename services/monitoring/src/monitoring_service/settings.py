"""Monitoring settings: the shared variables plus MONITORING_* (see .env.example)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from credit_core.web.settings import ServiceSettings
from monitoring_service.drift.options import DriftOptions

__all__ = ["MonitoringSettings", "get_settings"]


class MonitoringSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MONITORING_", env_file=".env", extra="ignore",
                                      env_ignore_empty=True)

    port: int = 8003
    #: Uploaded batches are large (50,000 rows x 120 columns is ~60 MB of CSV).
    max_body_bytes: int = Field(default=256 * 1024 * 1024, ge=1024)
    #: At most this many current rows: a larger upload is 413; a larger decision window keeps
    #: its most recent rows (and says so).
    max_current_rows: int = Field(default=1_000_000, ge=1)
    #: How often the registry is asked whether the alias moved (seconds; 0 disables polling).
    reload_interval_seconds: float = Field(default=60.0, ge=0)
    model_cache_dir: Path | None = None
    #: Evidently's defaults for large data unless set, e.g. '{"num_method": "psi"}'; a run's
    #: own options override these field by field.
    drift_defaults: DriftOptions = Field(default_factory=DriftOptions)
    #: The decisions window of a run that gives none (days back from now).
    default_window_days: float = Field(default=7.0, gt=0)
    #: Scheduled "decisions" runs every so many seconds (0 = off); never two at once.
    schedule_seconds: float = Field(default=0.0, ge=0)
    drift_threads: int = Field(default=0, ge=0, description="0: up to 4, by CPU count")
    #: Render Evidently's HTML report of each run in the background (a separate process).
    render_reports: bool = True
    report_timeout_seconds: float = Field(default=1800.0, gt=0)
    #: Render the report against a seeded sample of at most this many reference rows (0: all).
    #: Evidently needs about 2.6 GB for 307,511 x 287 against 48,744 rows; the JSON verdicts
    #: always use the whole reference.
    report_reference_rows: int = Field(default=0, ge=0)
    reports_dir: Path | None = None
    #: The readiness of these services is shown on the dashboard.
    scoring_url: str = "http://127.0.0.1:8001"
    explain_url: str = "http://127.0.0.1:8002"
    ui_url: str = "http://127.0.0.1:7860"
    peer_timeout_seconds: float = Field(default=2.0, gt=0, le=30)
    #: Signs the dashboard's session cookie. Unset: a random secret per process (sessions then
    #: end with the process; set it when several replicas serve the dashboard).
    session_secret: SecretStr | None = None
    session_hours: float = Field(default=8.0, gt=0, le=168)
    #: Send the session cookie over HTTPS only (set behind TLS).
    cookie_secure: bool = False

    @property
    def resolved_model_cache_dir(self) -> Path:
        return self.model_cache_dir or self.resolved_var_dir / "model-cache" / "monitoring"

    @property
    def resolved_reports_dir(self) -> Path:
        return self.reports_dir or self.resolved_var_dir / "monitoring" / "reports"

    @property
    def peers(self) -> dict[str, str]:
        return {"scoring": self.scoring_url, "explain": self.explain_url, "ui": self.ui_url}


@lru_cache
def get_settings() -> MonitoringSettings:
    return MonitoringSettings()
