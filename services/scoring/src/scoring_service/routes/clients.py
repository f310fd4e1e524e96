"""GET /v1/clients/{id}: an applicant's application fields."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Path

from scoring_service.deps import CallerDep, EngineDep
from scoring_service.service import read_application

router = APIRouter(prefix="/v1/clients", tags=["clients"])


@router.get("/{client_id}", summary="An applicant's application fields")
def get_client(client_id: int = Path(ge=1, le=2**53), *, engine: EngineDep,
               caller: CallerDep) -> dict[str, Any]:
    """The application fields of a known client (404 if unknown)."""
    application = read_application(engine, client_id)
    if application is None:
        raise HTTPException(404, detail=f"unknown client id {client_id}")
    split = application.pop("split")
    application.pop("SK_ID_CURR", None)
    return {"client_id": client_id, "split": split, "application": application}
