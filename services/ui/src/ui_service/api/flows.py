"""What the dashboard asks the peers for each action, in parallel where it can.

Each action returns a plain dict (a "context") that the views render in either language, so
switching language never calls a peer again. A context records what could not be fetched in
``problems`` (service -> reason): the views turn that into a message, never a stack trace.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from ui_service.api.peers import Invalid, NotFound, ServiceDown, Services

__all__ = ["Flows"]

logger = logging.getLogger("credit.ui.flows")
_DIGITS = re.compile(r"^\d{1,16}$")


def _scoring_problem(error: Exception) -> str:
    if isinstance(error, NotFound):
        return "not_found"
    if isinstance(error, ServiceDown) and error.reason != "unavailable":
        return "key"
    return "down"


class Flows:
    """The dashboard's actions over the peers (one instance per process, thread-safe)."""

    def __init__(self, services: Services, workers: int = 8) -> None:
        self.services = services
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ui-peer")

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.services.close()

    def _submit(self, call: Callable[..., Any], *args: Any, **kwargs: Any) -> Future[Any]:
        return self.pool.submit(call, *args, **kwargs)

    @staticmethod
    def _result(future: Future[Any] | None, problems: dict[str, str], name: str) -> Any:
        """The future's answer, or None with ``problems[name]`` set when the peer failed."""
        if future is None:
            return None
        try:
            return future.result()
        except (ServiceDown, NotFound, Invalid) as error:
            logger.info("%s unavailable for this view: %s", name, type(error).__name__)
            problems[name] = "down"
            return None

    def open_client(self, query: str) -> dict[str, Any]:
        """Score, explain and place a known client (by id typed or chosen)."""
        text = str(query or "").strip()
        context: dict[str, Any] = {"kind": "client", "query": text, "problems": {}}
        if not text:
            context["problems"]["scoring"] = "choose"
            return context
        if not _DIGITS.match(text):
            context["problems"]["scoring"] = "invalid_id"
            return context
        client_id = int(text)
        context["client_id"] = client_id
        score = self._submit(self.services.score, client_id=client_id)
        explanation = self._submit(self.services.explain, {"client_id": client_id})
        application = self._submit(self.services.client, client_id)
        return self._complete(context, score, explanation, application)

    def open_application(self, application: dict[str, Any], kind: str = "new") -> dict[str, Any]:
        """Score and explain application fields (a new applicant). Invalid fields raise."""
        context: dict[str, Any] = {"kind": kind, "problems": {}, "application": application}
        score = self._submit(self.services.score, features=application)
        explanation = self._submit(self.services.explain, {"features": application})
        try:
            score.result()
        except Invalid:
            explanation.cancel()
            raise
        return self._complete(context, score, explanation, None)

    def _complete(self, context: dict[str, Any], score: Future[Any], explanation: Future[Any],
                  application: Future[Any] | None) -> dict[str, Any]:
        problems = context["problems"]
        try:
            context["score"] = score.result()
        except (ServiceDown, NotFound) as error:
            problems["scoring"] = _scoring_problem(error)
            context["score"] = None
            return context
        rank = self._submit(self.services.percentile, context["score"]["probability"])
        context["explanation"] = self._result(explanation, problems, "explain")
        if application is not None:
            answer = self._result(application, {}, "client")
            context["application"] = (answer or {}).get("application")
        context["percentile"] = self._result(rank, problems, "percentile")
        context["values"] = {item["feature"]: item.get("value") for item in
                             (context["explanation"] or {}).get("contributions", [])}
        return context
