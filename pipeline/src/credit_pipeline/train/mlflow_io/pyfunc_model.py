"""The pyfunc model, logged as code (MLflow "models from code") rather than as a pickle.

MLflow copies this file into every logged model and runs it at load time; ``set_model`` at the
bottom is what it looks for. It needs only credit_core (the bundle), pandas and MLflow, so a
registered model loads wherever credit_core is installed, including
``mlflow models serve --env-manager local``. Input: a DataFrame with the model's feature columns
(string levels allowed for the categorical columns of ``--data`` models); output: the calibrated
probability of default of each row, the same numbers ``ModelBundle.predict_proba`` gives.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from mlflow.models import set_model
from mlflow.pyfunc import PythonModel

from credit_core.bundle import ModelBundle


def to_matrix(bundle: ModelBundle, frame: pd.DataFrame) -> np.ndarray:
    """The bundle's feature matrix from a DataFrame; string levels become their codes."""
    missing = [name for name in bundle.features if name not in frame.columns]
    if missing:
        raise ValueError(f"missing feature columns: {missing[:10]}")
    columns = []
    for name in bundle.features:
        column = frame[name]
        levels = bundle.category_levels.get(name)
        if levels is not None and not pd.api.types.is_numeric_dtype(column):
            codes = {level: float(code) for code, level in enumerate(levels)}
            columns.append(column.map(codes).astype(np.float64).to_numpy())
        else:
            columns.append(_numbers(name, column))
    return np.column_stack(columns) if columns else np.empty((len(frame), 0))


def _numbers(name: str, column: pd.Series) -> np.ndarray:
    """A numeric column; text that is not a number is an error, not a silent missing value.

    The signature types every column Any (MLflow refuses int64 for a double column), so this
    is where "abc" in an income column is caught. Missing values (None, NaN, "") stay missing.
    """
    numbers = pd.to_numeric(column, errors="coerce")
    blank = column.astype("string").str.strip().eq("").fillna(False).astype(bool)
    unreadable = numbers.isna() & column.notna() & ~blank
    if unreadable.any():
        first = column[unreadable].iloc[0]
        raise ValueError(f"column {name!r}: {first!r} is not a number "
                         f"({int(unreadable.sum())} such value(s))")
    return numbers.to_numpy(dtype=np.float64)


class CreditDefaultModel(PythonModel):
    """Loads the bundle from the model's ``bundle`` artifact and predicts probabilities."""

    def load_context(self, context: Any) -> None:
        self.bundle = ModelBundle.load(context.artifacts["bundle"])

    # The pd.DataFrame hint tells MLflow 3 the input is tabular without deriving a schema from
    # the hint: the signature given at logging time (one column per feature) is the contract.
    def predict(
        self, context: Any, model_input: pd.DataFrame, params: dict[str, Any] | None = None
    ) -> np.ndarray:
        frame = model_input if isinstance(model_input, pd.DataFrame) else pd.DataFrame(model_input)
        return self.bundle.predict_proba(to_matrix(self.bundle, frame))


set_model(CreditDefaultModel())
