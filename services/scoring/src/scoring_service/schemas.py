"""Request and response models. The application input model derives from credit_core's
application schema: types, ranges and levels are defined there once."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from credit_core.schema.input_model import REQUIRED_APPLICATION_FIELDS, ApplicationFeatures

__all__ = [
    "REQUIRED_APPLICATION_FIELDS",
    "ApplicationFeatures",
    "BatchRequest",
    "BatchResponse",
    "ModelRef",
    "ScoreRequest",
    "ScoreResponse",
]



class ScoreRequest(BaseModel):
    """Score one applicant: by client id (features from the database) or by features."""

    model_config = ConfigDict(
        extra="forbid", allow_inf_nan=False,
        json_schema_extra={"examples": [{"client_id": 100001}]},
    )
    client_id: int | None = Field(None, ge=1, le=2**53, description="SK_ID_CURR of a known client")
    features: ApplicationFeatures | None = Field(  # type: ignore[valid-type]
        None, description="A new applicant's application fields (Kaggle names)")

    @model_validator(mode="after")
    def _one_of(self) -> ScoreRequest:
        if (self.client_id is None) == (self.features is None):
            raise ValueError("give exactly one of 'client_id' or 'features'")
        return self


class BatchRequest(BaseModel):
    """Many applicants at once: client ids, or application rows (not both)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    # Bounded like ScoreRequest.client_id: beyond the database's 64-bit integers a lookup fails.
    client_ids: list[Annotated[int, Field(ge=1, le=2**53)]] | None = Field(
        None, min_length=1, description="SK_ID_CURR of known clients (at least one)")
    applications: list[ApplicationFeatures] | None = Field(  # type: ignore[valid-type]
        None, min_length=1, description="Application rows (at least one)")

    @model_validator(mode="after")
    def _one_of(self) -> BatchRequest:
        if (self.client_ids is None) == (self.applications is None):
            raise ValueError("give exactly one of 'client_ids' or 'applications'")
        return self

    @property
    def size(self) -> int:
        return len(self.client_ids or self.applications or [])


class ModelRef(BaseModel):
    name: str
    version: str


class ScoreResponse(BaseModel):
    client_id: int | None
    probability: float = Field(description="Probability of default (calibrated)")
    threshold: float = Field(description="Refused at or above this probability")
    decision: Literal["approved", "refused"]
    model: ModelRef
    decision_id: str
    scored_at: datetime


class BatchResponse(BaseModel):
    count: int
    decisions: list[ScoreResponse]
