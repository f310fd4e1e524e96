"""Human oversight in the database: the advisor's final decision on an audited decision.

The audit row is never modified; the review is a row of its own (one per decision) saying who
decided what, and whether that overrides the model.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError

from credit_core.db.tables import decision_reviews, decisions

__all__ = ["AlreadyReviewed", "UnknownDecision", "record_review"]


class UnknownDecision(LookupError):
    """No audited decision has this id."""


class AlreadyReviewed(Exception):
    """The decision has its review already (a review is final)."""


def record_review(engine: Engine, decision_id: str, final_decision: str, comment: str | None,
                  advisor: str, caller: str) -> dict[str, Any]:
    """Store the advisor's final decision; an override of the model needs a justification
    (ValueError without one). Returns the review as stored, without the caller's key name."""
    with engine.begin() as connection:
        model_decision = connection.execute(
            select(decisions.c.decision).where(decisions.c.decision_id == decision_id)
        ).scalar_one_or_none()
        if model_decision is None:
            raise UnknownDecision(decision_id)
        override = final_decision != model_decision
        if override and not (comment and comment.strip()):
            raise ValueError("a comment justifying the override of the model is required")
        review = {
            "decision_id": decision_id, "model_decision": model_decision,
            "final_decision": final_decision, "override": override, "advisor": advisor,
            "comment": comment.strip() if comment else None, "api_key_name": caller,
            "reviewed_at": datetime.now(UTC),
        }
        try:
            # A savepoint, so that the unique decision_id's refusal leaves the transaction usable.
            with connection.begin_nested():
                connection.execute(insert(decision_reviews).values(**review))
        except IntegrityError as error:
            raise AlreadyReviewed(decision_id) from error
    review.pop("api_key_name")
    return review
