"""Candidate loans for the counterfactual search, built and scored in one frame.

What the applicant can change is the loan: the amount financed, the term (hence the annuity)
and, for a purchase, a down payment. A candidate is a share ``reduction`` of the amount
financed, reached either by a cheaper purchase (credit and goods price both scaled:
``kind="amount"``) or by a down payment (goods price kept: ``kind="down_payment"``), and a
term in months (annuity = amount / term, no interest, as the model's CREDIT_TERM and
PAYMENT_RATE read it). Amounts are rounded before the features are derived, so that what is
returned is exactly what was scored. The derived features are recomputed with credit_core's
``derive_application_features``; everything else in the vector is kept.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from credit_core.feature_derivation import derive_application_features
from credit_core.schema.features import FEATURES
from explain_service.shap.explainer import VersionExplainer

__all__ = ["ACTIONABLE_COLUMNS", "Candidates", "Loan", "build_candidates"]

#: Columns of the full vector that depend on the loan (Feature.actionable in the schema).
ACTIONABLE_COLUMNS = np.array([i for i, f in enumerate(FEATURES) if f.actionable])
KINDS = ("amount", "down_payment")


@dataclass(frozen=True)
class Loan:
    """The loan as applied for: credit, annuity and goods price (the last two may be absent)."""

    credit: float
    annuity: float | None
    goods_price: float | None

    @classmethod
    def of(cls, application: Mapping[str, Any]) -> Loan:
        def positive(name: str) -> float | None:
            value = application.get(name)
            return float(value) if value is not None and float(value) > 0 else None

        return cls(float(application["AMT_CREDIT"]), positive("AMT_ANNUITY"),
                   positive("AMT_GOODS_PRICE"))

    @property
    def term_months(self) -> float | None:
        return self.credit / self.annuity if self.annuity else None


@dataclass
class Candidates:
    """Parallel arrays, one entry per candidate, with its probability of default."""

    reduction: np.ndarray
    kind: np.ndarray  # index into KINDS
    term: np.ndarray  # months; NaN when the annuity is unknown (then kept as is)
    credit: np.ndarray
    annuity: np.ndarray
    goods_price: np.ndarray
    down_payment: np.ndarray
    probability: np.ndarray


def _grid(loan: Loan, reductions: np.ndarray, terms: Sequence[float],
          down_payment_cap: float) -> dict[str, np.ndarray]:
    kinds = [0, 1] if loan.goods_price is not None and down_payment_cap > 0 else [0]
    r, k, t = (a.ravel() for a in np.meshgrid(reductions, kinds, np.asarray(terms, float),
                                               indexing="ij"))
    credit = np.where(r == 0, loan.credit, np.floor(loan.credit * (1 - r)))
    down_payment = np.where(k == 1, loan.credit - credit, 0.0)
    keep = down_payment <= down_payment_cap + 1e-9
    r, k, t, credit, down_payment = r[keep], k[keep], t[keep], credit[keep], down_payment[keep]
    goods = np.full(r.shape, np.nan if loan.goods_price is None else loan.goods_price)
    scaled = (k == 0) & (r > 0)
    goods[scaled] = np.round(goods[scaled] * (1 - r[scaled]))
    unchanged_term = np.isnan(t) | (t == (loan.term_months or np.nan))
    annuity = np.where(np.isnan(t), np.nan if loan.annuity is None else loan.annuity,
                       np.round(credit / np.where(np.isnan(t), 1.0, t), 2))
    annuity = np.where(unchanged_term & (r == 0), loan.annuity or np.nan, annuity)
    return {"reduction": r, "kind": k, "term": t, "credit": credit, "annuity": annuity,
            "goods_price": goods, "down_payment": down_payment}


def build_candidates(explainer: VersionExplainer, vector: np.ndarray,
                     application: Mapping[str, Any], loan: Loan, reductions: np.ndarray,
                     terms: Sequence[float], down_payment_cap: float) -> Candidates:
    """Every combination of reduction, kind and term, derived and scored in one call each."""
    grid = _grid(loan, reductions, terms, down_payment_cap)
    count = grid["credit"].size
    frame = pd.DataFrame.from_records([dict(application)])
    frame = frame.loc[frame.index.repeat(count)].reset_index(drop=True)
    frame["AMT_CREDIT"] = grid["credit"]
    frame["AMT_ANNUITY"] = grid["annuity"]
    frame["AMT_GOODS_PRICE"] = grid["goods_price"]
    derived = derive_application_features(frame).to_numpy()
    vectors = np.repeat(np.atleast_2d(vector), count, axis=0)
    vectors[:, ACTIONABLE_COLUMNS] = derived[:, ACTIONABLE_COLUMNS]
    probability = explainer.bundle.predict_proba(explainer.model_rows(vectors))
    return Candidates(probability=probability, **grid)


def suggested_application(application: Mapping[str, Any], candidates: Candidates,
                          index: int) -> dict[str, Any]:
    """The application with candidate ``index``'s loan (None for what stays unknown)."""
    def value(array: np.ndarray) -> float | None:
        number = float(array[index])
        return None if np.isnan(number) else number

    return {**application, "AMT_CREDIT": value(candidates.credit),
            "AMT_ANNUITY": value(candidates.annuity),
            "AMT_GOODS_PRICE": value(candidates.goods_price)}
