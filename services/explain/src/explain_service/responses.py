"""Response models: what /docs shows (the explanation itself is serialised directly, for speed)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

__all__ = ["CounterfactualResponse", "ExplanationResponse", "ImageResponse",
           "ImportanceResponse"]

Texts = dict[str, str]  # {"en": ..., "fr": ...}
Direction = Literal["toward_refusal", "toward_approval"]


class ModelRef(BaseModel):
    name: str
    version: str


class SubjectRef(BaseModel):
    kind: Literal["client_id", "decision_id", "features", "client_id+changes",
                  "decision_id+changes"]
    client_id: int | None
    decision_id: str | None
    changed_fields: list[str] = Field(default_factory=list, description="A what-if: the "
                                      "application fields changed (history kept)")


class Contribution(BaseModel):
    feature: str
    label: str
    label_fr: str
    family: str
    value: float | None = Field(description="The model's input (categories as level codes)")
    contribution: float = Field(description="Exact SHAP value, raw log-odds; + toward refusal")
    protected: bool
    actionable: bool


class MainFeature(BaseModel):
    feature: str
    label: str
    label_fr: str
    value: float | None
    display: Texts
    contribution: float
    percentile_among_approved: float | None
    share_of_approved_with_same_value: float | None


class Reason(BaseModel):
    key: str
    label: str
    label_fr: str
    grouped: bool
    features: list[str]
    contribution: float
    direction: Direction
    protected: bool = Field(description="Shown for transparency; never suggested as a change")
    actionable: bool
    main: MainFeature
    text: Texts
    suggestion: Texts | None


class Reasons(BaseModel):
    toward_refusal: list[Reason]
    toward_approval: list[Reason]


class WaterfallStep(BaseModel):
    key: str
    label: str
    label_fr: str
    contribution: float
    start: float
    end: float
    features: int
    protected: bool


class Waterfall(BaseModel):
    base_value: float
    total: float = Field(description="base_value + every contribution = the raw score")
    steps: list[WaterfallStep]
    raw_threshold: float | None


class Scale(BaseModel):
    contributions: Literal["raw_log_odds"]
    calibration: str
    raw_threshold: float | None
    monotonic: bool
    text: str


class ReferenceInfo(BaseModel):
    available: bool
    approved_clients: int | None
    note: Texts | None


class ExplanationResponse(BaseModel):
    model: ModelRef
    subject: SubjectRef
    probability: float
    threshold: float
    decision: Literal["approved", "refused"]
    base_value: float
    raw_score: float
    scale: Scale
    contributions: list[Contribution] = Field(description="Every feature, largest first")
    reasons: Reasons
    waterfall: Waterfall
    reference: ReferenceInfo
    recorded_decision: dict[str, Any] | None


class ImageResponse(BaseModel):
    model: ModelRef
    media_type: str
    title: str
    alt_text: Texts
    image_base64: str


class ImportantFeature(BaseModel):
    rank: int
    feature: str
    label: str
    label_fr: str
    family: str
    importance: float
    protected: bool


class FamilyImportance(BaseModel):
    family: str
    label: str
    label_fr: str
    importance: float
    features: int


class ImportanceResponse(BaseModel):
    model: ModelRef
    source: Literal["stored", "computed", "gain"]
    stored: bool
    description: Texts
    features: list[ImportantFeature]
    families: list[FamilyImportance]
    family_note: Texts


class LoanChange(BaseModel):
    credit: float
    annuity: float | None
    goods_price: float | None
    term_months: float | None
    down_payment: float
    down_payment_share_of_goods_price: float | None


class Counterfactual(BaseModel):
    levers: list[Literal["amount", "term", "down_payment"]]
    change: LoanChange
    change_size: float = Field(description="max(relative reduction of the amount financed, "
                                           "relative change of the annuity): what is minimised")
    financed_reduction_share: float
    annuity_change_share: float | None
    probability: float
    decision: Literal["approved", "refused"]
    application: dict[str, Any] = Field(description="The suggested application, to score as is")
    text: Texts


class CurrentLoan(BaseModel):
    credit: float
    annuity: float | None
    goods_price: float | None
    term_months: float | None
    probability: float
    decision: Literal["approved", "refused"]


class CounterfactualResponse(BaseModel):
    model: ModelRef
    subject: SubjectRef
    threshold: float
    bounds: dict[str, float]
    current: CurrentLoan
    status: Literal["found", "already_approved", "no_feasible_change"]
    counterfactual: Counterfactual | None
    alternatives: list[Counterfactual]
    message: Texts
    search: dict[str, float]
