"""Registration of the retained model and the rule that moves the champion alias.

The model is logged as an MLflow pyfunc (``name="model"``) whose artifacts are the scoring
bundle and the drift reference, with its signature and an input example, and registered under
the model name. The version's tags carry the threshold, the costs, the metrics, the data and
holdout fingerprints and the feature list, so that the services hard-code none of it.

Promotion rule: the alias (``champion``) moves to the new version only if its business cost on
the holdout is strictly lower than the current champion's, rescored now on the same holdout
clients at the champion's own threshold; or if ``force`` is given; or if there is no champion
yet. A champion that cannot score this holdout (features missing) is never silently replaced.

Before that, the lender's guard (``lender_guard``): a model is never promoted, champion or not,
when its holdout cost is above the best trivial policy's on the same clients (accept everyone:
10 x defaulters; refuse everyone: 1 x good clients), or, when its baselines were measured on
the same rows (``--data`` files), when its out-of-fold cost per client is above the best
baseline's by more than the noise allowance ``BASELINE_TOLERANCE``. ``force`` overrides it;
the version's tags (``promotion``, ``promotion.guard``, ``promotion.forced``) say so, as does
the command's last line.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from mlflow.exceptions import MlflowException
from mlflow.models.model import ModelInfo

import mlflow
from credit_core.bundle import ModelBundle
from credit_core.cost import business_cost
from credit_pipeline.train.datasets.training_data import TrainingData
from credit_pipeline.train.mlflow_io.pyfunc import MODEL_CODE_PATH, model_signature, pip_requirements

__all__ = [
    "BASELINE_TOLERANCE",
    "PromotionDecision",
    "apply_promotion",
    "decide_promotion",
    "lender_guard",
    "load_version_bundle",
    "log_and_register",
    "trivial_policy_cost",
]

logger = logging.getLogger(__name__)

#: A baseline beats the model only by more than this share of its cost (CV noise; the same
#: allowance as the ties of ``modelling.by_data``).
BASELINE_TOLERANCE = 0.01


@dataclass(frozen=True)
class PromotionDecision:
    """Whether the alias moves, why, and the two costs compared."""

    promoted: bool
    reason: str
    challenger_cost: float
    champion_version: str | None = None
    champion_cost: float | None = None
    #: Why the lender's guard refused the model (None when it passed).
    guard: str | None = None
    forced: bool = False


def trivial_policy_cost(target: np.ndarray) -> tuple[str, float]:
    """The cheaper trivial policy on these clients and its cost (10 x FN + 1 x FP)."""
    defaulters = int(np.sum(target))
    accept_all, refuse_all = 10.0 * defaulters, float(len(target) - defaulters)
    return ("accept everyone", accept_all) if accept_all < refuse_all else (
        "refuse everyone", refuse_all)


def lender_guard(holdout_target: np.ndarray, holdout_cost: float, oof_cost_per_client: float,
                 best_baseline: tuple[str, float] | None) -> str | None:
    """Why the model must not be promoted (see the module docstring), or None."""
    policy, trivial = trivial_policy_cost(holdout_target)
    if holdout_cost > trivial:
        return f"holdout cost {holdout_cost:,.0f} is above {policy} ({trivial:,.0f})"
    if best_baseline is not None:
        name, baseline = best_baseline
        if oof_cost_per_client > baseline * (1 + BASELINE_TOLERANCE):
            return (f"out-of-fold cost/client {oof_cost_per_client:.4f} is above the "
                    f"{name} baseline's {baseline:.4f}")
    return None


def log_and_register(
    staging: Path, bundle: ModelBundle, example: pd.DataFrame, model_name: str,
    tags: dict[str, str],
) -> tuple[ModelInfo, str]:
    """Log the pyfunc model in the active run, register it, tag the version; (info, version)."""
    info = mlflow.pyfunc.log_model(
        name="model",
        python_model=str(MODEL_CODE_PATH),
        artifacts={"bundle": str(staging / "bundle"), "reference": str(staging / "reference")},
        signature=model_signature(bundle),
        input_example=example,
        pip_requirements=pip_requirements(),
        registered_model_name=model_name,
        tags={k: v for k, v in tags.items() if k != "features"},
    )
    version = str(info.registered_model_version)
    client = mlflow.MlflowClient()
    for key, value in tags.items():
        client.set_model_version_tag(model_name, version, key, value)
    return info, version


def load_version_bundle(model_name: str, version: str, directory: Path) -> ModelBundle:
    """Download only the bundle of a registered version and load it."""
    uri = f"models:/{model_name}/{version}/artifacts/bundle"
    local = mlflow.artifacts.download_artifacts(artifact_uri=uri, dst_path=str(directory))
    return ModelBundle.load(local)


def _current_champion(model_name: str, alias: str) -> str | None:
    try:
        return str(mlflow.MlflowClient().get_model_version_by_alias(model_name, alias).version)
    except MlflowException:
        return None


def _champion_cost(model_name: str, version: str, holdout: TrainingData) -> float | None:
    with tempfile.TemporaryDirectory() as scratch:
        champion = load_version_bundle(model_name, version, Path(scratch))
    missing = [name for name in champion.features if name not in holdout.features.columns]
    if missing:
        logger.warning("champion v%s needs features this data lacks: %s", version, missing[:5])
        return None
    matrix = holdout.features[champion.features].to_numpy(dtype=np.float64)
    probability = champion.predict_proba(matrix)
    return business_cost(holdout.target, probability, champion.threshold).total


def decide_promotion(
    model_name: str, alias: str, challenger_cost: float, holdout: TrainingData, force: bool,
    guard: str | None = None,
) -> PromotionDecision:
    """Apply the promotion rule (see the module docstring) against the current champion."""
    if guard is not None:
        reason = f"forced ({guard})" if force else f"refused: {guard}; --force to override"
        return PromotionDecision(force, reason, challenger_cost, guard=guard, forced=force)
    champion = _current_champion(model_name, alias)
    if champion is None:
        return PromotionDecision(True, f"no {alias} yet", challenger_cost)
    champion_cost = _champion_cost(model_name, champion, holdout)
    if champion_cost is None:
        beaten, reason = False, f"v{champion} cannot score this holdout (features differ)"
    elif challenger_cost < champion_cost:
        beaten, reason = True, f"cost {challenger_cost:,.0f} < v{champion}'s {champion_cost:,.0f}"
    else:
        beaten, reason = False, f"cost {challenger_cost:,.0f} >= v{champion}'s {champion_cost:,.0f}"
    if force and not beaten:
        reason = f"forced ({reason})"
    return PromotionDecision(beaten or force, reason, challenger_cost, champion, champion_cost,
                             forced=force and not beaten)


def apply_promotion(decision: PromotionDecision, model_name: str, alias: str,
                    version: str) -> None:
    """Move the alias when the decision says so, and log the comparison in the active run."""
    metrics = {"challenger_business_cost_holdout": decision.challenger_cost}
    if decision.champion_cost is not None:
        metrics["champion_business_cost_holdout"] = decision.champion_cost
    mlflow.log_metrics(metrics)
    mlflow.set_tags({
        "promotion.promoted": str(decision.promoted).lower(),
        "promotion.reason": decision.reason,
        "promotion.previous_champion": decision.champion_version or "none",
    })
    client = mlflow.MlflowClient()
    client.set_model_version_tag(model_name, version, "promotion", decision.reason)
    client.set_model_version_tag(model_name, version, "promotion.forced",
                                 str(decision.forced).lower())
    if decision.guard is not None:
        client.set_model_version_tag(model_name, version, "promotion.guard", decision.guard)
    if decision.promoted:
        client.set_registered_model_alias(model_name, alias, version)
    logger.info("%s v%s: %s (%s)", model_name, version,
                "promoted to @" + alias if decision.promoted else "not promoted", decision.reason)
