"""What is attached to a model version: the file layout, the input example, the JSON writer.

Staging layout (each directory becomes an artifact of the logged model, under ``artifacts/``)::

    bundle/      bundle.json, model.txt, calibration.json, importance.json, model_card.md
    reference/   reference.parquet: training features (float32) and "__prediction__"

The publish phase (``phases/p6_publish.py``) fills it; the registry logs it as the pyfunc
model's artifacts; the services read it back by these names.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from credit_pipeline.train.datasets.training_data import TrainingData

__all__ = [
    "IMPORTANCE_FILE",
    "MODEL_CARD_FILE",
    "PREDICTION_COLUMN",
    "REFERENCE_FILE",
    "input_example",
    "write_json",
]

PREDICTION_COLUMN = "__prediction__"
REFERENCE_FILE = "reference.parquet"
IMPORTANCE_FILE = "importance.json"
MODEL_CARD_FILE = "model_card.md"


def write_json(path: Path, payload: Any) -> Path:
    """Write ``payload`` as indented JSON at ``path``; returns the path."""
    path.write_text(json.dumps(payload, indent=1))
    return path


def input_example(train: TrainingData, rows: int = 3) -> pd.DataFrame:
    """A few training rows as a client would send them (string levels for --data codes)."""
    example = train.features.head(rows).copy()
    for name, levels in train.category_levels.items():
        codes = example[name]
        example[name] = [None if np.isnan(c) else levels[int(c)] for c in codes]
    return example
