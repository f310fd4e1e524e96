"""Monitoring settings: the shared variables plus MONITORING_* (see .env.example)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import ClassVar

from pydantic import Field, SecretStr

from credit_core.topology import Part, local_url, service
from credit_core.web.settings import ModelServiceSettings, service_config
from monitoring_service.drift.options import DriftOptions

__all__ = ["MonitoringSettings", "get_settings"]


class MonitoringSettings(ModelServiceSettings):
    part: ClassVar[Part] = service("monitoring")
    model_config = service_config(part)
    port: int = part.port

    #: Uploaded batches are large (50,000 rows x 120 columns is ~60 MB of CSV).
    max_body_bytes: int = Field(default=256 * 1024 * 1024, ge=1024)
    #: At most this many current rows: a larger upload is 413; a larger decision window keeps
    #: its most recent rows (and says so).
    max_current_rows: int = Field(default=1_000_000, ge=1)
    #: Half as often as the scoring APIs: a new version is not urgent for drift runs.
    reload_interval_seconds: float = Field(default=60.0, ge=0)
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
    scoring_url: str = local_url("scoring")
    explain_url: str = local_url("explain")
    ui_url: str = local_url("ui")
    peer_timeout_seconds: float = Field(default=2.0, gt=0, le=30)
    #: Signs the dashboard's session cookie. Unset: a random secret per process (sessions then
    #: end with the process; set it when several replicas serve the dashboard).
    session_secret: SecretStr | None = None
    session_hours: float = Field(default=8.0, gt=0, le=168)
    #: Send the session cookie over HTTPS only (set behind TLS).
    cookie_secure: bool = False

    @property
    def resolved_reports_dir(self) -> Path:
        return self.reports_dir or self.resolved_var_dir / "monitoring" / "reports"

    @property
    def peers(self) -> dict[str, str]:
        return {"scoring": self.scoring_url, "explain": self.explain_url, "ui": self.ui_url}


@lru_cache
def get_settings() -> MonitoringSettings:
    return MonitoringSettings()
