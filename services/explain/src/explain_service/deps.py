"""What the route handlers declare: the kit's engine, caller and admin, plus explain's
settings and its model holder (the current explainer and the pinned versions)."""

from __future__ import annotations

from typing import Annotated, TypeAlias

from fastapi import Depends

from credit_core.serving.deps import AdminDep, CallerDep, EngineDep, app_settings, models
from credit_core.serving.holder import ModelHolder
from explain_service.settings import ExplainSettings
from explain_service.shap.explainer import VersionExplainer

__all__ = ["AdminDep", "CallerDep", "EngineDep", "Explainers", "ModelsDep", "SettingsDep"]

#: The holder of explain's versions: ``version(None)`` is the current explainer.
Explainers: TypeAlias = ModelHolder[VersionExplainer]

SettingsDep = Annotated[ExplainSettings, Depends(app_settings)]
ModelsDep = Annotated[Explainers, Depends(models)]
