"""A synthetic Home Credit Default Risk data set: the eight Kaggle files and the oracle.

``generate(out_dir, rows, seed)`` writes application_train/test and the six satellite tables
with the real columns, dtypes and (approximately) the documented distributions, plus
``true_default_probability.csv`` with every applicant's true probability of default.
"""

from __future__ import annotations

from .runner import ORACLE_FILE, GenerationSummary, generate

__all__ = ["ORACLE_FILE", "GenerationSummary", "generate"]
