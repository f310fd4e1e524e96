"""What the routes share: finding the explainer and the subject, errors as HTTP answers."""

from __future__ import annotations

from fastapi import HTTPException
from sqlalchemy import Engine

from credit_core.model_source import RegistryUnavailable
from credit_core.serving.pinned import UnknownVersion, VersionUnusable
from credit_core.web.auth import Principal
from credit_core.web.errors import DependencyUnavailable
from explain_service.deps import Explainers
from explain_service.schemas import SubjectRequest
from explain_service.shap.explainer import VersionExplainer
from explain_service.subjects import NotYours, Subject, Unexplainable, UnknownSubject, resolve

__all__ = ["explainer_for", "subject_for"]


def explainer_for(models: Explainers, version: str | None) -> VersionExplainer:
    """The explainer of ``version`` (None: the current one) or the HTTP error that says why not."""
    try:
        explainer = models.version(version)
    except UnknownVersion as error:
        raise HTTPException(404, detail=str(error)) from error
    except VersionUnusable as error:
        raise HTTPException(409, detail=str(error)) from error
    except RegistryUnavailable as error:
        raise DependencyUnavailable("the model registry", retry_after=30) from error
    if explainer is None:
        raise DependencyUnavailable("the model", retry_after=30)
    return explainer


#: Roles that only see what they sent: their own decisions and the fields they submit, never a
#: stored client's application (docs/reliability.md, role -> data).
_OWN_DATA_ONLY = frozenset({"integrator"})


def subject_for(engine: Engine, body: SubjectRequest, models: Explainers, caller: Principal,
                need_application: bool = False) -> Subject:
    """The request's subject, 403 if the caller may not read it, 404 if unknown (or another
    integrator's decision), 409 if it cannot be explained here."""
    owner = caller.name if caller.role in _OWN_DATA_ONLY else None
    if owner is not None and body.client_id is not None:
        raise HTTPException(403, detail=[{
            "loc": ["body", "client_id"], "type": "forbidden",
            "msg": f"a key of role {caller.role!r} cannot read a stored client's application: "
                   "explain one of its own decisions (decision_id) or the fields it submits "
                   "(features)"}])
    try:
        return resolve(engine, body, models.source.name, need_application, owner=owner)
    except UnknownSubject as error:
        raise HTTPException(404, detail=str(error)) from error
    except NotYours as error:
        raise HTTPException(403, detail=[{"loc": ["body", "decision_id"], "type": "forbidden",
                                          "msg": str(error)}]) from error
    except Unexplainable as error:
        raise HTTPException(409, detail=str(error)) from error
