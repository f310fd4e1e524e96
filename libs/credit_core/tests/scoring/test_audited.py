"""Audited scoring: each decision answered has its audit row, written in the same transaction."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import func, select

from credit_core.audit import unpack_vector
from credit_core.bundle import ModelBundle
from credit_core.db import decisions, get_engine
from credit_core.db.vectors import COPY_MIN_ROWS, UnknownClients
from credit_core.feature_derivation import full_vectors_from_applications
from credit_core.scoring import Scorer, score_applications, score_clients

from ..conftest import ClientsDatabase
from .test_scorer import loaded


def _rows(url: str) -> list:
    with get_engine(url).connect() as connection:
        return connection.execute(select(decisions).order_by(decisions.c.id)).all()


@pytest.mark.parametrize("count", [1, COPY_MIN_ROWS + 1])
def test_clients_by_id_each_with_its_audit_row(clients_db: ClientsDatabase,
                                               tiny_bundle: ModelBundle, count: int) -> None:
    scorer = Scorer(loaded(tiny_bundle, "7"))
    ids = list(reversed(clients_db.ids))[:count]
    made = score_clients(get_engine(clients_db.url), scorer, ids, "tester", "req-1")
    expected = scorer.probabilities(np.vstack([clients_db.vector(i) for i in ids]))
    assert [d.client_id for d in made] == ids
    assert [d.probability for d in made] == expected.tolist()
    rows = _rows(clients_db.url)
    assert [row.decision_id for row in rows] == [d.decision_id for d in made]
    for decision, row in zip(made, rows, strict=True):
        assert (row.client_id, row.source, row.inputs, row.request_id, row.api_key_name) == (
            decision.client_id, "client_id", None, "req-1", "tester")
        assert (row.probability, row.decision, row.model_version) == (
            decision.probability, decision.decision, "7")
        np.testing.assert_array_equal(unpack_vector(row.feature_vector),
                                      clients_db.vector(decision.client_id))


def test_an_unknown_client_scores_and_audits_nothing(clients_db: ClientsDatabase,
                                                     tiny_bundle: ModelBundle) -> None:
    with pytest.raises(UnknownClients):
        score_clients(get_engine(clients_db.url), Scorer(loaded(tiny_bundle)),
                      [clients_db.ids[0], 42], "tester", "req-2")
    with get_engine(clients_db.url).connect() as connection:
        assert connection.execute(select(func.count()).select_from(decisions)).scalar_one() == 0


def test_applications_are_audited_with_their_inputs(clients_db: ClientsDatabase,
                                                    tiny_bundle: ModelBundle) -> None:
    scorer = Scorer(loaded(tiny_bundle))
    records = [{"AMT_CREDIT": 2e5 + n, "AMT_ANNUITY": 1e4, "DAYS_BIRTH": -12_000}
               for n in range(3)] + [{"SK_ID_CURR": 999, "AMT_CREDIT": 3e5}]
    made = score_applications(get_engine(clients_db.url), scorer, records, "tester", "req-3")
    expected = scorer.probabilities(full_vectors_from_applications(records))
    assert [d.probability for d in made] == expected.tolist()
    assert [d.client_id for d in made] == [None, None, None, 999]
    rows = _rows(clients_db.url)
    assert [row.inputs for row in rows] == records
    assert {row.source for row in rows} == {"features"}
