"""Scoring with its audit: read the vectors, decide, write one ``decisions`` row per decision.

Reading, scoring and auditing happen in one transaction, and the caller answers only after it
commits: a decision the client sees always has its audit row. Used by the scoring API and by
``credit score batch`` (the batch-score Job), so both audit the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from sqlalchemy import Connection, Engine

from credit_core.audit import pack_vector
from credit_core.db.audit_log import write_decisions
from credit_core.db.vectors import read_vectors
from credit_core.feature_derivation import full_vectors_from_applications
from credit_core.schema.features import FEATURE_SCHEMA_VERSION
from credit_core.scoring.scorer import Decision, Scorer

__all__ = ["score_applications", "score_clients"]


def score_clients(engine: Engine, scorer: Scorer, ids: Sequence[int], caller: str,
                  request_id: str, client_request_id: str | None = None) -> list[Decision]:
    """Score known clients by id and audit each decision (UnknownClients if any is absent)."""
    with engine.begin() as connection:
        vectors = read_vectors(connection, ids)
        return _decide(connection, scorer, list(ids), vectors, None, caller, request_id,
                       client_request_id)


def score_applications(engine: Engine, scorer: Scorer, records: Sequence[Mapping[str, Any]],
                       caller: str, request_id: str,
                       client_request_id: str | None = None) -> list[Decision]:
    """Score submitted applications (no history: satellite features missing) and audit them
    with the fields as submitted."""
    vectors = full_vectors_from_applications(records)
    client_ids = [record.get("SK_ID_CURR") for record in records]
    with engine.begin() as connection:
        return _decide(connection, scorer, client_ids, vectors, records, caller, request_id,
                       client_request_id)


def _decide(connection: Connection, scorer: Scorer, client_ids: list[int | None],
            vectors: np.ndarray, inputs: Sequence[Mapping[str, Any]] | None, caller: str,
            request_id: str, client_request_id: str | None) -> list[Decision]:
    made = scorer.decide(client_ids, vectors)
    model = scorer.model
    write_decisions(connection, [
        {
            "decision_id": d.decision_id, "request_id": request_id, "client_id": d.client_id,
            "source": "features" if inputs else "client_id",
            "feature_vector": pack_vector(vector),
            "feature_schema_version": FEATURE_SCHEMA_VERSION,
            "inputs": dict(inputs[i]) if inputs else None,
            "probability": d.probability, "threshold": d.threshold, "decision": d.decision,
            "model_name": model.name, "model_version": model.version,
            "api_key_name": caller, "created_at": d.scored_at,
            "client_request_id": client_request_id,
        }
        for i, (d, vector) in enumerate(zip(made, vectors, strict=True))
    ])
    return made
