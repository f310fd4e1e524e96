"""The model card attached to every registered version (markdown).

Intended use, data, how the model was chosen, metrics at the threshold (out of fold and on the
holdout), calibration, the oracle comparison, outcomes by CODE_GENDER and age band, and
limitations. Every figure comes from the training run; nothing is typed in by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from credit_pipeline.train.modelling.calibration import CalibrationChoice
from credit_pipeline.train.modelling.evaluate import Evaluation, OracleComparison

__all__ = ["CardFacts", "render_model_card"]


@dataclass(frozen=True)
class CardFacts:
    """What the card reports."""

    model_name: str
    dataset_name: str
    data_fingerprint: str
    holdout_fingerprint: str
    train_rows: int
    holdout_rows: int
    n_features: int
    base_rate: float
    profile: str
    family_note: str
    imbalance: str
    trees: int
    oof: Evaluation
    holdout: Evaluation
    calibration: CalibrationChoice
    oracle: OracleComparison | None
    fairness: pd.DataFrame
    top_features: list[tuple[str, float]]
    run_id: str
    family: str = "lightgbm"


def _family_summary(facts: CardFacts) -> str:
    if facts.family == "logistic_regression":
        return "Regularised logistic regression (one-hot categories, scaled numbers)"
    return f"LightGBM, {facts.trees} trees"


def _metrics_table(oof: Evaluation, holdout: Evaluation) -> str:
    lines = ["| metric | out of fold (training split) | holdout |", "|---|---|---|"]
    for label, attribute in (
        ("ROC AUC", lambda e: f"{e.roc_auc:.4f}"),
        ("business cost (10 FN + 1 FP)", lambda e: f"{e.cost.total:,.0f}"),
        ("business cost per client", lambda e: f"{e.cost.per_client:.4f}"),
        ("recall (defaulters refused)", lambda e: f"{e.cost.recall:.3f}"),
        ("precision (refused who default)", lambda e: f"{e.cost.precision:.3f}"),
        ("refusal rate", lambda e: f"{e.cost.refusal_rate:.3f}"),
        ("Brier score", lambda e: f"{e.brier:.5f}"),
    ):
        lines.append(f"| {label} | {attribute(oof)} | {attribute(holdout)} |")
    return "\n".join(lines)


def _fairness_section(fairness: pd.DataFrame) -> str:
    if fairness.empty:
        return ("No protected attribute in this data set (CODE_GENDER and DAYS_BIRTH, or columns "
                "named with --protected): not measured.")
    lines = ["| segment | group | clients | default rate | approval rate | FNR | FPR |",
             "|---|---|---|---|---|---|---|"]
    for row in fairness.itertuples():
        lines.append(
            f"| {row.segment} | {row.group} | {row.clients:,} | {row.default_rate:.3f} | "
            f"{row.approval_rate:.3f} | {row.false_negative_rate:.3f} | "
            f"{row.false_positive_rate:.3f} |"
        )
    return "\n".join(lines)


def _oracle_section(oracle: OracleComparison | None) -> str:
    if oracle is None:
        return "The true default probability is not known for this data set."
    return (
        f"On the same holdout the generator's true probability reaches AUC "
        f"{oracle.oracle.roc_auc:.4f} and a cost of {oracle.oracle.cost.per_client:.4f} per "
        f"client (at the Bayes threshold 1/11). The model reaches "
        f"{oracle.lift_share:.1%} of the oracle's lift over a coin (AUC - 0.5)."
    )


def render_model_card(facts: CardFacts) -> str:
    """The card as markdown."""
    calibration = facts.calibration
    briers = ", ".join(f"{name} {value:.5f}" for name, value in calibration.brier.items())
    top = "\n".join(f"{rank}. {name} ({value:.4f})"
                    for rank, (name, value) in enumerate(facts.top_features[:10], start=1))
    return f"""# Model card: {facts.model_name}

## Intended use
Estimates the probability that a consumer-credit applicant defaults, to support (not replace) a
credit advisor's decision. An application is refused when the probability reaches the threshold
**{facts.holdout.threshold:.4f}**, chosen to minimise the business cost 10 x FN + 1 x FP on
out-of-fold predictions. Not for other products, populations or for automated refusal without
review.

## Data
Data set `{facts.dataset_name}` (fingerprint `{facts.data_fingerprint[:16]}`): {facts.train_rows:,}
training and {facts.holdout_rows:,} holdout clients (holdout fingerprint
`{facts.holdout_fingerprint[:16]}`), {facts.n_features} features, default rate
{facts.base_rate:.2%}. The client id and the target are never features.

## Model
{_family_summary(facts)}, profile `{facts.profile}`, class imbalance: {facts.imbalance}.
{facts.family_note}

## Metrics at the threshold
{_metrics_table(facts.oof, facts.holdout)}

{_oracle_section(facts.oracle)}

## Calibration
Method retained: **{calibration.method}** (cross-fitted Brier on out-of-fold scores: {briers}).
A calibration is kept only when it lowers the Brier score.

## Outcomes by group (holdout, at the threshold)
{_fairness_section(facts.fairness)}

## Most important features (mean |SHAP|, log-odds)
{top}

## Limitations
- Trained on historical applications: a change in the applicant population or the economy
  (watch the drift monitoring) makes the probabilities and the threshold stale.
- The threshold encodes a 10:1 cost ratio; a different ratio needs a new threshold.
- Differences between groups above are measured, not corrected; review them before use.
- Holdout figures come from {facts.holdout_rows:,} clients and carry sampling noise.

Training run: `{facts.run_id}`.
"""
