"""The advisor's review of an audited decision: one per decision, overrides justified."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from credit_core.db import decision_reviews, get_engine
from credit_core.db.audit_log import write_decisions
from credit_core.db.migrate import upgrade
from credit_core.db.reviews import AlreadyReviewed, UnknownDecision, record_review

from .test_audit_log import _row


def test_reviews(database_url: str) -> None:
    upgrade(database_url)
    engine = get_engine(database_url)
    approved, refused = _row(1), _row(30)
    with engine.begin() as connection:
        write_decisions(connection, [approved, refused])
    with pytest.raises(UnknownDecision):
        record_review(engine, "00000000-0000-4000-8000-999999999999", "approved", None, "ada", "ui")
    with pytest.raises(ValueError, match="justifying"):
        record_review(engine, refused["decision_id"], "approved", "  ", "ada", "ui")
    review = record_review(engine, refused["decision_id"], "approved", " known client ", "ada", "ui")
    assert review["override"] and review["comment"] == "known client"
    assert review["model_decision"] == "refused" and "api_key_name" not in review
    kept = record_review(engine, approved["decision_id"], "approved", None, "bob", "ui")
    assert not kept["override"] and kept["comment"] is None
    with pytest.raises(AlreadyReviewed):
        record_review(engine, refused["decision_id"], "refused", None, "bob", "ui")
    with engine.connect() as connection:
        stored = connection.execute(select(decision_reviews.c.advisor, decision_reviews.c.api_key_name)
                                    .order_by(decision_reviews.c.id)).all()
    assert [tuple(row) for row in stored] == [("ada", "ui"), ("bob", "ui")]
