"""The pyfunc's reading of a DataFrame: levels to codes, numbers kept, text in a number refused."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from credit_pipeline.train.mlflow_io.pyfunc_model import to_matrix


class _Bundle:
    def __init__(self) -> None:
        self.features = ["AMT", "KIND"]
        self.category_levels = {"KIND": ["a", "b"]}


def test_levels_become_codes_and_numbers_stay_numbers() -> None:
    frame = pd.DataFrame({"AMT": [1, 2.5, None, ""], "KIND": ["b", "a", "zzz", None]},
                         dtype=object)
    matrix = to_matrix(_Bundle(), frame)  # type: ignore[arg-type]
    assert matrix[:2].tolist() == [[1.0, 1.0], [2.5, 0.0]]
    assert all(math.isnan(v) for v in (matrix[2, 0], matrix[2, 1], matrix[3, 0], matrix[3, 1]))
    assert matrix.dtype == np.float64


def test_text_in_a_numeric_column_is_an_error_naming_the_column() -> None:
    frame = pd.DataFrame({"AMT": [1, "abc", "x"], "KIND": ["a", "b", "a"]})
    with pytest.raises(ValueError, match=r"column 'AMT': 'abc' is not a number \(2 such"):
        to_matrix(_Bundle(), frame)  # type: ignore[arg-type]
