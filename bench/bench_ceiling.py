"""How much of the oracle's lift the features can carry at all: the ceiling behind the
"share of the oracle's lift" that `credit train` reports.

    uv run python bench/bench_ceiling.py [--rows N] [--threads 2]

Reads the client features and the generator's true default probability from the database
(DATABASE_URL; the data of `credit data load`), splits off the same holdout as `credit train`,
and fits two LightGBM models on the training split with the same budget:

- **model**: a classifier on TARGET, as the training pipeline does;
- **ceiling**: a regressor on the oracle's own log-odds. It learns what the features say about the
  true risk without the 0/1 noise of the outcomes, so its holdout AUC estimates the best any
  model could reach from these features (information that no feature carries, such as the
  generator's hidden risk or a missing EXT_SOURCE's own part, stays out of reach).

Prints, on the holdout, each one's AUC against the outcomes and its *expected* AUC (every pair of
clients weighted by their true probabilities: far less noisy than one draw of the outcomes),
and the shares of the oracle's lift over a coin, (AUC - 0.5) / (oracle AUC - 0.5).
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import lightgbm
import numpy as np
from sklearn.metrics import roc_auc_score

from credit_core.settings import CoreSettings, disable_telemetry
from credit_pipeline.features.training import load_training_data
from credit_pipeline.train.modelling.split import holdout_split, stratified_subsample
from credit_pipeline.train.profiles import get_profile


def expected_auc(probability: np.ndarray, score: np.ndarray) -> float:
    """AUC over every (defaulter, repayer) pair weighted by P(i defaults) x P(j repays)."""
    labels = np.concatenate([np.ones_like(score), np.zeros_like(score)])
    weights = np.concatenate([probability, 1.0 - probability])
    return float(roc_auc_score(labels, np.concatenate([score, score]), sample_weight=weights))


def _fit(features: np.ndarray, label: np.ndarray, objective: str, names: list[str],
         categorical: list[str], threads: int, seed: int) -> tuple[lightgbm.Booster, float]:
    """LightGBM with early stopping on a 10 % validation part of the training split."""
    rng = np.random.default_rng(seed)
    validation = rng.random(len(label)) < 0.1
    params = {"objective": objective, "learning_rate": 0.05, "num_leaves": 31,
              "min_child_samples": 100, "feature_fraction": 0.5, "bagging_fraction": 0.8,
              "bagging_freq": 1, "lambda_l2": 1.0, "num_threads": threads, "verbose": -1,
              "seed": seed}
    train = lightgbm.Dataset(features[~validation], label[~validation], feature_name=names,
                             categorical_feature=categorical, params={"verbose": -1})
    valid = lightgbm.Dataset(features[validation], label[validation], reference=train)
    started = time.perf_counter()
    booster = lightgbm.train(params, train, num_boost_round=3000, valid_sets=[valid],
                             callbacks=[lightgbm.early_stopping(100, verbose=False)])
    return booster, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=0,
                        help="a stratified subsample of the training split (0: all of it)")
    parser.add_argument("--threads", type=int, default=2)
    arguments = parser.parse_args()
    disable_telemetry()
    profile = get_profile("quick")
    data = load_training_data(CoreSettings())
    if data.oracle_probability is None:
        raise SystemExit("error: these data carry no true probability (only generated data do)")
    split = holdout_split(data.ids, data.target, profile.holdout_share, profile.seed)
    train_rows = split.train_rows
    if arguments.rows:
        train_rows = train_rows[stratified_subsample(data.target[train_rows], arguments.rows,
                                                     profile.seed)]
    features = data.features.to_numpy(dtype=np.float64)
    names, categorical = data.feature_names, list(data.categorical_features)
    oracle = np.clip(data.oracle_probability, 1e-9, 1 - 1e-9)
    log_odds = np.log(oracle / (1 - oracle))

    model, model_s = _fit(features[train_rows], data.target[train_rows].astype(float), "binary",
                          names, categorical, arguments.threads, profile.seed)
    ceiling, ceiling_s = _fit(features[train_rows], log_odds[train_rows], "regression",
                              names, categorical, arguments.threads, profile.seed)

    hold = split.holdout_rows
    truth, outcome = oracle[hold], data.target[hold]
    scores = {"oracle": truth, "model": model.predict(features[hold]),
              "ceiling": ceiling.predict(features[hold])}
    observed = {name: float(roc_auc_score(outcome, s)) for name, s in scores.items()}
    expected = {name: expected_auc(truth, s) for name, s in scores.items()}
    print(f"data: {data.rows:,} rows x {len(names)} features; training split "
          f"{len(train_rows):,} rows, holdout {len(hold):,}")
    print(f"fits: model {model.best_iteration} trees in {model_s:.0f} s, ceiling "
          f"{ceiling.best_iteration} trees in {ceiling_s:.0f} s")
    print(f"{'':10}{'AUC (outcomes)':>16}{'share':>8}{'expected AUC':>15}{'share':>8}")
    for name in scores:
        share = (observed[name] - 0.5) / (observed["oracle"] - 0.5)
        expected_share = (expected[name] - 0.5) / (expected["oracle"] - 0.5)
        print(f"{name:10}{observed[name]:16.4f}{share:8.1%}{expected[name]:15.4f}"
              f"{expected_share:8.1%}")
    print("model / ceiling (expected AUC lift): "
          f"{(expected['model'] - 0.5) / (expected['ceiling'] - 0.5):.1%}")


if __name__ == "__main__":
    main()
