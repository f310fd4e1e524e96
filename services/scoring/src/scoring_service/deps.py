"""What the route handlers declare: the kit's settings, engine, caller and admin, plus the
scorer and the request id."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from credit_core.scoring import Scorer
from credit_core.serving.deps import AdminDep, CallerDep, EngineDep, app_settings, served
from scoring_service.settings import ScoringSettings

__all__ = ["AdminDep", "CallerDep", "EngineDep", "RequestIdDep", "ScorerDep", "SettingsDep"]


async def _request_id(request: Request) -> str:
    # async although it awaits nothing: a plain def dependency costs a worker-thread hop.
    return str(request.state.request_id)


SettingsDep = Annotated[ScoringSettings, Depends(app_settings)]
ScorerDep = Annotated[Scorer, Depends(served)]
RequestIdDep = Annotated[str, Depends(_request_id)]
