"""Training benchmark: the time of each phase of a profile, and of one LightGBM fit.

    uv run python bench/bench_train.py [--profile quick|full] [--source synthetic|store]
                                       [--rows 307511] [--features 250]

``synthetic`` builds a data set of the full Home Credit size with a known signal (no database
needed); ``store`` reads the client features table from the database. Runs go to
a throw-away MLflow store under a temporary directory unless --var-dir is given. Prints the
figures.
"""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
import time
from pathlib import Path

# As `credit train` does, before OpenMP loads: idle threads sleep rather than spin.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import lightgbm
import numpy as np

from credit_core.settings import CoreSettings, disable_telemetry
from credit_pipeline.train.datasets.synthetic import synthetic_training_data
from credit_pipeline.train.datasets.training_data import TrainingData
from credit_pipeline.train.profiles import get_profile
from credit_pipeline.train.run import run_training


def _load(source: str, rows: int, features: int, settings: CoreSettings) -> TrainingData:
    if source == "store":
        from credit_pipeline.features.training import load_training_data  # the feature store

        return load_training_data(settings)
    return synthetic_training_data(rows=rows, n_features=features, seed=7)


def _one_fit(data: TrainingData, trees: int, learning_rate: float, threads: int) -> float:
    names = data.feature_names
    dataset = lightgbm.Dataset(
        data.features.to_numpy(dtype=np.float64), label=data.target, feature_name=names,
        categorical_feature=list(data.categorical_features), params={"verbose": -1},
    )
    params = {"objective": "binary", "learning_rate": learning_rate, "num_leaves": 31,
              "num_threads": threads, "verbose": -1}
    started = time.perf_counter()
    lightgbm.train(params, dataset, num_boost_round=trees)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="quick", choices=["quick", "full", "test"])
    parser.add_argument("--source", default="synthetic", choices=["synthetic", "store"])
    parser.add_argument("--rows", type=int, default=307_511)
    parser.add_argument("--features", type=int, default=250)
    parser.add_argument("--var-dir", type=Path, default=None)
    arguments = parser.parse_args()
    disable_telemetry()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    var_dir = arguments.var_dir or Path(tempfile.mkdtemp(prefix="bench-train-"))
    settings = CoreSettings(CREDIT_VAR_DIR=var_dir)
    profile = get_profile(arguments.profile)

    started = time.perf_counter()
    data = _load(arguments.source, arguments.rows, arguments.features, settings)
    load_seconds = time.perf_counter() - started
    fit_seconds = _one_fit(data, profile.final_max_trees, profile.final_learning_rate,
                           profile.num_threads)
    started = time.perf_counter()
    result = run_training(data, profile, settings)
    total = time.perf_counter() - started

    print(f"data: {data.dataset_name}, {data.rows:,} rows x {len(data.feature_names)} features "
          f"(loaded in {load_seconds:.1f}s)")
    print(f"one LightGBM fit, {profile.final_max_trees} trees at "
          f"{profile.final_learning_rate}, all rows: {fit_seconds:.1f}s")
    print(f"profile {profile.name}: run_training {total:.1f}s")
    for phase, seconds in result.timings.items():
        print(f"  {phase:<10} {seconds:7.1f}s")
    holdout = result.holdout.evaluation
    print(f"holdout AUC {holdout.roc_auc:.4f}, cost/client {holdout.cost.per_client:.4f}, "
          f"threshold {result.threshold:.4f}, calibration {result.calibration}")
    if result.holdout.oracle is not None:
        print(f"oracle AUC {result.holdout.oracle.oracle.roc_auc:.4f}, "
              f"lift share {result.holdout.oracle.lift_share:.1%}")


if __name__ == "__main__":
    main()
