"""Request models of the monitoring API (responses are documented by their route)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from monitoring_service.drift.options import DriftOptions

__all__ = ["MAX_OUTCOMES", "OutcomeIn", "OutcomesBatch", "RunRequest"]

MAX_OUTCOMES = 10_000
_STRICT = ConfigDict(extra="forbid", allow_inf_nan=False)


class RunRequest(BaseModel):
    """A run on the decisions of a window (default: the last 7 days) or on application_test.

    To compare an uploaded batch, send ``multipart/form-data`` with the file in ``file`` (CSV
    or Parquet, columns = the model's features) and, optionally, ``options`` as JSON text.
    """

    model_config = ConfigDict(
        extra="forbid", allow_inf_nan=False,
        json_schema_extra={"examples": [
            {"source": "decisions"},
            {"source": "application_test", "options": {"num_method": "psi", "drift_share": 0.3}},
        ]},
    )
    source: Literal["decisions", "application_test"] = "decisions"
    window_start: datetime | None = Field(None, description="Decisions from (UTC if naive)")
    window_end: datetime | None = Field(None, description="Decisions before (default: now)")
    options: DriftOptions = Field(default_factory=DriftOptions)
    render_report: bool = Field(True, description="Render Evidently's HTML in the background")

    @model_validator(mode="after")
    def _window(self) -> RunRequest:
        if self.source != "decisions" and (self.window_start or self.window_end):
            raise ValueError("window_start and window_end apply to the 'decisions' source only")
        if self.window_start and self.window_end and _utc(self.window_start) >= _utc(
                self.window_end):
            raise ValueError("window_start must be before window_end")
        return self


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class OutcomeIn(BaseModel):
    """What became of a client: defaulted (1) or not (0), observed when."""

    model_config = ConfigDict(**_STRICT, json_schema_extra={"examples": [
        {"client_id": 100001, "observed_default": 0, "observed_at": "2026-11-20T00:00:00Z"}]})
    client_id: int = Field(ge=1, le=2**53, description="SK_ID_CURR")
    observed_default: Literal[0, 1] = Field(description="1 if the client defaulted")
    observed_at: AwareDatetime | None = Field(None, description="When it was observed "
                                              "(with its time zone; default: now)")

    @model_validator(mode="after")
    def _not_future(self) -> OutcomeIn:
        if self.observed_at and self.observed_at > datetime.now(UTC) + timedelta(minutes=5):
            raise ValueError("observed_at is in the future")
        return self


class OutcomesBatch(BaseModel):
    """Many outcomes at once (at most 10,000)."""

    model_config = _STRICT
    outcomes: list[OutcomeIn] = Field(min_length=1)
