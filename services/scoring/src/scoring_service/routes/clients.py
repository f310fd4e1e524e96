"""GET /v1/clients/{id}: an applicant's application fields."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query

from credit_core.db.application_records import read_application
from credit_core.db.clients import list_clients
from credit_core.web.errors import error_responses
from credit_core.web.json_keys import StrictJSONRoute
from scoring_service.deps import DashboardReaderDep, EngineDep

router = APIRouter(route_class=StrictJSONRoute, prefix="/v1/clients", tags=["clients"])


@router.get("", summary="Find applicants by id")
def find_clients(engine: EngineDep, caller: DashboardReaderDep,
                 split: Literal["train", "test"] = "test",
                 q: Annotated[str, Query(pattern=r"^[0-9]{0,12}$",
                                         description="Digits the id starts with")] = "",
                 limit: Annotated[int, Query(ge=1, le=500)] = 50,
                 offset: Annotated[int, Query(ge=0, le=2**53)] = 0) -> dict[str, Any]:
    """Applicants of a split whose id starts with ``q`` (the test applicants by default)."""
    return list_clients(engine, split, q, limit, offset)


@router.get("/{client_id}", summary="An applicant's application fields",
            responses=error_responses(404))
def get_client(client_id: int = Path(ge=1, le=2**53), *, engine: EngineDep,
               caller: DashboardReaderDep) -> dict[str, Any]:
    """The application fields of a known client, null where missing (404 if unknown)."""
    application = read_application(engine, client_id)
    if application is None:
        raise HTTPException(404, detail=f"unknown client id {client_id}")
    return {"client_id": client_id, "split": application.split,
            "application": application.every_field()}
