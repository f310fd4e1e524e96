"""Request models. Who is explained: a known client, an audited decision, or submitted
application fields; optionally pinned to a model version (a decision pins its own)."""

from __future__ import annotations

from copy import copy
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    create_model,
    field_validator,
    model_validator,
)

from credit_core.schema.input_model import ApplicationFeatures

__all__ = [
    "ApplicationChanges",
    "BoundsOverrides",
    "CounterfactualBounds",
    "CounterfactualRequest",
    "ExplanationRequest",
    "ImageRequest",
    "SubjectRequest",
]

def _changes_model() -> type[BaseModel]:
    """Application fields to change, each optional (same types, ranges and levels); an
    explicit null removes a field (it becomes missing, as an unknown value is in training)."""
    fields: dict[str, Any] = {}
    for name, info in ApplicationFeatures.model_fields.items():  # type: ignore[attr-defined]
        optional = copy(info)
        optional.default = None
        annotation: Any = info.annotation  # a type at run time; mypy's view varies by run
        fields[name] = (annotation | None, optional)
    return create_model("ApplicationChanges", __config__=ConfigDict(
        extra="forbid", allow_inf_nan=False), **fields)


ApplicationChanges: type[BaseModel] = _changes_model()

_VERSION = r"^[1-9][0-9]{0,8}$"
_DECISION_ID = r"^[0-9a-fA-F-]{8,36}$"


class SubjectRequest(BaseModel):
    """Exactly one of client_id, decision_id or features."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False,
                              json_schema_extra={"examples": [{"client_id": 100001}]})
    client_id: int | None = Field(None, ge=1, le=2**53, description="SK_ID_CURR of a known client")
    decision_id: str | None = Field(None, pattern=_DECISION_ID,
                                    description="An audited decision: explained with the "
                                                "model version that made it")
    features: ApplicationFeatures | None = Field(  # type: ignore[valid-type]
        None, description="A new applicant's application fields (Kaggle names)")
    model_version: str | None = Field(None, pattern=_VERSION,
                                      description="A registered version (default: the one the "
                                                  "alias points to)")
    changes: ApplicationChanges | None = Field(  # type: ignore[valid-type]
        None, description="What-if for a known client or decision: application fields to "
                          "change (null removes one); the features derived from the "
                          "application are recomputed, the credit history is kept")

    @model_validator(mode="after")
    def _one_of(self) -> SubjectRequest:
        given = [self.client_id is not None, self.decision_id is not None,
                 self.features is not None]
        if sum(given) != 1:
            raise ValueError("give exactly one of 'client_id', 'decision_id' or 'features'")
        if self.changes is not None and self.features is not None:
            raise ValueError("'changes' applies to a 'client_id' or a 'decision_id'; with "
                             "'features', send the changed fields themselves")
        if self.decision_id is not None and self.model_version is not None:
            raise ValueError("'model_version' cannot be given with 'decision_id': the decision "
                             "is explained with the version that made it")
        return self

    def changed_fields(self) -> dict[str, Any]:
        """The fields to change, as given (an explicit null included)."""
        if self.changes is None:
            return {}
        return self.changes.model_dump(exclude_unset=True)  # type: ignore[attr-defined, no-any-return]

    def application(self) -> dict[str, Any] | None:
        """The submitted application fields (absent ones left out), if any."""
        if self.features is None:
            return None
        return self.features.model_dump(exclude_none=True)  # type: ignore[attr-defined, no-any-return]


class ExplanationRequest(SubjectRequest):
    top: int | None = Field(None, ge=1, le=20, description="Reasons each way (default: "
                                                           "EXPLAIN_TOP_REASONS)")
    waterfall_steps: int | None = Field(None, ge=1, le=50, description="Waterfall steps before "
                                                                       "'other features'")
    group_families: bool = Field(True, description="Read the aggregates of one family (e.g. "
                                                   "credit bureau) as one reason")


class ImageRequest(ExplanationRequest):
    format: Literal["png", "svg"] = "png"
    language: Literal["en", "fr"] = "en"
    embed: bool = Field(False, description="Answer JSON with the image in base64 and the text "
                                           "alternative in both languages")


def _at_least_min_term(value: int | None, info: ValidationInfo) -> int | None:
    """The maximum term must not be below the minimum (the error names max_term_months)."""
    minimum = info.data.get("min_term_months")
    if value is not None and minimum is not None and value < minimum:
        raise ValueError(f"max_term_months ({value}) is below min_term_months ({minimum})")
    return value


class CounterfactualBounds(BaseModel):
    """The search bounds, all given (defaults merged in from the settings)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    max_credit_reduction: float = Field(ge=0, le=0.95, description="Largest share by which the "
                                        "amount financed may fall")
    min_credit_amount: float = Field(ge=0, le=1e8, description="The amount financed never "
                                     "falls below this")
    min_term_months: int = Field(ge=1, le=480)
    max_term_months: int = Field(ge=1, le=480)
    max_down_payment_share: float = Field(ge=0, le=0.9, description="Largest down payment, as "
                                          "a share of the goods price (0: none)")

    _ordered = field_validator("max_term_months")(_at_least_min_term)


class BoundsOverrides(BaseModel):
    """What a request changes in the default bounds (each validated like the bounds)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    max_credit_reduction: float | None = Field(None, ge=0, le=0.95)
    min_credit_amount: float | None = Field(None, ge=0, le=1e8)
    min_term_months: int | None = Field(None, ge=1, le=480)
    max_term_months: int | None = Field(None, ge=1, le=480)
    max_down_payment_share: float | None = Field(None, ge=0, le=0.9)

    _ordered = field_validator("max_term_months")(_at_least_min_term)


class CounterfactualRequest(SubjectRequest):
    bounds: BoundsOverrides = Field(default_factory=lambda: BoundsOverrides(),  # type: ignore[call-arg]
                                    description="Overrides of the default search bounds")
