"""Who is explained: a known client, an audited decision or submitted application fields.

Each becomes a full feature vector (FEATURE_NAMES order) and, for a decision, the model version
that made it. Application fields are derived like scoring derives them (the same credit_core
function); the counterfactual also needs the application fields themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import Engine

from credit_core.db.application_records import read_application
from credit_core.db.audit_log import StoredDecision, read_decision
from credit_core.db.vectors import read_vector
from credit_core.feature_derivation import APPLICATION_FEATURE_NAMES, full_vectors_from_applications
from credit_core.schema.features import FEATURE_SCHEMA_VERSION
from explain_service.schemas import SubjectRequest

__all__ = ["Subject", "Unexplainable", "UnknownSubject", "full_vector", "resolve", "with_changes"]


class UnknownSubject(LookupError):
    """No such client or decision (404)."""


class NotYours(Exception):
    """The subject's data is not the caller's to read (403)."""


class Unexplainable(Exception):
    """The subject exists but cannot be explained by this service (409)."""


@dataclass
class Subject:
    """A full feature vector to explain, where it came from, and the version it pins."""

    kind: str
    vector: np.ndarray
    version: str | None = None
    client_id: int | None = None
    decision_id: str | None = None
    application: dict[str, Any] | None = None
    recorded: dict[str, Any] | None = None
    changed_fields: tuple[str, ...] = ()

    def describe(self) -> dict[str, Any]:
        return {"kind": self.kind, "client_id": self.client_id, "decision_id": self.decision_id,
                "changed_fields": list(self.changed_fields)}


# The leading columns of the full vector are derived from the application alone.
_APPLICATION_PART = len(APPLICATION_FEATURE_NAMES)


def full_vector(record: Mapping[str, Any]) -> np.ndarray:
    """The full vector of submitted application fields, as scoring builds it: the application
    part derived, the rest missing."""
    return full_vectors_from_applications([record])[0]


def _loan_fields(application: dict[str, Any] | None, what: str) -> dict[str, Any]:
    """The application, if it has a credit amount to change (Unexplainable otherwise)."""
    if application is None:
        raise Unexplainable(f"{what} has no application fields stored")
    if not application.get("AMT_CREDIT"):
        raise Unexplainable(f"{what} has no credit amount to change")
    return application


def _client(engine: Engine, client_id: int, version: str | None,
            need_application: bool) -> Subject:
    vector = read_vector(engine, client_id)
    if vector is None:
        raise UnknownSubject(f"unknown client id {client_id}")
    subject = Subject("client_id", vector, version, client_id=client_id)
    if need_application:
        subject.application = _loan_fields(_stored_fields(engine, client_id),
                                           f"client {client_id}")
    return subject


def _stored_fields(engine: Engine, client_id: int) -> dict[str, Any] | None:
    """The client's stored application fields (missing ones absent), or None."""
    application = read_application(engine, client_id)
    return None if application is None else dict(application.fields)


def _recorded(decision: StoredDecision) -> dict[str, Any]:
    return {"decision_id": decision.decision_id, "probability": decision.probability,
            "threshold": decision.threshold, "decision": decision.decision,
            "model": {"name": decision.model_name, "version": decision.model_version}}


def _decision(engine: Engine, decision_id: str, model_name: str,
              need_application: bool, owner: str | None = None) -> Subject:
    decision = read_decision(engine, decision_id)
    if decision is None or (owner is not None and decision.api_key_name != owner):
        raise UnknownSubject(f"unknown decision id {decision_id}")
    if owner is not None and decision.source != "features":
        raise NotYours(f"decision {decision_id} scored stored client {decision.client_id}: its "
                       "explanation would read back that client's application, which this "
                       "key's role may not see (explain the fields it submits instead)")
    if decision.model_name != model_name:
        raise Unexplainable(f"decision {decision_id} was made by model {decision.model_name}; "
                            f"this service explains {model_name}")
    if decision.feature_schema_version != FEATURE_SCHEMA_VERSION:
        raise Unexplainable(f"decision {decision_id} used feature schema "
                            f"v{decision.feature_schema_version}; this service reads "
                            f"v{FEATURE_SCHEMA_VERSION}")
    subject = Subject("decision_id", decision.vector, decision.model_version,
                      client_id=decision.client_id, decision_id=decision_id,
                      recorded=_recorded(decision))
    if need_application:
        application = dict(decision.inputs) if decision.inputs else None
        if application is None and decision.client_id is not None:
            application = _stored_fields(engine, decision.client_id)
        subject.application = _loan_fields(application, f"decision {decision_id}")
    return subject


def with_changes(subject: Subject, changes: Mapping[str, Any]) -> Subject:
    """The subject with some application fields changed (a what-if): the features derived
    from the application are recomputed, everything else in the vector (the credit history
    aggregates) is kept as stored. An explicit None removes a field."""
    application = {**(subject.application or {}), **changes}
    application = {key: value for key, value in application.items() if value is not None}
    derived = full_vector(application)
    vector = subject.vector.copy()
    vector[:_APPLICATION_PART] = derived[:_APPLICATION_PART]
    return Subject(f"{subject.kind}+changes", vector, subject.version,
                   client_id=subject.client_id, decision_id=subject.decision_id,
                   application=application, recorded=None,
                   changed_fields=tuple(sorted(changes)))


def resolve(engine: Engine, request: SubjectRequest, model_name: str,
            need_application: bool = False, owner: str | None = None) -> Subject:
    """The subject of a request (UnknownSubject, Unexplainable). With ``owner`` (an API key's
    name), a decision that key did not ask for is unknown: no read-back of others' decisions."""
    changes = request.changed_fields()
    if request.client_id is not None:
        subject = _client(engine, request.client_id, request.model_version,
                          need_application or bool(changes))
        return with_changes(subject, changes) if changes else subject
    if request.decision_id is not None:
        subject = _decision(engine, request.decision_id, model_name,
                            need_application or bool(changes), owner)
        return with_changes(subject, changes) if changes else subject
    record = request.application() or {}
    return Subject("features", full_vector(record), request.model_version,
                   client_id=record.get("SK_ID_CURR"), application=record)
