"""Drift runs: compute one (decisions window, application_test or an uploaded batch), read the
history, one run, the latest, and its Evidently HTML report."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from credit_core.web.errors import error_responses
from credit_core.web.json_keys import (
    DuplicateKey,
    StrictJSONRoute,
    duplicate_key_error,
    loads_unique,
)
from monitoring_service.deps import (
    EngineDep,
    MonitorDep,
    OpsDep,
    RunnerDep,
    SettingsDep,
    StatusReaderDep,
)
from monitoring_service.drift.options import DriftOptions, OptionsError
from monitoring_service.monitor import Monitor
from monitoring_service.reports import is_stale
from monitoring_service.runs import run_view
from monitoring_service.schemas import RunRequest
from monitoring_service.service import Runner
from monitoring_service.sources import SourceError
from monitoring_service.store import fetch_latest, fetch_run, list_runs, set_report
from monitoring_service.uploads import UploadError

router = APIRouter(route_class=StrictJSONRoute, prefix="/v1/drift/runs", tags=["drift"])
#: A run's id: beyond the database's 64-bit integers a lookup would fail, not answer 404.
RunId = Annotated[int, PathParam(ge=1, le=2**53, description="The run's id")]

_BODIES = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": RunRequest.model_json_schema(
        ref_template="#/components/schemas/{model}")},
    "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "format": "binary",
                 "description": "CSV or Parquet; columns = the model's features"},
        "options": {"type": "string", "description": "DriftOptions as JSON text"},
        "render_report": {"type": "boolean", "default": True}}}},
}}}


def _invalid(error: ValidationError, where: str) -> RequestValidationError:
    return RequestValidationError([{**e, "loc": (where, *e["loc"])} for e in error.errors()])


async def _upload_request(request: Request) -> tuple[UploadFile, DriftOptions, bool]:
    form = await request.form(max_files=1, max_fields=10)
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise HTTPException(422, detail="send the batch as a file in the 'file' field")
    text = form.get("options")
    try:
        options = DriftOptions.model_validate_json(text) if isinstance(text, str) and text \
            else DriftOptions()
    except ValidationError as error:
        raise _invalid(error, "options") from error
    render = str(form.get("render_report", "true")).lower() not in ("false", "0", "no")
    return upload, options, render


def _compute(runner: Runner, monitor: Monitor, source: str, options: DriftOptions, caller: str,
             render: bool, window: tuple[datetime | None, datetime | None] | None = None,
             upload: UploadFile | None = None) -> dict[str, Any]:
    """Run in a worker thread; the engine's refusals become 4xx with their reason."""
    try:
        resolved = runner.options(options, monitor)
        bounds = runner.window(*window) if source == "decisions" and window else None
        current = runner.current(monitor, source, bounds, upload.file if upload else None,
                                 upload.filename if upload else None)
        return runner.run(monitor, current, resolved, caller=caller, render=render)
    except (OptionsError, SourceError, UploadError) as error:
        raise HTTPException(getattr(error, "status", 422), detail=str(error)) from error


@router.post("", status_code=201, openapi_extra=_BODIES, summary="Compute a drift run",
             responses=error_responses(415))
async def create_run(request: Request, response: Response, monitor: MonitorDep,
                     runner: RunnerDep, caller: OpsDep) -> dict[str, Any]:
    """Compare the reference with the decisions of a window, application_test, or an upload.

    The verdicts are computed at once and stored; Evidently's HTML report follows in the
    background (see the run's `report.status`).
    """
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type == "multipart/form-data":
        upload, options, render = await _upload_request(request)
        view = await run_in_threadpool(_compute, runner, monitor, "upload", options,
                                       caller.name, render, None, upload)
    elif media_type == "application/json" or media_type.endswith("+json"):
        raw = await request.body() or b"{}"
        try:
            body = RunRequest.model_validate_json(raw)
        except ValidationError as error:
            raise _invalid(error, "body") from error
        # pydantic's JSON parser keeps the last of a repeated key; the body is a few hundred
        # bytes at most (RunRequest), so the services' one rule is checked on it here.
        try:
            loads_unique(raw)
        except DuplicateKey as error:
            raise duplicate_key_error(error) from None
        view = await run_in_threadpool(_compute, runner, monitor, body.source, body.options,
                                       caller.name, body.render_report,
                                       (body.window_start, body.window_end))
    else:
        raise HTTPException(415, detail=f"unsupported content type {media_type or '(none)'!r}: "
                            "send application/json, or multipart/form-data with a file")
    response.headers["Location"] = f"/v1/drift/runs/{view['id']}"
    return view


@router.get("", summary="The history of runs")
def history(engine: EngineDep, caller: OpsDep,
            limit: int = Query(50, ge=1, le=1000)) -> dict[str, Any]:
    """The latest runs, newest first: share, verdict, source, rows, report status."""
    runs = []
    for row in list_runs(engine, limit):
        source, report_path = row.pop("current_source"), row.pop("report_path")
        runs.append({**row, "source": source, "report_available": bool(report_path)})
    return {"runs": runs}


@router.get("/latest", summary="The latest run", responses=error_responses(404))
def latest(engine: EngineDep, caller: StatusReaderDep,
           source: str | None = Query(None, pattern="^(decisions|application_test|upload)$")
           ) -> dict[str, Any]:
    """The most recent run (of a source), with every column's verdict."""
    row = fetch_latest(engine, source)
    if row is None:
        raise HTTPException(404, detail="no drift run yet")
    return run_view(row)


@router.get("/{run_id}", summary="One run", responses=error_responses(404))
def get_run(run_id: RunId, engine: EngineDep, caller: OpsDep) -> dict[str, Any]:
    """Per column the test, score, threshold and verdict; the share; the data set verdict."""
    row = fetch_run(engine, run_id)
    if row is None:
        raise HTTPException(404, detail=f"no drift run {run_id}")
    return run_view(row)


@router.get("/{run_id}/report", summary="The run's Evidently HTML report",
            response_class=Response, responses={
                200: {"content": {"text/html": {}}}, 202: {"description": "still rendering"},
                409: {"description": "rendering failed"}, **error_responses(404)})
def get_report(run_id: RunId, engine: EngineDep, settings: SettingsDep,
               caller: OpsDep) -> Response:
    """The HTML when rendered; 202 while rendering (retry), 409 if it failed."""
    row = fetch_run(engine, run_id)
    if row is None:
        raise HTTPException(404, detail=f"no drift run {run_id}")
    if is_stale(row, settings.report_timeout_seconds):
        row["status"], row["error"] = "failed", "rendering did not finish (its process stopped)"
        set_report(engine, run_id, "failed", error=row["error"])
    if row["status"] == "pending":
        return JSONResponse({"status": "pending", "detail": "the report is being rendered; "
                             "retry later"}, status_code=202, headers={"Retry-After": "5"})
    if row["status"] == "failed":
        return JSONResponse({"status": "failed", "detail": row["error"]}, status_code=409)
    path = Path(row["report_path"]) if row.get("report_path") else None
    if path is None or not path.is_file():
        reason = ("no report was rendered for this run" if path is None else
                  "the report file is not on this replica's disk (share the reports folder)")
        raise HTTPException(404, detail=reason)
    return FileResponse(path, media_type="text/html")

