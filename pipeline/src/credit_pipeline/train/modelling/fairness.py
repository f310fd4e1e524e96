"""Decision outcomes by group on the holdout, for the model card.

The groups are the data's ``segments``: CODE_GENDER and age band for Home Credit, or the
columns named with ``--protected`` (shown under their own names).

For each group: how many clients, the approval rate, the false negative rate (defaulters
approved) and the false positive rate (good clients refused), at the model's threshold.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from credit_core.cost import business_cost

__all__ = ["SEGMENT_TITLES", "fairness_table"]

SEGMENT_TITLES = {"gender": "CODE_GENDER", "age_band": "age band"}


def _group_order(group: str) -> tuple[float, str]:
    """Age bands in age order ("<30" first, "60+" last); other groups alphabetically."""
    if group.startswith("<"):
        return (-1.0, group)
    digits = re.match(r"\d+", group)
    return (float(digits.group()) if digits else float("inf"), group)


def _rates(target: np.ndarray, probability: np.ndarray, threshold: float) -> dict[str, float]:
    counts = business_cost(target, probability, threshold)
    defaulters = counts.true_positives + counts.false_negatives
    good = counts.true_negatives + counts.false_positives
    return {
        "clients": counts.clients,
        "default_rate": defaulters / counts.clients if counts.clients else float("nan"),
        "approval_rate": 1.0 - counts.refusal_rate,
        "false_negative_rate": counts.false_negatives / defaulters if defaulters else float("nan"),
        "false_positive_rate": counts.false_positives / good if good else float("nan"),
    }


def fairness_table(
    segments: pd.DataFrame, target: np.ndarray, probability: np.ndarray, threshold: float
) -> pd.DataFrame:
    """One row per (segment, group); empty when the data set has no segments."""
    rows = []
    for segment in map(str, segments.columns):
        groups = segments[segment].astype(str).to_numpy()
        for group in sorted(set(groups), key=_group_order):
            members = groups == group
            rows.append({"segment": SEGMENT_TITLES.get(segment, segment), "group": group,
                         **_rates(target[members], probability[members], threshold)})
    return pd.DataFrame(rows)
