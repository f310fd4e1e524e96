"""Scoring without a web framework: the pure scorer and the audited flow over the database."""

from credit_core.scoring.audited import score_applications, score_clients
from credit_core.scoring.scorer import (
    Decision,
    Scorer,
    check_compatible,
    is_home_credit,
    new_decision_ids,
    vector_positions,
)

__all__ = ["Decision", "Scorer", "check_compatible", "is_home_credit", "new_decision_ids",
           "score_applications", "score_clients", "vector_positions"]
