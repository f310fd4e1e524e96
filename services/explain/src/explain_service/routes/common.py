"""What the routes share: finding the explainer and the subject, errors as HTTP answers."""

from __future__ import annotations

from fastapi import HTTPException
from sqlalchemy import Engine

from credit_core.model_source import RegistryUnavailable
from credit_core.serving.pinned import UnknownVersion, VersionUnusable
from credit_core.web.errors import DependencyUnavailable
from explain_service.deps import Explainers
from explain_service.schemas import SubjectRequest
from explain_service.shap.explainer import VersionExplainer
from explain_service.subjects import Subject, Unexplainable, UnknownSubject, resolve

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


def subject_for(engine: Engine, body: SubjectRequest, models: Explainers,
                need_application: bool = False) -> Subject:
    """The request's subject, 404 if unknown, 409 if it cannot be explained here."""
    try:
        return resolve(engine, body, models.source.name, need_application)
    except UnknownSubject as error:
        raise HTTPException(404, detail=str(error)) from error
    except Unexplainable as error:
        raise HTTPException(409, detail=str(error)) from error
