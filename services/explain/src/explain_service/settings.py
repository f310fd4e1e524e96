"""Explain settings: the shared variables plus EXPLAIN_* (see .env.example)."""

from __future__ import annotations

from functools import lru_cache
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from credit_core.topology import Part, service
from credit_core.web.settings import ModelServiceSettings, service_config

__all__ = ["ExplainSettings", "get_settings"]


class ExplainSettings(ModelServiceSettings):
    part: ClassVar[Part] = service("explain")
    model_config = service_config(part)
    port: int = part.port

    #: Versions other than the current one kept loaded for pinned explanations (LRU).
    pinned_versions: int = Field(default=3, ge=1, le=20)
    #: TreeSHAP implementation: LightGBM's own pred_contrib (exact for every categorical
    #: split), shap's C++ TreeSHAP (only for models whose category codes are below 31), or
    #: "auto": the faster of the two on single rows, timed when a version is loaded.
    treeshap: Literal["auto", "lightgbm", "shap"] = "auto"
    top_reasons: int = Field(default=4, ge=1, le=20)
    waterfall_steps: int = Field(default=10, ge=1, le=50)
    #: Approved reference rows kept per version for percentiles (a seeded sample above this).
    percentile_rows: int = Field(default=50_000, ge=100, le=1_000_000)
    #: Client rows used for the fallback importance when a version stores none.
    fallback_importance_rows: int = Field(default=500, ge=10, le=100_000)
    # Counterfactual defaults (a request may narrow or widen them within the validation rules).
    counterfactual_max_credit_reduction: float = Field(default=0.5, ge=0, le=0.95)
    counterfactual_min_credit_amount: float = Field(default=0.0, ge=0)
    counterfactual_min_term_months: int = Field(default=6, ge=1, le=480)
    counterfactual_max_term_months: int = Field(default=60, ge=1, le=480)
    counterfactual_max_down_payment_share: float = Field(default=0.3, ge=0, le=0.9)

    @model_validator(mode="after")
    def _terms(self) -> ExplainSettings:
        if self.counterfactual_min_term_months > self.counterfactual_max_term_months:
            raise ValueError("EXPLAIN_COUNTERFACTUAL_MIN_TERM_MONTHS must not exceed "
                             "EXPLAIN_COUNTERFACTUAL_MAX_TERM_MONTHS")
        return self

    def counterfactual_defaults(self) -> dict[str, float | int]:
        """The default search bounds, by the request's field names."""
        return {
            "max_credit_reduction": self.counterfactual_max_credit_reduction,
            "min_credit_amount": self.counterfactual_min_credit_amount,
            "min_term_months": self.counterfactual_min_term_months,
            "max_term_months": self.counterfactual_max_term_months,
            "max_down_payment_share": self.counterfactual_max_down_payment_share,
        }


@lru_cache
def get_settings() -> ExplainSettings:
    return ExplainSettings()
