"""What-if simulations, the counterfactual suggestion and the advisor's final decision.

A what-if is hypothetical: it goes to the explanation service (score and reasons, nothing
recorded). For a known client only the changed fields are sent with the client id, so the
service recomputes the application features and keeps the credit history: "before" is then the
client's real score. Only when that service is down does it fall back to scoring, which records
every score as a decision and knows application fields alone (the client's history left out);
the unchanged application is then scored the same way ("before, on the same basis") and the
view says both.
"""

from __future__ import annotations

from typing import Any

from ui_service.api.flows import Flows
from ui_service.api.peers import Conflict, Invalid, NotFound, ServiceDown

__all__ = ["counterfactual", "review", "what_if"]


def _simulate(flows: Flows, application: dict[str, Any],
              history: dict[str, Any] | None = None) -> tuple[dict[str, Any], str]:
    """(score-like answer, who scored it): explain first (``history``: a known client's id and
    the changed fields), scoring on the application fields as the fallback."""
    try:
        return flows.services.explain(history or {"features": application}), "explain"
    except ServiceDown:
        return flows.services.score(features=application), "scoring"


def _changes(base: dict[str, Any], changed: dict[str, Any]) -> dict[str, Any]:
    """The fields that differ (a field emptied in the form is sent as null: removed)."""
    keys = set(base) | set(changed)
    return {key: changed.get(key) for key in sorted(keys) if changed.get(key) != base.get(key)}


def what_if(flows: Flows, base: dict[str, Any], changed: dict[str, Any],
            known_client: bool, client_id: int | None = None) -> dict[str, Any]:
    """Score ``changed`` and ``base`` (same basis). Invalid propagates (fields to fix)."""
    with_history = known_client and client_id is not None
    after = flows.pool.submit(_simulate, flows, changed, {
        "client_id": client_id, "changes": _changes(base, changed)} if with_history else None)
    before = flows.pool.submit(_simulate, flows, base,
                               {"client_id": client_id} if with_history else None)
    result: dict[str, Any] = {"kind": "whatif", "known_client": known_client, "problems": {},
                              "application": changed}
    try:
        answer, scorer = after.result()
    except ServiceDown:
        before.cancel()
        result.update(score=None)
        result["problems"]["scoring"] = "down"
        return result
    try:
        previous, previous_scorer = before.result()
        result["before"] = previous["probability"] if previous_scorer == scorer else None
    except (ServiceDown, Invalid):
        result["before"] = None
    result["score"] = {key: answer.get(key) for key in ("probability", "threshold", "decision",
                                                         "model")}
    result["explanation"] = answer if scorer == "explain" else None
    result["scored_by"] = scorer
    # The credit history is left out only when application fields alone were scored.
    result["history_kept"] = with_history and scorer == "explain"
    if scorer != "explain":
        result["problems"]["explain"] = "down"
    return result


def counterfactual(flows: Flows, context: dict[str, Any]) -> dict[str, Any]:
    """The smallest change to the loan that would be approved, for a refused application."""
    score = context.get("score") or {}
    if score.get("decision") != "refused":
        return {"status": "not_refused"}
    if score.get("decision_id"):
        subject: dict[str, Any] = {"decision_id": score["decision_id"]}
    elif context.get("client_id") is not None:
        subject = {"client_id": context["client_id"]}
    else:
        subject = {"features": context.get("application") or {}}
    try:
        return flows.services.counterfactual(subject)
    except (ServiceDown, NotFound, Invalid):
        return {"status": "down"}


def review(flows: Flows, context: dict[str, Any], final: str, comment: str,
           advisor: str) -> dict[str, Any]:
    """Record the advisor's final decision: {ok, answer} or {problem, reason}."""
    score = (context or {}).get("score") or {}
    if not score.get("decision_id"):
        return {"problem": "none"}
    try:
        answer = flows.services.review(score["decision_id"], final, comment.strip(), advisor)
    except Conflict:
        return {"problem": "conflict"}
    except Invalid as error:
        return {"problem": "invalid", "reason": "; ".join(error.fields.values())}
    except (ServiceDown, NotFound):
        return {"problem": "down"}
    return {"ok": True, "answer": answer}
